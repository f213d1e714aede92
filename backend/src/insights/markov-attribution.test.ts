import { describe, expect, it } from 'vitest';
import { markovAttribution } from './markov-attribution';
import { path } from './test-paths';

/*
 * Hand-computed example. Paths (conversions, nulls, value):
 *   A > B (2, 1, 20)   A (1, 1, 10)   B (1, 3, 5)   B > A (1, 0, 15)
 * Transition counts, each path weighted by its 3, 2, 4, 1 journeys:
 *   start → A 5, start → B 5                      → ½, ½
 *   A → B 3, A → conv 1 + 1, A → null 1            → ½, ⅓, ⅙
 *   B → A 1, B → conv 2 + 1, B → null 1 + 3        → ⅛, ⅜, ½
 * x = P(convert | state): xA = ½ xB + ⅓, xB = ⅛ xA + ⅜  ⇒  xA = 5/9, xB = 4/9, baseline = ½(5/9 + 4/9) = ½.
 * Without A (xA = 0): xB = 3/8, baseline 3/16, removal effect 1 − (3/16)/(1/2) = 5/8.
 * Without B (xB = 0): xA = 1/3, baseline 1/6, removal effect 1 − (1/6)/(1/2) = 2/3.
 * Effects sum to 31/24, so of 5 conversions A gets 5·(5/8)/(31/24) = 75/31 and B 80/31; of value 50,
 * A gets 750/31 and B 800/31.
 */
const example = [path('A > B', 2, 1, 20), path('A', 1, 1, 10), path('B', 1, 3, 5), path('B > A', 1, 0, 15)];

describe('Markov-chain attribution', () => {
  it('matches the hand-solved chain', () => {
    const m = markovAttribution(example);
    expect(m.channels).toEqual(['A', 'B']);
    expect(m.baseline).toBeCloseTo(1 / 2, 14);
    expect(m.removalEffects[0]).toBeCloseTo(5 / 8, 14);
    expect(m.removalEffects[1]).toBeCloseTo(2 / 3, 14);
    expect(m.conversions[0]).toBeCloseTo(75 / 31, 13);
    expect(m.conversions[1]).toBeCloseTo(80 / 31, 13);
    expect(m.value[0]).toBeCloseTo(750 / 31, 12);
    expect(m.value[1]).toBeCloseTo(800 / 31, 12);
    expect(m.totalConversions).toBe(5);
    expect(m.totalValue).toBe(50);
  });

  it('is unchanged by repeated touches (self-loops do not move absorption probabilities)', () => {
    const looped = [path('A > A > B', 2, 1, 20), ...example.slice(1, 3), path('B > B > A > A', 1, 0, 15)];
    const m = markovAttribution(looped);
    expect(m.removalEffects[0]).toBeCloseTo(5 / 8, 14);
    expect(m.removalEffects[1]).toBeCloseTo(2 / 3, 14);
  });

  it('credits a lone channel with everything, and splits a fixed sequence evenly', () => {
    const lone = markovAttribution([path('Email', 3, 7, 30)]);
    expect(lone.baseline).toBeCloseTo(0.3, 15);
    expect(Array.from(lone.removalEffects)).toEqual([1]);
    expect(Array.from(lone.value)).toEqual([30]);
    // Every journey passes both: removing either kills all conversions, so each gets half.
    const chain = markovAttribution([path('A > B', 4, 4)]);
    expect(Array.from(chain.removalEffects)).toEqual([1, 1]);
    expect(Array.from(chain.conversions)).toEqual([2, 2]);
  });

  it('gives a channel that never leads to a conversion no credit', () => {
    // C only appears on a path that always drops out.
    const m = markovAttribution([...example, path('C', 0, 5)]);
    expect(m.channels).toEqual(['A', 'B', 'C']);
    expect(m.removalEffects[2]).toBe(0);
    expect(m.conversions[0]! + m.conversions[1]!).toBeCloseTo(5, 12);
  });

  it('credits nothing when nothing converts, and ignores paths with no journeys', () => {
    const none = markovAttribution([path('A > B', 0, 4), path('B', 0, 0)]);
    expect(none.baseline).toBe(0);
    expect(Array.from(none.conversions)).toEqual([0, 0]);
    expect(markovAttribution([]).channels).toEqual([]);
  });

  it('handles 100k distinct paths over 20 channels well under a second', () => {
    const channels = Array.from({ length: 20 }, (_, i) => `channel-${i}`);
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const paths = Array.from({ length: 100_000 }, (_, i) => ({
      channels: Array.from({ length: 1 + (i % 8) }, () => channels[Math.floor(random() * 20)]!),
      conversions: Math.floor(random() * 3),
      value: random() * 100,
      nulls: 1 + Math.floor(random() * 10),
    }));
    const started = performance.now();
    const m = markovAttribution(paths);
    const elapsed = performance.now() - started;
    expect(m.channels).toHaveLength(20);
    expect(m.conversions.reduce((s, c) => s + c, 0)).toBeCloseTo(m.totalConversions, 6);
    expect(elapsed).toBeLessThan(1000);
  });
});
