import { sigmoid } from './stats';

/**
 * Maps a model's raw score (its log-odds) to a calibrated probability, fitted on held-out rows.
 * Platt: a two-parameter sigmoid, robust on small calibration sets. Isotonic: any monotone map, by pool
 * adjacent violators, better with plenty of data; it interpolates linearly between fitted points.
 */
export type Calibrator = PlattCalibrator | IsotonicCalibrator;

export interface PlattCalibrator {
  readonly kind: 'platt';
  readonly a: number;
  readonly b: number;
}

export interface IsotonicCalibrator {
  readonly kind: 'isotonic';
  /** Ascending scores and their fitted probabilities. */
  readonly x: Float64Array;
  readonly y: Float64Array;
}

/**
 * Platt (1999) with his label smoothing (targets (N₊+1)/(N₊+2) and 1/(N₋+2)), which keeps a perfectly
 * separated calibration set from driving the slope to infinity. Newton on two parameters.
 */
export function fitPlatt(scores: ArrayLike<number>, y: ArrayLike<number>): PlattCalibrator {
  const n = scores.length;
  let pos = 0;
  for (let i = 0; i < n; i++) pos += y[i]! ? 1 : 0;
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (n - pos + 2);
  let a = 1;
  let b = 0;
  let f = loss(a, b);
  for (let iter = 0; iter < 100; iter++) {
    let g1 = 0;
    let g2 = 0;
    let h11 = 1e-12;
    let h22 = 1e-12;
    let h21 = 0;
    for (let i = 0; i < n; i++) {
      const s = scores[i]!;
      const p = sigmoid(a * s + b);
      const d = p - (y[i] ? hi : lo);
      const w = p * (1 - p);
      g1 += d * s;
      g2 += d;
      h11 += w * s * s;
      h22 += w;
      h21 += w * s;
    }
    const det = h11 * h22 - h21 * h21;
    const da = (h22 * g1 - h21 * g2) / det;
    const db = (h11 * g2 - h21 * g1) / det;
    let step = 1;
    let na = a;
    let nb = b;
    let nf = f;
    for (let k = 0; k < 30; k++) {
      na = a - step * da;
      nb = b - step * db;
      nf = loss(na, nb);
      if (nf <= f) break;
      step /= 2;
    }
    const moved = Math.abs(na - a) + Math.abs(nb - b);
    a = na;
    b = nb;
    const improvement = f - nf;
    f = nf;
    if (moved < 1e-10 || improvement < 1e-13 * Math.max(1, Math.abs(f))) break;
  }
  return { kind: 'platt', a, b };

  function loss(pa: number, pb: number): number {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const z = pa * scores[i]! + pb;
      const t = y[i] ? hi : lo;
      // −[t log σ(z) + (1−t) log(1−σ(z))] = softplus(z) − t z, stable for large |z|.
      s += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - t * z;
    }
    return s;
  }
}

/**
 * Weighted pool-adjacent-violators on values already in order: the non-decreasing sequence closest to
 * values in weighted least squares.
 */
export function pav(values: ArrayLike<number>, weights?: ArrayLike<number>): Float64Array {
  const n = values.length;
  const mean = new Float64Array(n);
  const weight = new Float64Array(n);
  const size = new Int32Array(n);
  let blocks = 0;
  for (let i = 0; i < n; i++) {
    mean[blocks] = values[i]!;
    weight[blocks] = weights ? weights[i]! : 1;
    size[blocks] = 1;
    blocks++;
    while (blocks > 1 && mean[blocks - 2]! > mean[blocks - 1]!) {
      const w = weight[blocks - 2]! + weight[blocks - 1]!;
      mean[blocks - 2] =
        (mean[blocks - 2]! * weight[blocks - 2]! + mean[blocks - 1]! * weight[blocks - 1]!) / w;
      weight[blocks - 2] = w;
      size[blocks - 2] = size[blocks - 2]! + size[blocks - 1]!;
      blocks--;
    }
  }
  const out = new Float64Array(n);
  let k = 0;
  for (let b = 0; b < blocks; b++) for (let j = 0; j < size[b]!; j++) out[k++] = mean[b]!;
  return out;
}

/** Isotonic calibration: tied scores are pooled first, so the map is a function of the score. */
export function fitIsotonic(scores: ArrayLike<number>, y: ArrayLike<number>): IsotonicCalibrator {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((i, j) => scores[i]! - scores[j]!);
  const xs: number[] = [];
  const sums: number[] = [];
  const ws: number[] = [];
  for (const i of order) {
    const s = scores[i]!;
    const last = xs.length - 1;
    if (last >= 0 && xs[last] === s) {
      sums[last]! += y[i]!;
      ws[last]!++;
    } else {
      xs.push(s);
      sums.push(y[i]!);
      ws.push(1);
    }
  }
  const fitted = pav(
    sums.map((s, k) => s / ws[k]!),
    ws,
  );
  // Keep only the ends of each flat run: interpolation between them gives the same map.
  const keepX: number[] = [];
  const keepY: number[] = [];
  for (let k = 0; k < xs.length; k++) {
    const prev = k > 0 ? fitted[k - 1] : NaN;
    const next = k + 1 < xs.length ? fitted[k + 1] : NaN;
    if (fitted[k] !== prev || fitted[k] !== next) {
      keepX.push(xs[k]!);
      keepY.push(fitted[k]!);
    }
  }
  return { kind: 'isotonic', x: Float64Array.from(keepX), y: Float64Array.from(keepY) };
}

export function calibrate(c: Calibrator, score: number): number {
  if (c.kind === 'platt') return sigmoid(c.a * score + c.b);
  const { x, y } = c;
  const n = x.length;
  if (n === 0) return NaN;
  if (score <= x[0]!) return y[0]!;
  if (score >= x[n - 1]!) return y[n - 1]!;
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (x[mid]! <= score) lo = mid;
    else hi = mid;
  }
  const t = (score - x[lo]!) / (x[hi]! - x[lo]!);
  return y[lo]! + t * (y[hi]! - y[lo]!);
}

export function calibrateAll(c: Calibrator, scores: Float64Array): Float64Array {
  const out = new Float64Array(scores.length);
  for (let i = 0; i < scores.length; i++) out[i] = calibrate(c, scores[i]!);
  return out;
}
