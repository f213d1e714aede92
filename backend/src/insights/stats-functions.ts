/**
 * The special functions behind the insights' p-values and intervals: log-gamma, the regularised incomplete
 * gamma functions (hence chi-square tails) and the standard normal CDF and quantile, all to near double
 * precision so that reported p-values agree with R to the printed digits.
 */

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
const EPSILON = 1e-16;
const MAX_ITERATIONS = 1000;
const TINY = 1e-300;

/** ln Γ(x) for x > 0 (Lanczos, g = 7, about 15 significant digits). */
export function lnGamma(x: number): number {
  if (!(x > 0)) return NaN;
  // Lanczos is accurate from 0.5 up; below, Γ(x) = Γ(x + 1) / x.
  if (x < 0.5) return lnGamma(x + 1) - Math.log(x);
  const y = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (y + i);
  const t = y + LANCZOS_G + 0.5;
  return HALF_LOG_2PI + (y + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Regularised lower incomplete gamma P(a, x) = γ(a, x) / Γ(a). */
export function regularizedGammaP(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return NaN;
  if (x === 0) return 0;
  if (x === Infinity) return 1;
  // The series converges fast below a + 1, the continued fraction above; each is the other's complement.
  return x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x);
}

/** Regularised upper incomplete gamma Q(a, x) = 1 − P(a, x), without cancellation in the upper tail. */
export function regularizedGammaQ(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return NaN;
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x);
}

function gammaSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < MAX_ITERATIONS; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPSILON) break;
  }
  return sum * Math.exp(a * Math.log(x) - x - lnGamma(a));
}

/** Q(a, x) by Legendre's continued fraction, evaluated with the modified Lentz method. */
function gammaContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  return h * Math.exp(a * Math.log(x) - x - lnGamma(a));
}

/** Upper tail P(X ≥ x) of a chi-square distribution with df degrees of freedom. */
export function chiSquareSurvival(x: number, df: number): number {
  if (x <= 0) return df > 0 ? 1 : NaN;
  return regularizedGammaQ(df / 2, x / 2);
}

/** Standard normal CDF Φ(z), with full relative precision in the lower tail (erfc(t) = Q(½, t²)). */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  const tail = 0.5 * regularizedGammaQ(0.5, (z * z) / 2);
  return z < 0 ? tail : 1 - tail;
}

// Acklam's rational approximation (relative error 1.15e-9), refined below by one Halley step.
const CENTRAL_NUM = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
  2.506628277459239,
];
const CENTRAL_DEN = [
  -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1,
  1,
];
const TAIL_NUM = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const TAIL_DEN = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416, 1];
const TAIL_BREAK = 0.02425;

/** Standard normal quantile Φ⁻¹(p); ±Infinity at 0 and 1. */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  // Work in the lower half so the refinement's Φ(x) − p keeps its relative precision.
  if (p > 0.5) return -normalQuantile(1 - p);
  let x: number;
  if (p < TAIL_BREAK) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = horner(TAIL_NUM, q) / horner(TAIL_DEN, q);
  } else {
    const q = p - 0.5;
    const r = q * q;
    x = (horner(CENTRAL_NUM, r) * q) / horner(CENTRAL_DEN, r);
  }
  const u = (normalCdf(x) - p) * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

function horner(coefficients: readonly number[], x: number): number {
  let s = 0;
  for (const c of coefficients) s = s * x + c;
  return s;
}

/** The two-sided critical value z with Φ(z) = 1 − (1 − confidence) / 2, e.g. 1.959964 for 0.95. */
export function zForConfidence(confidence: number): number {
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  return normalQuantile(1 - (1 - confidence) / 2);
}
