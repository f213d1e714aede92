import { choleskySolve } from './linear-algebra';
import { minimizeLbfgs } from './lbfgs';
import { type Matrix } from './matrix';
import { meanSd, sigmoid, softplus } from './stats';

/**
 * L2-penalised logistic regression. The penalty applies to standardised coefficients (so it does not
 * depend on units) and never to the intercept; the fitted model is stored in original units so a
 * score is intercept + Σ coefficient × value and an explanation is coefficient × (value − mean).
 * Missing values are imputed with the training mean, which makes their contribution exactly zero.
 */
export interface LogisticOptions {
  /** λ in Σ log-loss + λ/2 · ‖β‖². With standardize: false this is scikit-learn's 1/C. */
  l2?: number;
  standardize?: boolean;
  /** Newton (IRLS) is exact and fast up to a few hundred features; L-BFGS avoids the p² Hessian beyond. */
  solver?: 'auto' | 'newton' | 'lbfgs';
  maxIter?: number;
  tol?: number;
}

export interface LogisticModel {
  readonly kind: 'logistic';
  readonly names: readonly string[];
  readonly intercept: number;
  readonly coefficients: Float64Array;
  /** Training means: the imputation value and the explanation baseline. */
  readonly means: Float64Array;
  /** Training standard deviations: |coefficient| × sd is a unit-free importance. */
  readonly sds: Float64Array;
  readonly l2: number;
  readonly iterations: number;
  readonly converged: boolean;
}

const NEWTON_MAX_FEATURES = 200;

export function fitLogistic(x: Matrix, y: Uint8Array, options: LogisticOptions = {}): LogisticModel {
  const { rows: n, cols: p } = x;
  if (y.length !== n) throw new Error(`${n} rows but ${y.length} labels`);
  const l2 = options.l2 ?? 1;
  const standardize = options.standardize ?? true;
  const solver =
    options.solver === 'auto' || !options.solver
      ? p <= NEWTON_MAX_FEATURES
        ? 'newton'
        : 'lbfgs'
      : options.solver;

  const means = new Float64Array(p);
  const sds = new Float64Array(p);
  const center = new Float64Array(p);
  const scale = new Float64Array(p).fill(1);
  for (let j = 0; j < p; j++) {
    const { mean, sd } = meanSd(x.values.subarray(j * n, (j + 1) * n));
    means[j] = Number.isNaN(mean) ? 0 : mean;
    sds[j] = sd;
    if (standardize) {
      center[j] = means[j]!;
      scale[j] = sd > 0 ? sd : 1;
    }
  }
  // The design in working units, built once: every iteration sweeps it column by column.
  const z = new Float64Array(n * p);
  for (let j = 0; j < p; j++) {
    const src = j * n;
    const c = center[j]!;
    const s = scale[j]!;
    const fill = (means[j]! - c) / s;
    for (let i = 0; i < n; i++) {
      const v = x.values[src + i]!;
      z[src + i] = Number.isNaN(v) ? fill : (v - c) / s;
    }
  }
  let positives = 0;
  for (let i = 0; i < n; i++) positives += y[i]!;
  const start = new Float64Array(p + 1);
  start[0] = Math.log((positives + 0.5) / (n - positives + 0.5));

  const fit =
    solver === 'newton'
      ? newton(z, y, n, p, l2, start, options.maxIter ?? 100, options.tol ?? 1e-10)
      : lbfgs(z, y, n, p, l2, start, options.maxIter ?? 1000, options.tol ?? 1e-9);

  const coefficients = new Float64Array(p);
  let intercept = fit.theta[0]!;
  for (let j = 0; j < p; j++) {
    coefficients[j] = fit.theta[j + 1]! / scale[j]!;
    intercept -= coefficients[j]! * center[j]!;
  }
  return {
    kind: 'logistic',
    names: [...x.names],
    intercept,
    coefficients,
    means,
    sds,
    l2,
    iterations: fit.iterations,
    converged: fit.converged,
  };
}

interface Fit {
  theta: Float64Array;
  iterations: number;
  converged: boolean;
}

/** Penalised negative log-likelihood; fills margins as a side effect. */
function objective(
  z: Float64Array,
  y: Uint8Array,
  n: number,
  p: number,
  l2: number,
  theta: Float64Array,
  margin: Float64Array,
) {
  margin.fill(theta[0]!);
  for (let j = 0; j < p; j++) {
    const b = theta[j + 1]!;
    if (b === 0) continue;
    const off = j * n;
    for (let i = 0; i < n; i++) margin[i] = margin[i]! + b * z[off + i]!;
  }
  let f = 0;
  for (let i = 0; i < n; i++) f += softplus(margin[i]!) - y[i]! * margin[i]!;
  for (let j = 1; j <= p; j++) f += 0.5 * l2 * theta[j]! * theta[j]!;
  return f;
}

