/**
 * Evaluation metrics for binary scores. Labels are 0/1; scores are probabilities where a metric needs
 * them (Brier, log-loss, calibration) and any monotone score otherwise (ROC-AUC, PR-AUC).
 */

/** Ascending order of scores; indices as Int32Array. */
function orderBy(scores: ArrayLike<number>, descending: boolean): Int32Array {
  const idx = Int32Array.from({ length: scores.length }, (_, i) => i);
  const key = Float64Array.from(scores as ArrayLike<number>);
  return idx.sort(descending ? (a, b) => key[b]! - key[a]! : (a, b) => key[a]! - key[b]!);
}

function counts(y: ArrayLike<number>): { pos: number; neg: number } {
  let pos = 0;
  for (let i = 0; i < y.length; i++) pos += y[i] ? 1 : 0;
  return { pos, neg: y.length - pos };
}

/**
 * Area under the ROC curve as the Mann–Whitney statistic: the probability that a random positive
 * outranks a random negative, ties counting one half (mid-ranks). NaN with a single class.
 */
export function rocAuc(scores: ArrayLike<number>, y: ArrayLike<number>): number {
  const { pos, neg } = counts(y);
  if (pos === 0 || neg === 0) return NaN;
  const order = orderBy(scores, false);
  let rankSum = 0;
  let i = 0;
  while (i < order.length) {
    let j = i;
    const s = scores[order[i]!]!;
    while (j + 1 < order.length && scores[order[j + 1]!] === s) j++;
    const midRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (y[order[k]!]) rankSum += midRank;
    i = j + 1;
  }
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/**
 * Average precision (scikit-learn's definition): Σ (Rₖ − Rₖ₋₁) · Pₖ over distinct score thresholds,
 * high to low. Unlike trapezoidal PR-AUC it does not reward interpolating between operating points.
 */
export function averagePrecision(scores: ArrayLike<number>, y: ArrayLike<number>): number {
  const { pos } = counts(y);
  if (pos === 0) return NaN;
  const order = orderBy(scores, true);
  let tp = 0;
  let fp = 0;
  let prevRecall = 0;
  let ap = 0;
  let i = 0;
  while (i < order.length) {
    const s = scores[order[i]!]!;
    while (i < order.length && scores[order[i]!] === s) {
      if (y[order[i]!]) tp++;
      else fp++;
      i++;
    }
    const recall = tp / pos;
    ap += (recall - prevRecall) * (tp / (tp + fp));
    prevRecall = recall;
  }
  return ap;
}

export function brierScore(p: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const d = p[i]! - (y[i] ? 1 : 0);
    s += d * d;
  }
  return s / p.length;
}

/** Mean negative log-likelihood; probabilities are clipped to [1e-15, 1 − 1e-15] as scikit-learn does. */
export function logLoss(p: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const q = Math.min(Math.max(p[i]!, 1e-15), 1 - 1e-15);
    s -= y[i] ? Math.log(q) : Math.log(1 - q);
  }
  return s / p.length;
}

export interface CalibrationBin {
  lower: number;
  upper: number;
  count: number;
  meanPredicted: number;
  observedRate: number;
}

/** Reliability curve: equal-width probability bins (empty bins omitted). */
export function calibrationBins(p: ArrayLike<number>, y: ArrayLike<number>, bins = 10): CalibrationBin[] {
  const count = new Float64Array(bins);
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  for (let i = 0; i < p.length; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(p[i]! * bins)));
    count[b]!++;
    sumP[b] = sumP[b]! + p[i]!;
    sumY[b] = sumY[b]! + (y[i] ? 1 : 0);
  }
  const out: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    if (!count[b]) continue;
    out.push({
      lower: b / bins,
      upper: (b + 1) / bins,
      count: count[b]!,
      meanPredicted: sumP[b]! / count[b]!,
      observedRate: sumY[b]! / count[b]!,
    });
  }
  return out;
}

/** Expected calibration error: |observed − predicted| per bin, weighted by the bin's share of rows. */
export function expectedCalibrationError(p: ArrayLike<number>, y: ArrayLike<number>, bins = 10): number {
  return calibrationBins(p, y, bins).reduce(
    (s, b) => s + (b.count / p.length) * Math.abs(b.observedRate - b.meanPredicted),
    0,
  );
}

export interface ThresholdMetrics {
  threshold: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  /** NaN when nothing is flagged. */
  precision: number;
  recall: number;
  /** Precision over the base rate: how much better than flagging at random. */
  lift: number;
  flaggedRate: number;
}

/** Rows with score ≥ threshold are flagged positive. */
export function thresholdMetrics(
  p: ArrayLike<number>,
  y: ArrayLike<number>,
  threshold: number,
): ThresholdMetrics {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let i = 0; i < p.length; i++) {
    const flagged = p[i]! >= threshold;
    if (y[i]) {
      if (flagged) tp++;
      else fn++;
    } else if (flagged) fp++;
    else tn++;
  }
  const precision = tp + fp ? tp / (tp + fp) : NaN;
  const baseRate = (tp + fn) / p.length;
  return {
    threshold,
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    trueNegatives: tn,
    precision,
    recall: tp + fn ? tp / (tp + fn) : NaN,
    lift: baseRate > 0 ? precision / baseRate : NaN,
    flaggedRate: (tp + fp) / p.length,
  };
}

/**
 * The lowest threshold whose precision is at least target, i.e. the most recall the target allows;
 * null when no threshold reaches it. Acting automatically on a score is gated on this.
 */
export function thresholdForPrecision(
  p: ArrayLike<number>,
  y: ArrayLike<number>,
  target: number,
): ThresholdMetrics | null {
  const order = orderBy(p, true);
  let tp = 0;
  let fp = 0;
  let best = NaN;
  let i = 0;
  while (i < order.length) {
    const s = p[order[i]!]!;
    while (i < order.length && p[order[i]!] === s) {
      if (y[order[i]!]) tp++;
      else fp++;
      i++;
    }
    if (tp / (tp + fp) >= target) best = s;
  }
  return Number.isNaN(best) ? null : thresholdMetrics(p, y, best);
}
