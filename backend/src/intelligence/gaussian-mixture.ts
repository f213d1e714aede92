import { kmeans } from './kmeans';
import { type Matrix } from './matrix';
import { toRowMajor } from './standardize';

/**
 * Gaussian mixture with diagonal covariances, fitted by EM from a k-means++ start, and the choice of k
 * by BIC = −2 log L + (free parameters) · ln n. Diagonal keeps the parameter count linear in features,
 * which BIC rewards on the modest samples stage discovery works with.
 */
export interface GmmOptions {
  seed?: number;
  maxIter?: number;
  /** Stop when the mean log-likelihood per row improves by less than this. */
  tol?: number;
  /** Added to every variance: keeps a component from collapsing onto one point. */
  varianceFloor?: number;
}

export interface GaussianMixture {
  k: number;
  d: number;
  weights: Float64Array;
  /** k × d, row-major. */
  means: Float64Array;
  variances: Float64Array;
  logLikelihood: number;
  bic: number;
  iterations: number;
  converged: boolean;
}

const LOG_2PI = Math.log(2 * Math.PI);

export function fitGmm(x: Matrix, k: number, options: GmmOptions = {}): GaussianMixture {
  const n = x.rows;
  const d = x.cols;
  const floor = options.varianceFloor ?? 1e-6;
  const data = toRowMajor(x);
  const init = kmeans(x, k, { seed: options.seed ?? 1, restarts: 3 });
  const resp = new Float64Array(n * k);
  for (let i = 0; i < n; i++) resp[i * k + init.labels[i]!] = 1;
  const model: GaussianMixture = {
    k,
    d,
    weights: new Float64Array(k),
    means: new Float64Array(k * d),
    variances: new Float64Array(k * d),
    logLikelihood: -Infinity,
    bic: Infinity,
    iterations: 0,
    converged: false,
  };
  mStep(data, n, d, k, resp, model, floor);
  let prev = -Infinity;
  for (let iter = 1; iter <= (options.maxIter ?? 300); iter++) {
    const ll = eStep(data, n, d, model, resp);
    model.iterations = iter;
    model.logLikelihood = ll;
    if (ll / n - prev / n < (options.tol ?? 1e-8)) {
      model.converged = true;
      break;
    }
    prev = ll;
    mStep(data, n, d, k, resp, model, floor);
  }
  const params = 2 * k * d + (k - 1);
  model.bic = -2 * model.logLikelihood + params * Math.log(n);
  return model;
}

/** Responsibilities from the current parameters; returns the total log-likelihood. */
function eStep(data: Float64Array, n: number, d: number, m: GaussianMixture, resp: Float64Array): number {
  const k = m.k;
  const logNorm = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let s = Math.log(m.weights[c]!) - 0.5 * d * LOG_2PI;
    for (let j = 0; j < d; j++) s -= 0.5 * Math.log(m.variances[c * d + j]!);
    logNorm[c] = s;
  }
  let total = 0;
  for (let i = 0; i < n; i++) {
    let mx = -Infinity;
    for (let c = 0; c < k; c++) {
      let s = logNorm[c]!;
      for (let j = 0; j < d; j++) {
        const t = data[i * d + j]! - m.means[c * d + j]!;
        s -= (0.5 * t * t) / m.variances[c * d + j]!;
      }
      resp[i * k + c] = s;
      if (s > mx) mx = s;
    }
    // log-sum-exp: far-out rows would underflow every exp otherwise.
    let sum = 0;
    for (let c = 0; c < k; c++) sum += Math.exp(resp[i * k + c]! - mx);
    const lse = mx + Math.log(sum);
    total += lse;
    for (let c = 0; c < k; c++) resp[i * k + c] = Math.exp(resp[i * k + c]! - lse);
  }
  return total;
}

function mStep(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  resp: Float64Array,
  m: GaussianMixture,
  floor: number,
) {
  for (let c = 0; c < k; c++) {
    let nk = 0;
    for (let i = 0; i < n; i++) nk += resp[i * k + c]!;
    const w = Math.max(nk, 1e-10);
    m.weights[c] = w / n;
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += resp[i * k + c]! * data[i * d + j]!;
      m.means[c * d + j] = s / w;
    }
    for (let j = 0; j < d; j++) {
      const mu = m.means[c * d + j]!;
      let s = 0;
      for (let i = 0; i < n; i++) s += resp[i * k + c]! * (data[i * d + j]! - mu) ** 2;
      m.variances[c * d + j] = s / w + floor;
    }
  }
}

/** Most likely component per row. */
export function gmmAssign(m: GaussianMixture, x: Matrix): Int32Array {
  const n = x.rows;
  const d = m.d;
  const data = toRowMajor(x);
  const resp = new Float64Array(n * m.k);
  eStep(data, n, d, m, resp);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < m.k; c++) if (resp[i * m.k + c]! > resp[i * m.k + best]!) best = c;
    out[i] = best;
  }
  return out;
}

export interface BicSelection {
  best: GaussianMixture;
  candidates: { k: number; bic: number; logLikelihood: number }[];
}

export function selectGmmByBic(x: Matrix, kMin = 1, kMax = 6, options: GmmOptions = {}): BicSelection {
  let best: GaussianMixture | null = null;
  const candidates: BicSelection['candidates'] = [];
  for (let k = kMin; k <= Math.min(kMax, x.rows); k++) {
    const m = fitGmm(x, k, options);
    candidates.push({ k, bic: m.bic, logLikelihood: m.logLikelihood });
    if (!best || m.bic < best.bic) best = m;
  }
  if (!best) throw new Error('no candidate k');
  return { best, candidates };
}
