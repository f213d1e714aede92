/**
 * One person's journey boiled down to what the insights views aggregate: first touch and segment, outcome,
 * stage reach and time in each stage, the paths they took, which touchpoints they had before converting (as
 * bitmasks over the workspace's touchpoint vocabulary) and early-behaviour aggregates for drift checks.
 * Pure: the refresh feeds it rows from the database and writes its result to `insights_profiles`.
 */

import { cmp } from './insights-text';

export const DAY_MS = 86_400_000;
/** Two touchpoints count as a combination when both happened within this many days of each other. */
export const COMBINATION_DAYS = 5;
/** Early behaviour (drift features) is measured over a person's first days. */
export const EARLY_DAYS = 7;
/** Bits 0–61 of a signed 64-bit mask: no sign bit, no overflow in SQL. */
export const MAX_BITS = 62;
const MAX_TOUCHES = 8;
const MAX_STEPS = 5;

export interface SummaryEvent {
  at: number;
  type: string;
  /** Canonical event name (taxonomy), else the raw track name. */
  name: string | null;
  category: string | null;
  intent: string | null;
  utmSource: string | null;
  utmMedium: string | null;
  referrer: string | null;
  url: string | null;
}

export interface StageVisitInput {
  stage: string;
  at: number;
}

export interface SummaryInput {
  /** Ascending by time; at least one. */
  events: SummaryEvent[];
  /** Stage transitions, ascending. */
  transitions: StageVisitInput[];
  current: StageVisitInput | null;
  profileTraits: Record<string, unknown>;
  accountTraits: Record<string, unknown> | null;
}

/** Converting is either the goal event or, without one, reaching the last stage. */
export type Goal = { kind: 'event'; event: string } | { kind: 'stage'; stageIndex: number };

/** What each bit of the masks means: touchpoint tokens and pairs of tokens (indices into tokens). */
export interface Vocabulary {
  tokens: string[];
  pairs: [number, number][];
}

export interface SummaryConfig {
  goal: Goal | null;
  stageKeys: string[];
  horizonDays: number;
  vocabulary: Vocabulary;
}

export interface ProfileSummary {
  firstAt: number;
  lastAt: number;
  events: number;
  channel: string;
  companySize: string | null;
  plan: string | null;
  region: string | null;
  convertedAt: number | null;
  maxStage: number | null;
  curStage: number | null;
  /** Days spent in stage i on the first visit that ended; null while still in it or never there. */
  stageDays: (number | null)[];
  stagePath: string[];
  touchPath: string[];
  categoryPath: string[];
  moments: bigint;
  pairs: bigint;
  earlyEvents: number;
  earlyDays: number;
  earlyCategories: number;
  earlyEvaluation: number;
}

export const DIRECT = '(direct)';
const SEARCH_ENGINES = /^(?:[\w-]+\.)*(google|bing|duckduckgo|yahoo|baidu|yandex|ecosia|qwant)\.[a-z.]+$/;

/** Touchpoint tokens: an event happened, happened at least twice, or content of a category was seen. */
export const token = {
  event: (name: string) => `e:${name}`,
  eventTwice: (name: string) => `e2:${name}`,
  category: (category: string) => `c:${category}`,
};

function hostOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).hostname.toLowerCase().replace(/^www\./, '') || null;
  } catch {
    return null;
  }
}

/**
 * The channel an event came through, as analytics tools label it ("source / medium"): UTM tags first, else an
 * external referrer (search engines as organic, other sites as referrals); null when it says nothing (internal
 * navigation or no referrer).
 */
export function channelOf(
  e: Pick<SummaryEvent, 'utmSource' | 'utmMedium' | 'referrer' | 'url'>,
): string | null {
  let source = e.utmSource?.trim().toLowerCase();
  let medium = e.utmMedium;
  if (!source && e.url?.includes('utm_source=')) {
    try {
      const params = new URL(e.url, 'http://x').searchParams;
      source = params.get('utm_source')?.trim().toLowerCase();
      medium = params.get('utm_medium');
    } catch {
      // not a URL: no campaign tags
    }
  }
  if (source) return `${source} / ${medium?.trim().toLowerCase() || '(none)'}`;
  const host = hostOf(e.referrer);
  if (!host || host === hostOf(e.url)) return null;
  const engine = SEARCH_ENGINES.exec(host);
  return engine ? `${engine[1]} / organic` : `${host} / referral`;
}

