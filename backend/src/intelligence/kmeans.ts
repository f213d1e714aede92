import { type Matrix } from './matrix';
import { createRng, type Rng } from './random';
import { toRowMajor } from './standardize';

/**
 * k-means with k-means++ seeding (each new centre drawn with probability ∝ squared distance to the
 * nearest chosen one), Lloyd iterations, best of several seeded restarts by inertia. Expects
 * standardised features: distances are Euclidean.
 */
export interface KMeansOptions {
  seed?: number;
  restarts?: number;
  maxIter?: number;
  /** Stop when no centre moves more than this (squared distance). */
  tol?: number;
}

export interface KMeansResult {
  k: number;
  /** k × d, row-major. */
  centroids: Float64Array;
  labels: Int32Array;
  /** Sum of squared distances to the assigned centre. */
  inertia: number;
  iterations: number;
}

export function kmeans(x: Matrix, k: number, options: KMeansOptions = {}): KMeansResult {
  const n = x.rows;
  const d = x.cols;
  if (!Number.isInteger(k) || k < 1 || k > n) throw new Error(`k must be within 1..${n}`);
  const data = toRowMajor(x);
  const rng = createRng(options.seed ?? 1);
  let best: KMeansResult | null = null;
  for (let r = 0; r < (options.restarts ?? 4); r++) {
    const result = lloyd(
      data,
      n,
      d,
      seedPlusPlus(data, n, d, k, rng),
      options.maxIter ?? 300,
      options.tol ?? 1e-10,
    );
    if (!best || result.inertia < best.inertia) best = result;
  }
  return best!;
}

function seedPlusPlus(data: Float64Array, n: number, d: number, k: number, rng: Rng): Float64Array {
  const centroids = new Float64Array(k * d);
  const first = Math.floor(rng() * n);
  centroids.set(data.subarray(first * d, first * d + d), 0);
  const dist = new Float64Array(n).fill(Infinity);
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      const dd = sqDist(data, i * d, centroids, (c - 1) * d, d);
      if (dd < dist[i]!) dist[i] = dd;
      total += dist[i]!;
    }
    let pick = n - 1;
    if (total > 0) {
      let u = rng() * total;
      for (let i = 0; i < n; i++) {
        u -= dist[i]!;
        if (u <= 0) {
          pick = i;
          break;
        }
      }
    } else pick = Math.floor(rng() * n);
    centroids.set(data.subarray(pick * d, pick * d + d), c * d);
  }
  return centroids;
}

function lloyd(
  data: Float64Array,
  n: number,
  d: number,
  centroids: Float64Array,
  maxIter: number,
  tol: number,
): KMeansResult {
  const k = centroids.length / d;
  const labels = new Int32Array(n);
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  let inertia = 0;
  let iterations = 0;
  for (let iter = 1; iter <= maxIter; iter++) {
    iterations = iter;
    inertia = assign(data, n, d, centroids, labels);
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const c = labels[i]!;
      counts[c]!++;
      for (let j = 0; j < d; j++) sums[c * d + j] = sums[c * d + j]! + data[i * d + j]!;
    }
    let shift = 0;
    for (let c = 0; c < k; c++) {
      // An emptied cluster keeps its centre rather than becoming NaN.
      if (!counts[c]) continue;
      let s = 0;
      for (let j = 0; j < d; j++) {
        const v = sums[c * d + j]! / counts[c]!;
        s += (v - centroids[c * d + j]!) ** 2;
        centroids[c * d + j] = v;
      }
      shift = Math.max(shift, s);
    }
    if (shift <= tol) {
      inertia = assign(data, n, d, centroids, labels);
      break;
    }
  }
  return { k, centroids, labels, inertia, iterations };
}

function assign(
  data: Float64Array,
  n: number,
  d: number,
  centroids: Float64Array,
  labels: Int32Array,
): number {
  const k = centroids.length / d;
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    let arg = 0;
    for (let c = 0; c < k; c++) {
      const dd = sqDist(data, i * d, centroids, c * d, d);
      if (dd < best) {
        best = dd;
        arg = c;
      }
    }
    labels[i] = arg;
    inertia += best;
  }
  return inertia;
}

function sqDist(a: Float64Array, ao: number, b: Float64Array, bo: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const t = a[ao + j]! - b[bo + j]!;
    s += t * t;
  }
  return s;
}
