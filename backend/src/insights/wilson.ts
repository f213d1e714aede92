import { zForConfidence } from './stats-functions';

/** A point estimate with its two-sided confidence bounds. */
export interface Interval {
  estimate: number;
  lower: number;
  upper: number;
}

/**
 * Wilson score interval for successes out of trials (R `prop.test(x, n, correct = FALSE)`). Unlike the Wald
 * interval it stays inside [0, 1] and keeps its coverage at 0 and n successes, which conversion counts often
 * hit. No trials means nothing is known: the estimate is NaN and the interval is all of [0, 1].
 */
export function wilsonInterval(successes: number, trials: number, confidence = 0.95): Interval {
  checkCounts(successes, trials);
  if (trials === 0) return { estimate: NaN, lower: 0, upper: 1 };
  const z = zForConfidence(confidence);
  const p = successes / trials;
  const z2n = (z * z) / trials;
  const centre = (p + z2n / 2) / (1 + z2n);
  const halfWidth = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / trials + z2n / (4 * trials));
  // At the edges the exact bound is 0 or 1; rounding would otherwise leave a stray 1e-17.
  return {
    estimate: p,
    lower: successes === 0 ? 0 : centre - halfWidth,
    upper: successes === trials ? 1 : centre + halfWidth,
  };
}

/** Throws a RangeError unless 0 ≤ successes ≤ trials, both finite (fractional counts from weighting are fine). */
export function checkCounts(successes: number, trials: number): void {
  if (!(Number.isFinite(successes) && Number.isFinite(trials) && successes >= 0 && successes <= trials)) {
    throw new RangeError(`need 0 ≤ successes ≤ trials, got ${successes} of ${trials}`);
  }
}