const SIZE_KEYS = [
  'company_size',
  'companySize',
  'employees',
  'employee_count',
  'employeeCount',
  'numberofemployees',
  'NumberOfEmployees',
  'size',
];
const PLAN_KEYS = ['plan', 'plan_name', 'planName', 'tier'];
const REGION_KEYS = ['region', 'geo', 'country', 'BillingCountry'];

function pick(keys: string[], ...sources: (Record<string, unknown> | null)[]): string | number | null {
  for (const source of sources) {
    if (!source) continue;
    for (const k of keys) {
      const v = source[k];
      if (typeof v === 'number' && Number.isFinite(v)) return v;
      if (typeof v === 'string' && v.trim()) return v.trim();
    }
  }
  return null;
}

/** Employee counts in the usual bands; a text value (e.g. "Enterprise") is kept as given. */
export function sizeBand(v: string | number | null): string | null {
  if (v === null) return null;
  const n = typeof v === 'number' ? v : /^\d[\d,]*$/.test(v) ? Number(v.replace(/,/g, '')) : NaN;
  if (Number.isNaN(n)) return String(v);
  if (n <= 10) return '1–10';
  if (n <= 50) return '11–50';
  if (n <= 200) return '51–200';
  if (n <= 1000) return '201–1,000';
  return '1,001+';
}

export function segmentOf(
  profileTraits: Record<string, unknown>,
  accountTraits: Record<string, unknown> | null,
) {
  const text = (v: string | number | null) => (v === null ? null : String(v));
  return {
    companySize: sizeBand(pick(SIZE_KEYS, profileTraits, accountTraits)),
    plan: text(pick(PLAN_KEYS, profileTraits, accountTraits)),
    region: text(pick(REGION_KEYS, profileTraits, accountTraits)),
  };
}

function dedupe(values: string[]): string[] {
  return values.filter((v, i) => i === 0 || v !== values[i - 1]);
}

/** When each touchpoint token was first achieved, from events in order. */
export function tokenTimes(events: SummaryEvent[], goalEvent: string | null): Map<string, number> {
  const times = new Map<string, number>();
  const seen = new Map<string, number>();
  for (const e of events) {
    if (e.name && e.name !== goalEvent && (e.type === 'track' || e.type === 'page' || e.type === 'screen')) {
      const n = (seen.get(e.name) ?? 0) + 1;
      seen.set(e.name, n);
      if (n === 1) times.set(token.event(e.name), e.at);
      if (n === 2) times.set(token.eventTwice(e.name), e.at);
    }
    if (e.category && !times.has(token.category(e.category))) times.set(token.category(e.category), e.at);
  }
  return times;
}

