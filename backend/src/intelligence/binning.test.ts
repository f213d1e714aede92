import { describe, expect, it } from 'vitest';
import { binAt, binMatrix, binOf, fitBins, sortNumbers } from './binning';
import { createMatrix, matrixFromColumns } from './matrix';
import { createRng, normal } from './random';

describe('quantile binning', () => {
  it('gives each distinct value its own bin when there are few, and missing values the last bin', () => {
    const x = matrixFromColumns(['a'], [[3, 1, 2, 2, NaN, 1]]);
    const mapper = fitBins(x);
    expect(mapper.nBins[0]).toBe(3);
    const b = binMatrix(mapper, x);
    expect([0, 1, 2, 3, 4, 5].map((i) => binAt(b, i, 0))).toEqual([2, 0, 1, 1, 3, 0]);
  });

  it('caps bins at maxBins with roughly equal counts, and a heavy value gets a bin alone', () => {
    const rng = createRng(3);
    const n = 20_000;
    const col = Float64Array.from({ length: n }, (_, i) => (i % 2 ? 0 : normal(rng)));
    const mapper = fitBins(matrixFromColumns(['a'], [col]), 32);
    expect(mapper.nBins[0]).toBeLessThanOrEqual(32);
    expect(mapper.nBins[0]).toBeGreaterThan(20);
    const counts = new Array<number>(mapper.nBins[0]!).fill(0);
    for (const v of col) counts[binOf(mapper.edges[0]!, v)]!++;
    expect(Math.max(...counts)).toBe(n / 2); // the zeros
    const others = counts.filter((c) => c !== n / 2);
    expect(Math.max(...others)).toBeLessThan(3 * (n / 2 / 31));
  });

  it('the grid lookup bins every value exactly as a binary search would, in every feature slot', () => {
    const rng = createRng(5);
    const n = 5000;
    const p = 7;
    const x = createMatrix(
      n,
      Array.from({ length: p }, (_, j) => `f${j}`),
    );
    for (let k = 0; k < n * p; k++) x.values[k] = rng() < 0.02 ? NaN : normal(rng) ** 3 * (1 + (k % 3));
    const mapper = fitBins(x);
    const b = binMatrix(mapper, x);
    for (let j = 0; j < p; j++) {
      for (let i = 0; i < n; i++) expect(binAt(b, i, j)).toBe(binOf(mapper.edges[j]!, x.values[j * n + i]!));
    }
    // A split "bin ≤ t" is the same as "value ≤ edges[t]".
    const e = mapper.edges[2]!;
    for (let i = 0; i < n; i++) {
      const v = x.values[2 * n + i]!;
      if (!Number.isNaN(v)) expect(binAt(b, i, 2) <= 40).toBe(v <= e[40]!);
    }
  });
});

describe('sortNumbers', () => {
  it('orders like TypedArray sort: negatives, −0 before +0, infinities, subnormals, repeated values', () => {
    const rng = createRng(11);
    const values = [
      -Infinity,
      Infinity,
      -0,
      0,
      5e-324,
      -5e-324,
      1,
      1,
      -1,
      Number.MAX_VALUE,
      -Number.MAX_VALUE,
    ];
    for (let i = 0; i < 5000; i++) values.push(normal(rng) * 10 ** Math.floor(rng() * 12 - 6));
    const expected = Float64Array.from(values).sort();
    const actual = sortNumbers(Float64Array.from(values));
    expect(Array.from(actual)).toEqual(Array.from(expected));
    expect(Object.is(actual[actual.indexOf(0)], -0)).toBe(true);
  });
});
