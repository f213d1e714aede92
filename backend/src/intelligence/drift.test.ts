import { describe, expect, it } from 'vitest';
import { psi } from './drift';
import { createRng, normal } from './random';

const sample = (n: number, shift: number, seed: number) => {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, () => normal(rng) + shift);
};

describe('population stability index', () => {
  it('is near zero for two samples of the same distribution', () => {
    expect(psi(sample(20_000, 0, 1), sample(20_000, 0, 2)).psi).toBeLessThan(0.01);
  });

  it('is large for a shifted distribution and grows with the shift', () => {
    const ref = sample(20_000, 0, 1);
    const small = psi(ref, sample(20_000, 0.3, 2)).psi;
    const big = psi(ref, sample(20_000, 1, 3)).psi;
    expect(small).toBeGreaterThan(0.05);
    expect(big).toBeGreaterThan(0.25);
    expect(big).toBeGreaterThan(small);
  });

  it('counts missing values as their own bin', () => {
    const ref = sample(5000, 0, 4);
    const cur = Float64Array.from(ref, (v, i) => (i % 4 === 0 ? NaN : v));
    const r = psi(ref, cur);
    expect(r.actual[r.actual.length - 1]).toBeCloseTo(0.25, 2);
    expect(r.psi).toBeGreaterThan(0.25);
  });

  it('uses reference deciles: each holds a tenth of the reference', () => {
    const r = psi(sample(10_000, 0, 5), sample(100, 0, 6));
    expect(r.edges).toHaveLength(10);
    r.expected.slice(0, 10).forEach((e) => expect(e).toBeCloseTo(0.1, 3));
  });
});
