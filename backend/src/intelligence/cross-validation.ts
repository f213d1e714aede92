import { createRng, shuffle } from './random';

/** Row index sets for validation: stratified k-fold, a stratified holdout, and a split by time. */
export interface RowSplit {
  train: Int32Array;
  test: Int32Array;
}

/**
 * k folds with each class spread evenly: positives and negatives are shuffled separately and dealt
 * round-robin, so every fold's positive rate is within one row of the overall rate.
 */
export function stratifiedKFold(y: ArrayLike<number>, k: number, seed = 1): RowSplit[] {
  if (!Number.isInteger(k) || k < 2) throw new Error('k must be an integer ≥ 2');
  if (k > y.length) throw new Error(`cannot make ${k} folds from ${y.length} rows`);
  const fold = assignFolds(y, k, seed);
  const out: RowSplit[] = [];
  for (let f = 0; f < k; f++) {
    const test: number[] = [];
    const train: number[] = [];
    for (let i = 0; i < y.length; i++) (fold[i] === f ? test : train).push(i);
    out.push({ train: Int32Array.from(train), test: Int32Array.from(test) });
  }
  return out;
}

function assignFolds(y: ArrayLike<number>, k: number, seed: number): Int32Array {
  const rng = createRng(seed);
  const fold = new Int32Array(y.length);
  let offset = 0;
  for (const cls of [1, 0]) {
    const idx: number[] = [];
    for (let i = 0; i < y.length; i++) if ((y[i] ? 1 : 0) === cls) idx.push(i);
    shuffle(idx, rng);
    // Continue dealing where the previous class stopped so fold sizes stay balanced overall.
    idx.forEach((row, j) => (fold[row] = (offset + j) % k));
    offset = (offset + idx.length) % k;
  }
  return fold;
}

/** One stratified split with about testFraction of each class in test (at least one row of each). */
export function stratifiedHoldout(y: ArrayLike<number>, testFraction: number, seed = 1): RowSplit {
  const rng = createRng(seed);
  const test: number[] = [];
  const train: number[] = [];
  for (const cls of [1, 0]) {
    const idx: number[] = [];
    for (let i = 0; i < y.length; i++) if ((y[i] ? 1 : 0) === cls) idx.push(i);
    shuffle(idx, rng);
    const m = Math.min(idx.length - 1, Math.max(1, Math.round(idx.length * testFraction)));
    test.push(...idx.slice(0, m));
    train.push(...idx.slice(m));
  }
  return {
    train: Int32Array.from(train.sort((a, b) => a - b)),
    test: Int32Array.from(test.sort((a, b) => a - b)),
  };
}

/**
 * Train on the earlier rows, test on the latest testFraction by time: the honest check for a model
 * that will score the future. Rows sharing the cut-off time all go to test, so no moment is split.
 */
export function timeSplit(time: ArrayLike<number>, testFraction = 0.2): RowSplit & { cutoff: number } {
  const n = time.length;
  const sorted = Float64Array.from(time).sort();
  const cutoff = sorted[Math.min(n - 1, Math.max(0, Math.floor(n * (1 - testFraction))))]!;
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < n; i++) (time[i]! >= cutoff ? test : train).push(i);
  return { train: Int32Array.from(train), test: Int32Array.from(test), cutoff };
}