function newton(
  z: Float64Array,
  y: Uint8Array,
  n: number,
  p: number,
  l2: number,
  start: Float64Array,
  maxIter: number,
  tol: number,
): Fit {
  const k = p + 1;
  let theta = Float64Array.from(start);
  const margin = new Float64Array(n);
  const w = new Float64Array(n);
  const r = new Float64Array(n);
  const wz = new Float64Array(n);
  const h = new Float64Array(k * k);
  const g = new Float64Array(k);
  let f = objective(z, y, n, p, l2, theta, margin);
  for (let iter = 1; iter <= maxIter; iter++) {
    let sw = 0;
    let sr = 0;
    for (let i = 0; i < n; i++) {
      const pi = sigmoid(margin[i]!);
      w[i] = pi * (1 - pi);
      r[i] = pi - y[i]!;
      sw += w[i]!;
      sr += r[i]!;
    }
    h[0] = sw;
    g[0] = sr;
    for (let a = 0; a < p; a++) {
      const offA = a * n;
      let gs = 0;
      let hs = 0;
      for (let i = 0; i < n; i++) {
        const v = z[offA + i]!;
        gs += r[i]! * v;
        wz[i] = w[i]! * v;
        hs += wz[i]!;
      }
      g[a + 1] = gs + l2 * theta[a + 1]!;
      h[a + 1] = h[(a + 1) * k] = hs;
      for (let b = 0; b <= a; b++) {
        const offB = b * n;
        let s = 0;
        for (let i = 0; i < n; i++) s += wz[i]! * z[offB + i]!;
        if (b === a) s += l2;
        h[(a + 1) * k + b + 1] = h[(b + 1) * k + a + 1] = s;
      }
    }
    const delta = choleskySolve(h, g, k);
    // Step halving keeps the iteration monotone when the unpenalised fit nears separation.
    let step = 1;
    let next = theta;
    let fNext = Infinity;
    for (let tries = 0; tries < 30; tries++) {
      next = new Float64Array(k);
      for (let j = 0; j < k; j++) next[j] = theta[j]! - step * delta[j]!;
      fNext = objective(z, y, n, p, l2, next, margin);
      if (fNext <= f + 1e-12 * Math.abs(f)) break;
      step *= 0.5;
    }
    let maxStep = 0;
    for (let j = 0; j < k; j++) maxStep = Math.max(maxStep, Math.abs(next[j]! - theta[j]!));
    const relChange = Math.abs(f - fNext) / Math.max(1, Math.abs(f));
    theta = next;
    f = fNext;
    if (maxStep < tol || relChange < 1e-15) return { theta, iterations: iter, converged: true };
  }
  return { theta, iterations: maxIter, converged: false };
}

function lbfgs(
  z: Float64Array,
  y: Uint8Array,
  n: number,
  p: number,
  l2: number,
  start: Float64Array,
  maxIter: number,
  tol: number,
): Fit {
  const margin = new Float64Array(n);
  const r = new Float64Array(n);
  const result = minimizeLbfgs(
    (theta, grad) => {
      const f = objective(z, y, n, p, l2, theta, margin);
      let s0 = 0;
      for (let i = 0; i < n; i++) {
        r[i] = sigmoid(margin[i]!) - y[i]!;
        s0 += r[i]!;
      }
      grad[0] = s0;
      for (let j = 0; j < p; j++) {
        const off = j * n;
        let s = 0;
        for (let i = 0; i < n; i++) s += r[i]! * z[off + i]!;
        grad[j + 1] = s + l2 * theta[j + 1]!;
      }
      return f;
    },
    start,
    { maxIter, tol },
  );
  return { theta: result.x, iterations: result.iterations, converged: result.converged };
}

/** Log-odds for every row of x (columns must match the model's names, in order). */
export function logisticMargins(model: LogisticModel, x: Matrix): Float64Array {
  assertColumns(model.names, x);
  const n = x.rows;
  const out = new Float64Array(n).fill(model.intercept);
  for (let j = 0; j < x.cols; j++) {
    const b = model.coefficients[j]!;
    const fill = model.means[j]!;
    const off = j * n;
    for (let i = 0; i < n; i++) {
      const v = x.values[off + i]!;
      out[i] = out[i]! + b * (Number.isNaN(v) ? fill : v);
    }
  }
  return out;
}

/** coefficient × (value − mean) per feature; bias is the log-odds of a row at the training means. */
export function logisticContributions(model: LogisticModel, x: Matrix, rowIndex: number) {
  assertColumns(model.names, x);
  const contributions = new Float64Array(x.cols);
  let bias = model.intercept;
  for (let j = 0; j < x.cols; j++) {
    const v = x.values[j * x.rows + rowIndex]!;
    bias += model.coefficients[j]! * model.means[j]!;
    contributions[j] = Number.isNaN(v) ? 0 : model.coefficients[j]! * (v - model.means[j]!);
  }
  return { bias, contributions };
}

/** |standardised coefficient|: how far one training sd of the feature moves the log-odds. */
export function logisticImportance(model: LogisticModel): Float64Array {
  return model.coefficients.map((c, j) => Math.abs(c) * model.sds[j]!);
}

export function assertColumns(names: readonly string[], x: Matrix): void {
  if (x.cols !== names.length || names.some((name, j) => x.names[j] !== name)) {
    throw new Error(`matrix columns [${x.names.slice(0, 5).join(', ')}…] do not match the model's features`);
  }
}
