import { benjaminiHochberg } from '../../insights/multiple-testing';
import { liftInterval, twoProportionZTest } from '../../insights/rate-ratio';
import type { Interval } from '../../insights/wilson';
import { COMBINATION_DAYS, type Vocabulary } from './profile-summary';
import { cmp } from './insights-text';

/**
 * People grouped by one of their two touchpoint masks (moments, or pairs of moments) and whether they converted
 * within the horizon, as one flat array of `GROUP_WIDTH` numbers a group: which mask (0 moments, 1 pairs), its
 * two 31-bit halves, converted (1 or 0) and the number of people. Each mask is grouped on its own because the
 * counts needed are per bit, never per combination of the two masks: that is fewer groups to ship and count.
 * Halves keep bit tests in plain number arithmetic (BigInt is slow in a loop); one typed array keeps tens of
 * thousands of groups away from the garbage collector.
 */
export type MaskGroups = Float64Array;
export const GROUP_WIDTH = 5;
export const HALF_BITS = 31;

/**
 * Reads the masks query's answer: the groups' numbers, non-negative integers separated by single spaces. A
 * hand-written loop: `split(' ').map(Number)` took most of the moments view's time in Node.
 */
export function parseMaskGroups(text: string | null): MaskGroups {
  if (!text) return new Float64Array(0);
  let count = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 32) count++;
  if (count % GROUP_WIDTH !== 0)
    throw new Error(`mask groups: ${count} numbers, not groups of ${GROUP_WIDTH}`);
  const out = new Float64Array(count);
  let k = 0;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 32) {
      out[k++] = value;
      value = 0;
    } else if (ch >= 48 && ch <= 57) value = value * 10 + (ch - 48);
    else throw new Error(`mask groups: unexpected character at ${i}`);
  }
  out[k] = value;
  return out;
}

/**
 * Adds `n` people (`c` converted) to the cells of every set bit of a mask given as halves; `cells` holds two
 * numbers a bit (people, converted).
 */
function countBits(low: number, high: number, cells: Float64Array, n: number, c: number): void {
  const bits = cells.length / 2;
  for (let half = 0; half < 2; half++) {
    // Clearing the lowest set bit each turn visits set bits only: a mask has a few of its 62.
    for (let rest = half ? high : low; rest !== 0; rest &= rest - 1) {
      const bit = half * HALF_BITS + 31 - Math.clz32(rest & -rest);
      if (bit >= bits) continue;
      cells[2 * bit]! += n;
      cells[2 * bit + 1]! += c;
    }
  }
}

export interface Moment {
  id: string;
  kind: 'single' | 'combination';
  tokens: string[];
  label: string;
  withPeople: number;
  withConverted: number;
  withoutPeople: number;
  withoutConverted: number;
  lift: Interval;
  pValue: number;
  qValue: number;
  significant: boolean;
  sentence: string;
}

/** Both groups need this many people before a touchpoint is tested at all. */
export const MIN_GROUP = 20;
export const FDR = 0.05;

/** A touchpoint token in words: `had “Webinar Attended”`, `had “Setup Completed” at least twice`, … */
export function describeToken(token: string): string {
  const [kind, ...rest] = token.split(':');
  const name = rest.join(':');
  if (kind === 'e') return `had “${name}”`;
  if (kind === 'e2') return `had “${name}” at least twice`;
  return `viewed ${name} content`;
}

export function momentLabel(tokens: string[]): string {
  const parts = tokens.map(describeToken);
  return tokens.length === 1
    ? `Prospects who ${parts[0]}`
    : `Prospects who ${parts.join(' and ')} within ${COMBINATION_DAYS} days`;
}

const ratio = (x: number) => (x >= 9.95 ? x.toFixed(0) : x.toFixed(1));
const percent = (x: number) => `${Math.round(x * 100)}%`;

/** "… converted 2.3× more often (95% CI 1.8–2.9, n = 412)", or "… 40% less often (95% CI 22–54%, n = 96)". */
export function momentSentence(
  label: string,
  lift: Interval,
  n: number,
  rates: { with: number; without: number },
): string {
  if (!Number.isFinite(lift.estimate))
    return `${label} converted at ${percent(rates.with)}, against ${percent(rates.without)} of everyone else (n = ${n.toLocaleString('en-US')})`;
  if (lift.estimate >= 1)
    return `${label} converted ${ratio(lift.estimate)}× more often (95% CI ${ratio(lift.lower)}–${ratio(lift.upper)}, n = ${n.toLocaleString('en-US')})`;
  return `${label} converted ${percent(1 - lift.estimate)} less often (95% CI ${Math.round((1 - lift.upper) * 100)}–${percent(1 - lift.lower)}, n = ${n.toLocaleString('en-US')})`;
}

