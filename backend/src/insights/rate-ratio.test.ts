import { describe, expect, it } from 'vitest';
import { differenceInterval, liftInterval, twoProportionZTest } from './rate-ratio';

const p = (successes: number, trials: number) => ({ successes, trials });

describe('lift with the Katz log interval', () => {
  it('30/100 against 20/100 (hand: se = √(1/30 − 1/100 + 1/20 − 1/100) = 0.251661, 1.5·e^(±1.96·se))', () => {
    const ci = liftInterval(p(30, 100), p(20, 100));
    expect(ci.estimate).toBeCloseTo(1.5, 14);
    expect(ci.lower).toBeCloseTo(0.915960829322366, 12);
    expect(ci.upper).toBeCloseTo(2.45643692172357, 12);
  });

  it('45/1000 against 30/1000 and a null lift of 12/40 against 12/40', () => {
    const ci = liftInterval(p(45, 1000), p(30, 1000));
    expect(ci.lower).toBeCloseTo(0.953027810787058, 12);
    expect(ci.upper).toBeCloseTo(2.36089647598199, 12);
    const same = liftInterval(p(12, 40), p(12, 40));
    expect(same.estimate).toBe(1);
    expect(same.lower * same.upper).toBeCloseTo(1, 14); // symmetric on the log scale
  });

  it('keeps a finite interval when one side has no successes (Haldane–Anscombe: 0.5/11 against 5.5/21)', () => {
    const ci = liftInterval(p(0, 10), p(5, 20));
    expect(ci.estimate).toBe(0);
    expect(ci.lower).toBeCloseTo(0.0105364660462717, 12);
    expect(ci.upper).toBeCloseTo(2.85872827277394, 12);
    expect(liftInterval(p(0, 10), p(0, 10)).estimate).toBeNaN();
  });

  it('has no estimate without trials, and rejects impossible counts', () => {
    expect(liftInterval(p(0, 0), p(3, 10))).toEqual({ estimate: NaN, lower: NaN, upper: NaN });
    expect(() => liftInterval(p(11, 10), p(3, 10))).toThrow(RangeError);
  });
});

// Newcombe (1998), "Interval estimation for the difference between independent proportions", Table II,
// method 10; the extra digits are the same formula evaluated with mpmath.
describe('difference of proportions with the Newcombe hybrid score interval', () => {
  it.each([
    [56, 70, 48, 80, 0.0524314724023649, 0.333872654036906],
    [9, 10, 3, 10, 0.170522723934503, 0.809017973535488],
    [6, 7, 2, 7, 0.0582279274823122, 0.806249637524228],
    [5, 56, 0, 29, -0.0381371479035369, 0.192560013855112],
    [0, 10, 0, 20, -0.161125158052819, 0.277532799862889],
    [0, 10, 0, 10, -0.277532799862889, 0.277532799862889],
    [10, 10, 0, 20, 0.679086037141915, 1],
    [10, 10, 0, 10, 0.607509350430524, 1],
  ])('%i/%i − %i/%i', (x1, n1, x2, n2, lower, upper) => {
    const ci = differenceInterval(p(x1, n1), p(x2, n2));
    expect(ci.estimate).toBeCloseTo(x1 / n1 - x2 / n2, 14);
    expect(ci.lower).toBeCloseTo(lower, 12);
    expect(ci.upper).toBeCloseTo(upper, 12);
  });
});

// z² is R's prop.test(c(x1, x2), c(n1, n2), correct = FALSE) X-squared; p from mpmath erfc(|z|/√2).
describe('two-proportion z-test', () => {
  it.each([
    [30, 100, 20, 100, 1.63299316185545, 0.102470434859749], // X-squared = 2.6667, p-value = 0.1025
    [45, 1000, 30, 1000, 1.7654696590095, 0.0774848651326447],
    [83, 86, 51, 83, 5.62379535558521, 1.86806937314151e-8],
  ])('%i/%i against %i/%i', (x1, n1, x2, n2, z, pValue) => {
    const test = twoProportionZTest(p(x1, n1), p(x2, n2));
    expect(test.z).toBeCloseTo(z, 12);
    expect(test.pValue / pValue).toBeCloseTo(1, 12);
  });

  it('is signed by direction and says "no difference" for identical degenerate groups', () => {
    expect(twoProportionZTest(p(20, 100), p(30, 100)).z).toBeCloseTo(-1.63299316185545, 12);
    expect(twoProportionZTest(p(0, 10), p(0, 30))).toEqual({ z: 0, pValue: 1 });
    expect(twoProportionZTest(p(0, 0), p(0, 30)).pValue).toBeNaN();
  });
});
