import { describe, expect, it } from 'vitest';
import {
  averagePrecision,
  brierScore,
  calibrationBins,
  logLoss,
  rocAuc,
  thresholdForPrecision,
  thresholdMetrics,
} from './metrics';

// Positives score 0.35, 0.8, 0.4, 0.9; negatives 0.1, 0.4, 0.2, 0.4: two positive–negative ties at 0.4.
const scores = [0.1, 0.4, 0.35, 0.8, 0.4, 0.9, 0.2, 0.4];
const y = [0, 0, 1, 1, 1, 1, 0, 0];

describe('ranking metrics', () => {
  it('ROC-AUC counts ties as half a win (hand count: 13 of 16 pairs)', () => {
    // 0.35 beats 0.1 and 0.2 (2); 0.8 and 0.9 beat all four (8); 0.4 beats two and ties two (3).
    expect(rocAuc(scores, y)).toBeCloseTo(13 / 16, 12);
  });

  it('ROC-AUC is 1 for perfect ranking, 0 for reversed, and NaN with one class', () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    expect(rocAuc([0.3, 0.3, 0.3, 0.3], [0, 1, 0, 1])).toBe(0.5);
    expect(rocAuc([0.1, 0.2], [1, 1])).toBeNaN();
  });

  it('average precision groups tied scores (scikit-learn: 0.816667)', () => {
    expect(averagePrecision(scores, y)).toBeCloseTo(0.8166666666666667, 12);
  });
});

describe('probability metrics', () => {
  it('Brier and log-loss match scikit-learn on the same example', () => {
    expect(brierScore(scores, y)).toBeCloseTo(0.15031250000000002, 12);
    expect(logLoss(scores, y)).toBeCloseTo(0.45559652973111076, 12);
  });

  it('log-loss clips certain mistakes instead of returning Infinity', () => {
    expect(logLoss([0], [1])).toBeCloseTo(-Math.log(1e-15), 6);
  });

  it('calibration bins average predictions and outcomes per bin', () => {
    const bins = calibrationBins([0.05, 0.15, 0.12, 0.95, 1], [0, 1, 0, 1, 1], 10);
    expect(bins.map((b) => b.count)).toEqual([1, 2, 2]);
    expect(bins[1]).toMatchObject({ lower: 0.1, observedRate: 0.5 });
    expect(bins[1]!.meanPredicted).toBeCloseTo(0.135, 12);
    expect(bins[2]).toMatchObject({ observedRate: 1, meanPredicted: 0.975 });
  });
});

describe('threshold metrics', () => {
  it('precision, recall and lift at a threshold (score ≥ threshold is flagged)', () => {
    const m = thresholdMetrics(scores, y, 0.4);
    expect(m).toMatchObject({ truePositives: 3, falsePositives: 2, falseNegatives: 1, trueNegatives: 2 });
    expect(m.precision).toBeCloseTo(0.6, 12);
    expect(m.recall).toBeCloseTo(0.75, 12);
    expect(m.lift).toBeCloseTo(0.6 / 0.5, 12);
    expect(m.flaggedRate).toBeCloseTo(5 / 8, 12);
  });

  it('finds the lowest threshold reaching a target precision, or null', () => {
    // Precision is 1 down to 0.8, 0.6 at 0.4 and 4/6 at 0.35.
    expect(thresholdForPrecision(scores, y, 0.9)!.threshold).toBe(0.8);
    expect(thresholdForPrecision(scores, y, 0.65)!.threshold).toBe(0.35);
    expect(thresholdForPrecision(scores, y, 0.65)!.recall).toBe(1);
    expect(thresholdForPrecision([0.9, 0.1], [0, 1], 0.5)!.threshold).toBe(0.1);
    expect(thresholdForPrecision([0.9, 0.8], [0, 0], 0.5)).toBeNull();
  });
});