/**
 * Tests every touchpoint and combination in the vocabulary: conversion among people who had it against people who
 * did not (lift with the Katz interval, two-proportion z-test), with Benjamini–Hochberg control over all of them.
 * Strongest evidence first.
 */
export function findMoments(
  groups: MaskGroups,
  vocabulary: Vocabulary,
): {
  people: number;
  converted: number;
  /** Hypotheses tested (the BH family), before identical ones are folded. */
  tested: number;
  moments: Moment[];
} {
  let people = 0;
  let converted = 0;
  const single = new Float64Array(2 * vocabulary.tokens.length);
  const pair = new Float64Array(2 * vocabulary.pairs.length);
  for (let g = 0; g < groups.length; g += GROUP_WIDTH) {
    const n = groups[g + 4]!;
    const c = groups[g + 3] === 1 ? n : 0;
    if (groups[g] === 1) {
      countBits(groups[g + 1]!, groups[g + 2]!, pair, n, c);
      continue;
    }
    // Everyone is in exactly one moments group: the totals come from those.
    people += n;
    converted += c;
    countBits(groups[g + 1]!, groups[g + 2]!, single, n, c);
  }
  const cell = (cells: Float64Array, bit: number) => ({ n: cells[2 * bit]!, c: cells[2 * bit + 1]! });
  const candidates = [
    ...vocabulary.tokens.map((token, bit) => ({
      cell: cell(single, bit),
      tokens: [token],
      kind: 'single' as const,
    })),
    ...vocabulary.pairs.map((tokens, bit) => ({
      cell: cell(pair, bit),
      tokens: tokens.map((i) => vocabulary.tokens[i]!),
      kind: 'combination' as const,
    })),
  ].filter(({ cell }) => cell.n >= MIN_GROUP && people - cell.n >= MIN_GROUP);
  if (converted === 0 || candidates.length === 0) return { people, converted, tested: 0, moments: [] };

  const tested = candidates.map(({ cell, tokens, kind }) => {
    const withGroup = { successes: cell.c, trials: cell.n };
    const withoutGroup = { successes: converted - cell.c, trials: people - cell.n };
    const test = twoProportionZTest(withGroup, withoutGroup);
    return {
      tokens,
      kind,
      cell,
      lift: liftInterval(withGroup, withoutGroup),
      pValue: Number.isFinite(test.pValue) ? test.pValue : 1,
    };
  });
  const { qValues } = benjaminiHochberg(
    tested.map((t) => t.pValue),
    FDR,
  );
  const moments = tested.map((t, i): Moment => {
    const label = momentLabel(t.tokens);
    return {
      id: `${t.kind === 'single' ? 's' : 'c'}:${t.tokens.join('+')}`,
      kind: t.kind,
      tokens: t.tokens,
      label,
      withPeople: t.cell.n,
      withConverted: t.cell.c,
      withoutPeople: people - t.cell.n,
      withoutConverted: converted - t.cell.c,
      lift: t.lift,
      pValue: t.pValue,
      qValue: qValues[i]!,
      significant: qValues[i]! <= FDR,
      sentence: momentSentence(label, t.lift, t.cell.n, {
        with: t.cell.c / t.cell.n,
        without: (converted - t.cell.c) / (people - t.cell.n),
      }),
    };
  });
  const strength = (m: Moment) => Math.min(50, Math.abs(Math.log(m.lift.estimate || 1e-9)));
  moments.sort(
    (a, b) =>
      Number(b.significant) - Number(a.significant) ||
      strength(b) - strength(a) ||
      a.qValue - b.qValue ||
      Number(a.kind === 'combination') - Number(b.kind === 'combination') ||
      cmp(a.id, b.id),
  );
  // Touchpoints that pick out exactly the same people (a page and its category, "X" and "X twice" when everyone
  // did it twice) say the same thing: the simplest is shown once. BH above still counted every test.
  const seen = new Set<string>();
  const distinct = moments.filter((m) => {
    const cell = `${m.withPeople}:${m.withConverted}`;
    if (seen.has(cell)) return false;
    seen.add(cell);
    return true;
  });
  return { people, converted, tested: moments.length, moments: distinct };
}
