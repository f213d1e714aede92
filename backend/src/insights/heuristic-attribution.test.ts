import { describe, expect, it } from 'vitest';
import { heuristicAttribution } from './heuristic-attribution';
import { path } from './test-paths';

describe('heuristic attribution', () => {
  it('credits first, last and every touch (hand counts below)', () => {
    // A > B (2), A (1), B (1), B > A (1), C > A > C (3), D (0 conversions, 5 nulls).
    const h = heuristicAttribution([
      path('A > B', 2, 1),
      path('A', 1, 1),
      path('B', 1, 3),
      path('B > A', 1, 0),
      path('C > A > C', 3, 0),
      path('D', 0, 5),
    ]);
    expect(h.channels).toEqual(['A', 'B', 'C', 'D']);
    // First: A 2 + 1, B 1 + 1, C 3.  Last: B 2 + 1, A 1 + 1, C 3.
    expect(Array.from(h.firstTouch)).toEqual([3, 2, 3, 0]);
    expect(Array.from(h.lastTouch)).toEqual([2, 3, 3, 0]);
    // Linear: A 1 + 1 + ½ + 1, B 1 + 1 + ½, C 2 (two of the three touches of 3 conversions).
    expect(Array.from(h.linear)).toEqual([3.5, 2.5, 2, 0]);
  });

  it('shares each model out to exactly the total conversions', () => {
    const h = heuristicAttribution([path('A > B > C', 1, 0), path('C > B', 2, 0)]);
    for (const credits of [h.firstTouch, h.lastTouch, h.linear]) {
      expect(credits.reduce((s, c) => s + c, 0)).toBeCloseTo(3, 14);
    }
  });
});
