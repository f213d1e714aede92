import { describe, expect, it } from 'vitest';
import { logRankTest } from './log-rank';

// R survival's `aml` data: maintained (0) and non-maintained (1) chemotherapy, weeks to relapse.
const amlWeeks = [9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161, 5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45];
const amlRelapsed = [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1];
const amlArm = [...Array(11).fill(0), ...Array(12).fill(1)];

describe('log-rank test', () => {
  it('matches survdiff(Surv(time, status) ~ x, data = aml)', () => {
    // R: Observed 7, 11; Expected 10.69, 7.31; Chisq = 3.4 on 1 df, p = 0.07. Full digits from the same
    // sums (hypergeometric mean and variance at each death time) in mpmath: V = 4.007550746.
    const test = logRankTest(amlWeeks, amlRelapsed, amlArm);
    expect(test.groups).toEqual([0, 1]);
    expect(Array.from(test.observed)).toEqual([7, 11]);
    expect(test.expected[0]).toBeCloseTo(10.6893359923007, 12);
    expect(test.expected[1]).toBeCloseTo(7.31066400769927, 12);
    expect(test.chiSquare).toBeCloseTo(3.3963886989776, 12);
    expect(test.df).toBe(1);
    expect(test.pValue).toBeCloseTo(0.0653393220405049, 12);
  });

  it('compares three groups on 2 df (survdiff on the same data; mpmath reference)', () => {
    const times = [1, 2, 3, 4, 5, 6, 2, 3, 3, 7, 8, 9, 5, 6, 6, 10, 11, 12];
    const events = [1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1];
    const groups = [...Array(6).fill(7), ...Array(6).fill(8), ...Array(6).fill(9)];
    const test = logRankTest(times, events, groups);
    expect(test.groups).toEqual([7, 8, 9]);
    expect(Array.from(test.observed)).toEqual([5, 4, 5]);
    [2.02409387997623, 3.58467023172906, 8.39123588829471].forEach((e, j) =>
      expect(test.expected[j]).toBeCloseTo(e, 12),
    );
    expect(test.expected.reduce((s, e) => s + e, 0)).toBeCloseTo(14, 12); // E sums to the 14 deaths
    expect(test.chiSquare).toBeCloseTo(7.59846956023364, 11);
    expect(test.df).toBe(2);
    expect(test.pValue).toBeCloseTo(0.022387896966994, 12);
  });

  it('is 0 for identical groups and does not depend on group order', () => {
    const same = logRankTest([1, 2, 3, 1, 2, 3], [1, 1, 0, 1, 1, 0], [0, 0, 0, 1, 1, 1]);
    expect(same.chiSquare).toBeCloseTo(0, 14);
    expect(same.pValue).toBeCloseTo(1, 12);
    const swapped = logRankTest(
      amlWeeks,
      amlRelapsed,
      amlArm.map((g) => 1 - g),
    );
    expect(swapped.chiSquare).toBeCloseTo(3.3963886989776, 12);
  });

  it('drops a group that is never at risk with another at an event time, losing a degree of freedom', () => {
    // Group 2 is censored before the first relapse: O = E = 0, so the test is the two-group aml one.
    const test = logRankTest([...amlWeeks, 1, 2], [...amlRelapsed, 0, 0], [...amlArm, 2, 2]);
    expect(test.df).toBe(1);
    expect(test.chiSquare).toBeCloseTo(3.3963886989776, 12);
    expect(test.expected[2]).toBe(0);
  });

  it('has no p-value without a shared event time, and rejects malformed input', () => {
    expect(logRankTest([1, 2], [0, 0], [0, 1])).toMatchObject({ chiSquare: 0, df: 0, pValue: NaN });
    expect(() => logRankTest([1, 2], [1, 1], [0, 0])).toThrow(/two groups/);
    expect(() => logRankTest([1, 2], [1, 1], [0])).toThrow(RangeError);
  });
});
