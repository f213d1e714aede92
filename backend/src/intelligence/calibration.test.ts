import { describe, expect, it } from 'vitest';
import { calibrate, fitIsotonic, fitPlatt, pav } from './calibration';
import { createRng } from './random';
import { sigmoid } from './stats';

describe('isotonic regression', () => {
  it('pools adjacent violators (scikit-learn gives 1, 2.5, 2.5, 3.5, 3.5, 5)', () => {
    expect([...pav([1, 3, 2, 4, 3, 5])]).toEqual([1, 2.5, 2.5, 3.5, 3.5, 5]);
  });

  it('pools with weights and across several blocks', () => {
    expect([...pav([3, 1], [3, 1])]).toEqual([2.5, 2.5]);
    expect([...pav([5, 4, 3, 2, 1])]).toEqual([3, 3, 3, 3, 3]);
    expect([...pav([1, 2, 3])]).toEqual([1, 2, 3]);
  });

  it('pools tied scores before fitting and interpolates between fitted points', () => {
    const c = fitIsotonic([1, 1, 2, 3, 4], [0, 1, 0, 1, 1]);
    // Score 1 averages to 0.5, then 0 at score 2 violates: pooled to 1/3 over three rows.
    expect(calibrate(c, 1)).toBeCloseTo(1 / 3, 12);
    expect(calibrate(c, 2)).toBeCloseTo(1 / 3, 12);
    expect(calibrate(c, 3)).toBe(1);
    expect(calibrate(c, 2.5)).toBeCloseTo((1 / 3 + 1) / 2, 12);
    expect(calibrate(c, -10)).toBeCloseTo(1 / 3, 12);
    expect(calibrate(c, 10)).toBe(1);
  });
});

describe('Platt scaling', () => {
  it('recovers a known sigmoid from labels drawn from it', () => {
    const rng = createRng(11);
    const n = 40_000;
    const s = new Float64Array(n);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = rng() * 6 - 3;
      y[i] = rng() < sigmoid(2 * s[i]! - 1) ? 1 : 0;
    }
    const c = fitPlatt(s, y);
    expect(c.a).toBeGreaterThan(1.9);
    expect(c.a).toBeLessThan(2.1);
    expect(c.b).toBeGreaterThan(-1.1);
    expect(c.b).toBeLessThan(-0.9);
    expect(calibrate(c, 0.5)).toBeCloseTo(0.5, 1);
  });

  it('stays finite on a perfectly separated calibration set (Platt target smoothing)', () => {
    const c = fitPlatt([-2, -1, 1, 2], [0, 0, 1, 1]);
    expect(Number.isFinite(c.a) && Number.isFinite(c.b)).toBe(true);
    expect(calibrate(c, 2)).toBeLessThan(1);
    expect(calibrate(c, 2)).toBeGreaterThan(0.6);
  });
});
