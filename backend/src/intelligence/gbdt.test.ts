import { describe, expect, it } from 'vitest';
import { fitGbdt } from './gbdt';
import { gbdtContributions, gbdtMargins } from './gbdt-predict';
import { fitLogistic, logisticMargins } from './logistic-regression';
import { matrixFromColumns, takeRows } from './matrix';
import { rocAuc } from './metrics';
import { createRng, range } from './random';
import { syntheticData, xorData } from './test-data';

describe('gradient-boosted trees', () => {
  it('fit XOR-like data that logistic regression cannot rank', () => {
    const train = xorData(4000, 1);
    const test = xorData(2000, 2);
    const gb = fitGbdt(train.x, train.y, { numTrees: 60, maxLeaves: 8 }).model;
    const lr = fitLogistic(train.x, train.y);
    expect(rocAuc(gbdtMargins(gb, test.x), test.y)).toBeGreaterThan(0.97);
    expect(rocAuc(logisticMargins(lr, test.x), test.y)).toBeLessThan(0.6);
  });

  it('histogram subtraction grows the same trees as building every histogram from rows', () => {
    const { x, y } = syntheticData(3000, 9, 4);
    const opts = { numTrees: 8, maxLeaves: 16, subsample: 0.7, seed: 3 };
    const a = fitGbdt(x, y, { ...opts, histogramSubtraction: true }).model;
    const b = fitGbdt(x, y, { ...opts, histogramSubtraction: false }).model;
    expect(a.trees.length).toBe(8);
    a.trees.forEach((t, k) => {
      const u = b.trees[k]!;
      expect(t.feature.length).toBeGreaterThan(20);
      expect([...t.feature]).toEqual([...u.feature]);
      expect([...t.threshold]).toEqual([...u.threshold]);
      expect([...t.count]).toEqual([...u.count]);
      t.value.forEach((v, i) => expect(v).toBeCloseTo(u.value[i]!, 12));
    });
  });

  it('respects maxLeaves and minSamplesLeaf', () => {
    const { x, y } = syntheticData(2000, 6, 2);
    const model = fitGbdt(x, y, { numTrees: 5, maxLeaves: 7, minSamplesLeaf: 100 }).model;
    for (const t of model.trees) {
      const leaves = [...t.left.keys()].filter((i) => t.left[i]! < 0);
      expect(leaves.length).toBeLessThanOrEqual(7);
      for (const i of leaves) expect(t.count[i]).toBeGreaterThanOrEqual(100);
    }
  });

  it('stops early when validation loss stops improving, keeping the best iteration', () => {
    // Pure-noise labels: every tree after the first few only overfits.
    const rng = createRng(9);
    const { x } = syntheticData(3000, 5, 1);
    const y = Uint8Array.from({ length: 3000 }, () => (rng() < 0.3 ? 1 : 0));
    const idx = range(3000);
    const train = idx.subarray(0, 2000);
    const val = idx.subarray(2000);
    const run = fitGbdt(
      takeRows(x, train),
      y.subarray(0, 2000),
      { numTrees: 500, earlyStoppingRounds: 10 },
      {
        x: takeRows(x, val),
        y: y.slice(2000),
      },
    );
    expect(run.stoppedEarly).toBe(true);
    expect(run.validationLoss.length).toBeLessThan(100);
    expect(run.model.trees.length).toBe(run.bestIteration);
    expect(run.validationLoss.length).toBe(run.bestIteration + 10);
    const best = Math.min(...run.validationLoss);
    expect(run.validationLoss[run.bestIteration - 1]).toBe(best);
  });

  it('path contributions sum to the margin minus the bias, exactly', () => {
    const { x, y } = syntheticData(3000, 10, 7);
    const model = fitGbdt(x, y, { numTrees: 30 }).model;
    const margins = gbdtMargins(model, x);
    for (const i of [0, 1, 17, 999, 2999]) {
      const { bias, contributions } = gbdtContributions(model, x, i);
      const sum = contributions.reduce((s, c) => s + c, 0);
      expect(Math.abs(bias + sum - margins[i]!)).toBeLessThan(1e-12);
    }
    // The informative features carry the explanation, not the noise ones.
    const total = new Float64Array(10);
    for (let i = 0; i < 300; i++)
      gbdtContributions(model, x, i).contributions.forEach((c, j) => (total[j] = total[j]! + Math.abs(c)));
    expect(total[0]! + total[2]! + total[3]!).toBeGreaterThan(total[6]! + total[7]! + total[8]!);
  });

  it('learns where missing values go', () => {
    // The label is 1 exactly when the feature is missing; present values carry no signal.
    const n = 2000;
    const rng = createRng(4);
    const col = new Float64Array(n);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = rng() < 0.3 ? 1 : 0;
      col[i] = y[i] ? NaN : rng();
    }
    const x = matrixFromColumns(['a'], [col]);
    const model = fitGbdt(x, y, { numTrees: 20 }).model;
    const p = gbdtMargins(model, matrixFromColumns(['a'], [[NaN, 0.5]]));
    expect(p[0]).toBeGreaterThan(2);
    expect(p[1]).toBeLessThan(-2);
  });

  it('grows bit-identical trees with histograms built on two threads', () => {
    const { x, y } = syntheticData(20_000, 14, 8);
    const opts = { numTrees: 6, subsample: 0.8 };
    const one = fitGbdt(x, y, { ...opts, threads: 1 }).model;
    const two = fitGbdt(x, y, { ...opts, threads: 2 }).model;
    expect(two.trees.map((t) => [...t.threshold])).toEqual(one.trees.map((t) => [...t.threshold]));
    expect([...gbdtMargins(two, x)]).toEqual([...gbdtMargins(one, x)]);
  });

  it('is deterministic for a seed', () => {
    const { x, y } = syntheticData(1500, 6, 3);
    const opts = { numTrees: 10, subsample: 0.5, colsample: 0.5, seed: 5 };
    expect([...gbdtMargins(fitGbdt(x, y, opts).model, x)]).toEqual([
      ...gbdtMargins(fitGbdt(x, y, opts).model, x),
    ]);
  });
});
