import { describe, expect, it } from 'vitest';
import { wilsonInterval } from './wilson';

// Newcombe (1998), "Two-sided confidence intervals for the single proportion", Table I, method 3 (score
// interval without continuity correction) — the same numbers as R prop.test(x, n, correct = FALSE)$conf.int.
// The extra digits are from the closed form evaluated with mpmath.
describe('Wilson score interval', () => {
  it.each([
    [81, 263, 0.255288519878274, 0.3662095769828],
    [15, 148, 0.0623863995307363, 0.160487241723308],
    [1, 29, 0.00611321429276266, 0.171755218793203],
    [5, 10, 0.236593090512564, 0.763406909487436],
  ])('%i of %i', (x, n, lower, upper) => {
    const ci = wilsonInterval(x, n);
    expect(ci.estimate).toBeCloseTo(x / n, 15);
    expect(ci.lower).toBeCloseTo(lower, 12);
    expect(ci.upper).toBeCloseTo(upper, 12);
  });

  it('is exactly 0 at no successes and exactly 1 at all successes', () => {
    expect(wilsonInterval(0, 20)).toEqual({
      estimate: 0,
      lower: 0,
      upper: expect.closeTo(0.161125158052819, 12),
    });
    expect(wilsonInterval(29, 29)).toEqual({
      estimate: 1,
      lower: expect.closeTo(0.883030201500259, 12),
      upper: 1,
    });
    expect(wilsonInterval(0, 1).upper).toBeCloseTo(0.793450685622763, 12);
  });

  it('knows nothing without trials', () => {
    expect(wilsonInterval(0, 0)).toEqual({ estimate: NaN, lower: 0, upper: 1 });
  });

  it('widens with the confidence level (81/263 at 99%)', () => {
    const ci = wilsonInterval(81, 263, 0.99);
    expect(ci.lower).toBeCloseTo(0.240136902687608, 12);
    expect(ci.upper).toBeCloseTo(0.38528250231823, 12);
  });

  it('rejects impossible counts', () => {
    expect(() => wilsonInterval(5, 4)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 4)).toThrow(RangeError);
    expect(() => wilsonInterval(1, NaN)).toThrow(RangeError);
  });
});