export function summarizeProfile(input: SummaryInput, config: SummaryConfig): ProfileSummary {
  const { events } = input;
  if (events.length === 0) throw new RangeError('a summary needs at least one event');
  const firstAt = events[0]!.at;
  const lastAt = events[events.length - 1]!.at;
  const stageIndex = new Map(config.stageKeys.map((k, i) => [k, i]));

  // Stage visits: transitions, then the current stage if the transitions do not end there.
  const visits = input.transitions
    .filter((t) => stageIndex.has(t.stage))
    .map((t) => ({ index: stageIndex.get(t.stage)!, stage: t.stage, at: t.at }));
  if (input.current && stageIndex.has(input.current.stage)) {
    const last = visits[visits.length - 1];
    if (!last || last.stage !== input.current.stage)
      visits.push({
        index: stageIndex.get(input.current.stage)!,
        stage: input.current.stage,
        at: input.current.at,
      });
  }
  const stageDays: (number | null)[] = config.stageKeys.map(() => null);
  for (let i = 0; i + 1 < visits.length; i++) {
    const v = visits[i]!;
    if (stageDays[v.index] === null && visits[i + 1]!.index !== v.index)
      stageDays[v.index] = Math.max(0, visits[i + 1]!.at - v.at) / DAY_MS;
  }
  const maxStage = visits.length ? Math.max(...visits.map((v) => v.index)) : null;
  const curStage = visits.length ? visits[visits.length - 1]!.index : null;

  const goal = config.goal;
  let convertedAt: number | null = null;
  if (goal?.kind === 'event') convertedAt = events.find((e) => e.name === goal.event)?.at ?? null;
  else if (goal?.kind === 'stage') convertedAt = visits.find((v) => v.index >= goal.stageIndex)?.at ?? null;

  const beforeConversion = convertedAt === null ? events : events.filter((e) => e.at < convertedAt!);
  const touches = dedupe(
    beforeConversion.flatMap((e, i) => {
      const c = channelOf(e);
      return c ? [c] : i === 0 ? [DIRECT] : [];
    }),
  );
  const touchPath =
    touches.length > MAX_TOUCHES ? [touches[0]!, ...touches.slice(-(MAX_TOUCHES - 1))] : touches;
  const categoryPath = dedupe(beforeConversion.flatMap((e) => (e.category ? [e.category] : []))).slice(
    0,
    MAX_STEPS,
  );
  const stagePath = dedupe(visits.map((v) => v.stage)).slice(0, MAX_STEPS);

  // Touchpoints before converting, within the horizon from the first touch.
  const windowEnd = Math.min(convertedAt ?? Infinity, firstAt + config.horizonDays * DAY_MS);
  const times = tokenTimes(
    events.filter((e) => e.at < windowEnd),
    goal?.kind === 'event' ? goal.event : null,
  );
  let moments = 0n;
  config.vocabulary.tokens.forEach((t, bit) => {
    if (times.has(t)) moments |= 1n << BigInt(bit);
  });
  let pairs = 0n;
  config.vocabulary.pairs.forEach(([a, b], bit) => {
    const ta = times.get(config.vocabulary.tokens[a]!);
    const tb = times.get(config.vocabulary.tokens[b]!);
    if (ta !== undefined && tb !== undefined && Math.abs(ta - tb) <= COMBINATION_DAYS * DAY_MS)
      pairs |= 1n << BigInt(bit);
  });

  const early = events.filter((e) => e.at < firstAt + EARLY_DAYS * DAY_MS);
  const segment = segmentOf(input.profileTraits, input.accountTraits);
  return {
    firstAt,
    lastAt,
    events: events.length,
    channel: touches[0] ?? DIRECT,
    ...segment,
    convertedAt,
    maxStage,
    curStage,
    stageDays,
    stagePath,
    touchPath,
    categoryPath,
    moments,
    pairs,
    earlyEvents: early.length,
    earlyDays: new Set(early.map((e) => Math.floor((e.at - firstAt) / DAY_MS))).size,
    earlyCategories: new Set(early.flatMap((e) => (e.category ? [e.category] : []))).size,
    earlyEvaluation: early.filter((e) => e.intent === 'evaluation').length,
  };
}

export interface TokenCount {
  token: string;
  profiles: number;
}

/**
 * Picks the touchpoints worth testing: the most common tokens (at least `minProfiles` people, not nearly
 * everyone, so there is a comparison group), and pairs among the most common of those. "Twice" tokens are not
 * paired with their own "once" token.
 */
export function chooseVocabulary(
  counts: TokenCount[],
  totalProfiles: number,
  minProfiles: number,
): Vocabulary {
  const usable = counts
    .filter((c) => c.profiles >= minProfiles && c.profiles <= 0.97 * totalProfiles)
    .sort((a, b) => b.profiles - a.profiles || cmp(a.token, b.token))
    .slice(0, MAX_BITS);
  const tokens = usable.map((c) => c.token);
  const base = (t: string) => t.replace(/^e2:/, 'e:');
  const pairable = tokens.map((t, i) => ({ t, i })).slice(0, 12);
  const pairs: [number, number][] = [];
  for (let a = 0; a < pairable.length; a++)
    for (let b = a + 1; b < pairable.length; b++) {
      if (base(pairable[a]!.t) === base(pairable[b]!.t)) continue;
      if (pairs.length < MAX_BITS) pairs.push([pairable[a]!.i, pairable[b]!.i]);
    }
  return { tokens, pairs };
}
