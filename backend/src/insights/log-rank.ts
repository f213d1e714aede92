import { solveLinearSystem } from './linear-solve';
import { chiSquareSurvival } from './stats-functions';
import { groupByTime } from './survival-times';

/** The log-rank comparison of k survival curves, as R `survdiff(Surv(time, event) ~ group)` prints it. */
export interface LogRankResult {
  /** The distinct group codes, ascending; observed and expected follow this order. */
  groups: number[];
  observed: Float64Array;
  expected: Float64Array;
  chiSquare: number;
  df: number;
  /** NaN when fewer than two groups ever share an event time, so there is nothing to compare. */
  pValue: number;
}

/**
 * Log-rank test that k groups share one survival curve (e.g. churn timing across segments): at every event
 * time the deaths are split among the groups in proportion to their numbers at risk, and (O − E)ᵀ V⁻¹ (O − E)
 * over k − 1 groups is chi-square with k − 1 degrees of freedom under the null.
 */
export function logRankTest(
  times: ArrayLike<number>,
  events: ArrayLike<number>,
  groups: ArrayLike<number>,
): LogRankResult {
  if (groups.length !== times.length)
    throw new RangeError(`${times.length} times but ${groups.length} groups`);
  const byTime = groupByTime(times, events);
  const codes = [...new Set(Array.from(groups))].sort((a, b) => a - b);
  if (codes.length < 2) throw new RangeError('the log-rank test needs at least two groups');
  const k = codes.length;
  const groupOf = new Map(codes.map((code, j) => [code, j]));
  const atRisk = new Float64Array(k);
  for (let i = 0; i < groups.length; i++) atRisk[groupOf.get(groups[i]!)!]!++;
  let total = groups.length;

  const observed = new Float64Array(k);
  const expected = new Float64Array(k);
  const variance = new Float64Array(k * k);
  const died = new Float64Array(k);
  const leaving = new Float64Array(k);
  for (let t = 0; t < byTime.times.length; t++) {
    died.fill(0);
    leaving.fill(0);
    for (let p = byTime.starts[t]!; p < byTime.starts[t + 1]!; p++) {
      const i = byTime.order[p]!;
      const j = groupOf.get(groups[i]!)!;
      died[j]! += events[i]!;
      leaving[j]!++;
    }
    const d = died.reduce((s, v) => s + v, 0);
    if (d > 0) {
      // Hypergeometric moments of the d deaths among the groups' numbers at risk.
      const spread = total > 1 ? (d * (total - d)) / (total - 1) : 0;
      for (let a = 0; a < k; a++) {
        const share = atRisk[a]! / total;
        observed[a]! += died[a]!;
        expected[a]! += d * share;
        for (let b = 0; b < k; b++) {
          variance[a * k + b]! += spread * share * ((a === b ? 1 : 0) - atRisk[b]! / total);
        }
      }
    }
    for (let j = 0; j < k; j++) atRisk[j]! -= leaving[j]!;
    total -= byTime.starts[t + 1]! - byTime.starts[t]!;
  }
  const { chiSquare, df } = quadraticForm(observed, expected, variance, k);
  return {
    groups: codes,
    observed,
    expected,
    chiSquare,
    df,
    pValue: df > 0 ? chiSquareSurvival(chiSquare, df) : NaN,
  };
}

/**
 * (O − E)ᵀ V⁻¹ (O − E) on all groups but one. A group with no variance (never at risk alongside another at an
 * event time) has O = E and carries no information, so it is left out and costs a degree of freedom; R's
 * survdiff likewise counts only groups with expected events.
 */
function quadraticForm(observed: Float64Array, expected: Float64Array, variance: Float64Array, k: number) {
  const informative = [...Array(k).keys()].filter((j) => variance[j * k + j]! > 0);
  const kept = informative.slice(0, -1);
  const df = kept.length;
  if (df === 0) return { chiSquare: 0, df };
  const v = new Float64Array(df * df);
  kept.forEach((a, r) => kept.forEach((b, c) => (v[r * df + c] = variance[a * k + b]!)));
  const u = Float64Array.from(kept, (j) => observed[j]! - expected[j]!);
  const x = solveLinearSystem(v, u, df);
  return { chiSquare: u.reduce((s, uj, r) => s + uj * x[r]!, 0), df };
}
