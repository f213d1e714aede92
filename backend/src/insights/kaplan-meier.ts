import { zForConfidence } from './stats-functions';
import { groupByTime } from './survival-times';
import { type Interval } from './wilson';

/** A Kaplan–Meier curve at every distinct observed time, as R `survfit(Surv(time, event) ~ 1)` lists it. */
export interface SurvivalCurve {
  time: Float64Array;
  atRisk: Uint32Array;
  events: Uint32Array;
  censored: Uint32Array;
  /** S(t) just after time t. */
  survival: Float64Array;
  /** Greenwood standard error of S(t) (R `summary(survfit)` std.err); NaN once S reaches 0. */
  stdErr: Float64Array;
  /** Log-log ("complementary log-log") confidence band: 1 before the first event, NaN once S reaches 0. */
  lower: Float64Array;
  upper: Float64Array;
  /** Median survival with its interval read off the band; NaN where a curve never falls to one half. */
  median: Interval;
}

/**
 * Kaplan–Meier estimate of time-to-event (e.g. time to churn) from times and event flags (1 event,
 * 0 censored). The band is built on log(−log S) so it stays inside [0, 1] and is not too narrow in the
 * tails, the default of Stata and SAS (R's default is log S).
 */
export function kaplanMeier(
  times: ArrayLike<number>,
  events: ArrayLike<number>,
  confidence = 0.95,
): SurvivalCurve {
  const z = zForConfidence(confidence);
  const groups = groupByTime(times, events);
  const m = groups.times.length;
  const curve: SurvivalCurve = {
    time: groups.times,
    atRisk: new Uint32Array(m),
    events: new Uint32Array(m),
    censored: new Uint32Array(m),
    survival: new Float64Array(m),
    stdErr: new Float64Array(m),
    lower: new Float64Array(m),
    upper: new Float64Array(m),
    median: { estimate: NaN, lower: NaN, upper: NaN },
  };
  let atRisk = times.length;
  let survival = 1;
  // Σ d / (n (n − d)): Greenwood's variance of log S.
  let greenwood = 0;
  for (let i = 0; i < m; i++) {
    let died = 0;
    for (let k = groups.starts[i]!; k < groups.starts[i + 1]!; k++) died += events[groups.order[k]!]!;
    const leaving = groups.starts[i + 1]! - groups.starts[i]!;
    survival *= 1 - died / atRisk;
    greenwood += died === 0 ? 0 : died < atRisk ? died / (atRisk * (atRisk - died)) : Infinity;
    curve.atRisk[i] = atRisk;
    curve.events[i] = died;
    curve.censored[i] = leaving - died;
    curve.survival[i] = survival;
    curve.stdErr[i] = survival > 0 ? survival * Math.sqrt(greenwood) : NaN;
    setLogLogBand(curve, i, survival, greenwood, z);
    atRisk -= leaving;
  }
  curve.median = {
    estimate: medianTime(curve.time, curve.survival),
    lower: medianTime(curve.time, curve.lower),
    upper: medianTime(curve.time, curve.upper),
  };
  return curve;
}

function setLogLogBand(
  curve: SurvivalCurve,
  i: number,
  survival: number,
  greenwood: number,
  z: number,
): void {
  if (survival === 1 || survival === 0) {
    curve.lower[i] = curve.upper[i] = survival === 1 ? 1 : NaN;
    return;
  }
  // S^exp(±z·se) where se = √greenwood / |log S| is the delta-method SE of log(−log S).
  const spread = (z * Math.sqrt(greenwood)) / Math.abs(Math.log(survival));
  curve.lower[i] = survival ** Math.exp(spread);
  curve.upper[i] = survival ** Math.exp(-spread);
}

const HALF_TOLERANCE = Math.sqrt(Number.EPSILON);

/**
 * The first time a (non-increasing) curve is at or below one half, R's rule: if it sits exactly at one half
 * over a stretch, the midpoint between that time and the time it next drops.
 */
function medianTime(time: Float64Array, curve: Float64Array): number {
  const first = curve.findIndex((s) => s < 0.5 + HALF_TOLERANCE);
  if (first < 0) return NaN;
  const atHalf = Math.abs(curve[first]! - 0.5) < HALF_TOLERANCE;
  if (atHalf) {
    const drop = curve.findIndex((s, i) => i > first && s < curve[first]!);
    if (drop >= 0) return (time[first]! + time[drop]!) / 2;
  }
  return time[first]!;
}
