import { benjaminiHochberg } from '../../insights/multiple-testing';
import { liftInterval, twoProportionZTest } from '../../insights/rate-ratio';
import type { Interval } from '../../insights/wilson';
import { COMBINATION_DAYS, type Vocabulary } from './profile-summary';
import { cmp } from './insights-text';

/**
 * People grouped by their touchpoint masks and whether they converted within the horizon. Each 62-bit mask comes
 * as two 31-bit halves, so testing a bit is plain number arithmetic (BigInt is slow in a loop).
 */
export interface MaskGroup {
  moments: [number, number];
  pairs: [number, number];
  converted: boolean;
  n: number;
}

export const HALF_BITS = 31;

/** Adds a group's people (`n`, of whom `c` converted) to the cell of every set bit of its mask. */
function countBits(mask: [number, number], cells: { n: number; c: number }[], n: number, c: number): void {
  for (let half = 0; half < 2; half++) {
    // Clearing the lowest set bit each turn visits set bits only: a mask has a few of its 62.
    for (let rest = mask[half]!; rest !== 0; rest &= rest - 1) {
      const cell = cells[half * HALF_BITS + 31 - Math.clz32(rest & -rest)];
      if (!cell) continue;
      cell.n += n;
      cell.c += c;
    }
  }
}

/** Splits a mask into the two halves a MaskGroup carries. */
export function halves(mask: bigint): [number, number] {
  return [Number(mask & 0x7fffffffn), Number(mask >> 31n)];
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
  groups: MaskGroup[],
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
  const single = vocabulary.tokens.map(() => ({ n: 0, c: 0 }));
  const pair = vocabulary.pairs.map(() => ({ n: 0, c: 0 }));
  for (const g of groups) {
    const c = g.converted ? g.n : 0;
    people += g.n;
    converted += c;
    countBits(g.moments, single, g.n, c);
    countBits(g.pairs, pair, g.n, c);
  }
  const candidates = [
    ...single.map((cell, bit) => ({ cell, tokens: [vocabulary.tokens[bit]!], kind: 'single' as const })),
    ...pair.map((cell, bit) => ({
      cell,
      tokens: vocabulary.pairs[bit]!.map((i) => vocabulary.tokens[i]!),
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
