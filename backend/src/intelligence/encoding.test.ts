import { describe, expect, it } from 'vitest';
import { encodeForLinear, encodeForTrees, prefersLog, sourceColumn } from './encoding';
import { createRng, normal } from './random';
import { type Table } from './table';

describe('log scale for linear models', () => {
  const rng = createRng(11);
  const n = 2000;
  // Log-normal amounts (a long right tail, missing in a few rows), a symmetric score, a 0/1 flag and a
  // column with negative values.
  const amount = Float64Array.from({ length: n }, (_, i) => (i % 50 === 0 ? NaN : Math.exp(normal(rng) + 3)));
  const score = Float64Array.from({ length: n }, () => 50 + 10 * normal(rng));
  const flag = Float64Array.from({ length: n }, () => (rng() < 0.1 ? 1 : 0));
  const signed = Float64Array.from({ length: n }, () => Math.exp(normal(rng)) - 1.5);

  it('takes the more symmetric of x and log(1 + x), only for non-negative columns with 3+ values', () => {
    expect(prefersLog(amount)).toBe(true);
    expect(prefersLog(score)).toBe(false);
    expect(prefersLog(flag)).toBe(false);
    expect(prefersLog(signed)).toBe(false);
    expect(prefersLog(Float64Array.of(NaN, NaN))).toBe(false);
  });

  it('encodes a skewed column as log1p for linear models only; trees keep raw values', () => {
    const t: Table = {
      rows: n,
      columns: [
        { kind: 'numeric', name: 'amount', values: amount },
        { kind: 'numeric', name: 'score', values: score },
      ],
    };
    const lin = encodeForLinear(t);
    expect(lin.names).toEqual(['log1p(amount)', 'score']);
    expect(lin.values[1]).toBeCloseTo(Math.log1p(amount[1]!), 12);
    expect(lin.values[0]).toBeNaN(); // missing stays missing: the model imputes it
    expect(encodeForTrees(t).values.subarray(0, n)).toEqual(amount);
    expect(sourceColumn('log1p(amount)', t)).toBe('amount');
  });
});
