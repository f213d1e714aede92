import { describe, expect, it } from 'vitest';
import { gmmAssign, selectGmmByBic } from './gaussian-mixture';
import { kmeans } from './kmeans';
import { createMatrix, type Matrix } from './matrix';
import { createRng, normal } from './random';

/** Gaussian blobs around the given centres, sd 1 in every dimension (shuffled row order). */
function blobs(centres: number[][], perBlob: number, seed: number): { x: Matrix; truth: Int32Array } {
  const rng = createRng(seed);
  const d = centres[0]!.length;
  const n = centres.length * perBlob;
  const x = createMatrix(
    n,
    Array.from({ length: d }, (_, j) => `x${j}`),
  );
  const truth = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % centres.length;
    truth[i] = c;
    for (let j = 0; j < d; j++) x.values[j * n + i] = centres[c]![j]! + normal(rng);
  }
  return { x, truth };
}

/** Share of rows whose cluster maps to their true group under the best one-to-one relabelling. */
function agreement(labels: Int32Array, truth: Int32Array, k: number): number {
  const perms = (a: number[]): number[][] =>
    a.length <= 1
      ? [a]
      : a.flatMap((v, i) => perms([...a.slice(0, i), ...a.slice(i + 1)]).map((p) => [v, ...p]));
  let best = 0;
  for (const p of perms([...Array(k).keys()])) {
    let hit = 0;
    for (let i = 0; i < labels.length; i++) if (p[labels[i]!] === truth[i]) hit++;
    best = Math.max(best, hit / labels.length);
  }
  return best;
}

const CENTRES = [
  [0, 0, 0],
  [10, 0, 5],
  [0, 10, -5],
  [10, 10, 0],
];

describe('k-means++', () => {
  it('recovers well-separated clusters exactly', () => {
    const { x, truth } = blobs(CENTRES, 150, 1);
    const r = kmeans(x, 4, { seed: 2 });
    expect(agreement(r.labels, truth, 4)).toBe(1);
    // Inertia ≈ n · d · σ² for correct clusters.
    expect(r.inertia / (600 * 3)).toBeGreaterThan(0.8);
    expect(r.inertia / (600 * 3)).toBeLessThan(1.2);
  });

  it('inertia falls as k grows and k = n puts every row alone', () => {
    const { x } = blobs(CENTRES, 10, 3);
    const i2 = kmeans(x, 2).inertia;
    const i4 = kmeans(x, 4).inertia;
    expect(i4).toBeLessThan(i2);
    expect(kmeans(x, 40).inertia).toBeCloseTo(0, 9);
  });
});

describe('Gaussian mixture with BIC', () => {
  it('picks the generating number of components on blobs', () => {
    const { x, truth } = blobs(CENTRES.slice(0, 3), 200, 5);
    const sel = selectGmmByBic(x, 1, 6, { seed: 3 });
    expect(sel.best.k).toBe(3);
    expect(sel.candidates.map((c) => c.k)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(agreement(gmmAssign(sel.best, x), truth, 3)).toBe(1);
    // Weights near 1/3 and unit variances.
    for (const w of sel.best.weights) expect(w).toBeCloseTo(1 / 3, 1);
    for (const v of sel.best.variances) expect(Math.abs(v - 1)).toBeLessThan(0.3);
  });

  it('picks one component for a single blob', () => {
    const { x } = blobs([[0, 0]], 400, 7);
    expect(selectGmmByBic(x, 1, 4).best.k).toBe(1);
  });
});
