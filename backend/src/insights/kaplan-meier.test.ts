import { describe, expect, it } from 'vitest';
import { kaplanMeier } from './kaplan-meier';

// R survival's `aml` data, maintained arm: weeks to relapse, 0 = censored.
const weeks = [9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161];
const relapsed = [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0];

const expectClose = (actual: ArrayLike<number>, expected: number[], digits = 12) =>
  expected.forEach((v, i) =>
    Number.isNaN(v) ? expect(actual[i]).toBeNaN() : expect(actual[i]).toBeCloseTo(v, digits),
  );

describe('Kaplan–Meier', () => {
  it('matches summary(survfit(Surv(time, status) ~ 1, aml[aml$x == "Maintained", ], conf.type = "log-log"))', () => {
    const km = kaplanMeier(weeks, relapsed);
    expect(Array.from(km.time)).toEqual([9, 13, 18, 23, 28, 31, 34, 45, 48, 161]);
    expect(Array.from(km.atRisk)).toEqual([11, 10, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(Array.from(km.events)).toEqual([1, 1, 1, 1, 0, 1, 1, 0, 1, 0]);
    expect(Array.from(km.censored)).toEqual([0, 1, 0, 0, 1, 0, 0, 1, 0, 1]);
    // Products of (1 − d/n): 10/11, ·9/10, ·7/8, ·6/7, ·4/5, ·3/4, ·1/2.
    expectClose(km.survival, [
      10 / 11,
      9 / 11,
      63 / 88,
      54 / 88,
      54 / 88,
      0.490909090909091,
      0.368181818181818,
      0.368181818181818,
      0.184090909090909,
      0.184090909090909,
    ]);
    // Greenwood S·√Σ d/(n(n − d)), R prints 0.0867 0.1163 0.1397 0.1526 0.1642 0.1627 0.1535; the band is
    // S^exp(±1.96·√Σ/|log S|). Extra digits from the same formulas in mpmath.
    expectClose(
      km.stdErr,
      [
        0.0866784172041448, 0.116291299830333, 0.139664970557228, 0.152632331027312, 0.152632331027312,
        0.164193267221136, 0.162668885827095, 0.162668885827095, 0.153492745786294, 0.153492745786294,
      ],
    );
    expectClose(
      km.lower,
      [
        0.508080205769929, 0.447428614682181, 0.350190385907938, 0.265752040001286, 0.265752040001286,
        0.167330909776851, 0.0928295749369852, 0.0928295749369852, 0.0117384801231896, 0.0117384801231896,
      ],
    );
    expectClose(
      km.upper,
      [
        0.986673822667823, 0.951162228582492, 0.899023974191054, 0.835299243250222, 0.835299243250222,
        0.753399790370811, 0.657040832398164, 0.657040832398164, 0.525014842726642, 0.525014842726642,
      ],
    );
    // print(survfit(...)): median 31, 0.95LCL 13 (log-log band), 0.95UCL NA (the upper band never reaches 0.5).
    expect(km.median.estimate).toBe(31);
    expect(km.median.lower).toBe(13);
    expect(km.median.upper).toBeNaN();
  });

  it('ends at zero with an undefined error when the last subject has the event (aml, non-maintained arm)', () => {
    const km = kaplanMeier(
      [5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45],
      [1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1],
    );
    const last = km.time.length - 1;
    expect(km.survival[last]).toBe(0);
    expect(km.stdErr[last]).toBeNaN();
    expect(km.lower[last]).toBeNaN();
    expect(km.stdErr[0]).toBeCloseTo(0.107582870727984, 12);
    // print(survfit(..., conf.type = "log-log")): median 23, 0.95LCL 5, 0.95UCL 33.
    expect(km.median).toEqual({ estimate: 23, lower: 5, upper: 33 });
  });

  it('takes the midpoint when the curve sits exactly at one half (hand: 3/4, then ·2/3 = 1/2 over [3, 6))', () => {
    const km = kaplanMeier([2, 3, 4, 6], [1, 1, 0, 1]);
    expectClose(km.survival, [0.75, 0.5, 0.5, 0], 15);
    expect(km.median.estimate).toBe((3 + 6) / 2);
  });

  it('starts at one with a degenerate band before the first event, and handles no data', () => {
    const km = kaplanMeier([1, 2, 3], [0, 1, 0]);
    expect([km.survival[0], km.lower[0], km.upper[0], km.stdErr[0]]).toEqual([1, 1, 1, 0]);
    expect(kaplanMeier([], []).median.estimate).toBeNaN();
  });

  it('rejects malformed input', () => {
    expect(() => kaplanMeier([1, 2], [1])).toThrow(/2 times but 1/);
    expect(() => kaplanMeier([1, NaN], [1, 1])).toThrow(/time 1/);
    expect(() => kaplanMeier([1, 2], [1, 2])).toThrow(/event flag 1/);
  });
});
