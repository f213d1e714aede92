import { fitIsotonic, fitPlatt } from '../../intelligence/calibration';
import { fitGbdt, gbdtImportance } from '../../intelligence/gbdt';
import { fitLogistic, logisticImportance } from '../../intelligence/logistic-regression';
import { takeRows, type Matrix } from '../../intelligence/matrix';
import {
  averagePrecision,
  brierScore,
  calibrationBins,
  logLoss,
  rocAuc,
  thresholdMetrics,
  type CalibrationBin,
} from '../../intelligence/metrics';
import { margins, scoreBatch, type ScoringModel } from '../../intelligence/scoring-model';
import { fromJson, toJson } from '../../intelligence/serialization';

/** One labelled window: features at an as-of time, and what happened within the horizon after it. */
export interface TrainingData {
  x: Matrix;
  /** Reached the goal within the horizon. */
  converted: Uint8Array;
  /** Neither converted nor moved to a later stage within the horizon. */
  dropped: Uint8Array;
}

export type Target = 'risk' | 'conversion';

export interface TargetReport {
  kind: 'logistic' | 'gbdt';
  rows: number;
  positives: number;
  auc: number;
  prAuc: number;
  brier: number;
  logLoss: number;
  calibration: CalibrationBin[];
  /** Precision/recall at round thresholds: what the journey safety gate reads. */
  thresholds: { threshold: number; precision: number | null; recall: number | null; flaggedRate: number }[];
  importance: { feature: string; importance: number }[];
}

export interface ModelArtifact {
  features: string[];
  risk: unknown;
  conversion: unknown;
}

export interface LoadedModel {
  risk: ScoringModel;
  conversion: ScoringModel;
}

/** Fewer labelled rows than this (or too few of either class) cannot say whether a model is any good. */
export const MIN_ROWS = 50;
export const MIN_POSITIVES = 10;

export function loadArtifact(a: ModelArtifact): LoadedModel {
  return { risk: fromJson(a.risk), conversion: fromJson(a.conversion) };
}

/**
 * Trains both targets on the earlier window and reports how each does on the later one. For each target the
 * candidates (L2 logistic regression and shallow gradient-boosted trees) are fitted on 80 % of the training
 * window and compared on the other 20 %, which also fits the calibration; the evaluation window is touched
 * only to measure.
 */
export function trainModel(
  train: TrainingData,
  evaluation: TrainingData,
): { artifact: ModelArtifact; reports: Record<Target, TargetReport> } {
  const risk = fitTarget(train.x, train.dropped);
  const conversion = fitTarget(train.x, train.converted);
  return {
    artifact: {
      features: [...train.x.names],
      risk: toJson(risk.model),
      conversion: toJson(conversion.model),
    },
    reports: {
      risk: report(risk.model, risk.kind, evaluation.x, evaluation.dropped),
      conversion: report(conversion.model, conversion.kind, evaluation.x, evaluation.converted),
    },
  };
}

/** AUCs of a stored model on a window: how an active model is compared with a candidate on equal terms. */
export function evaluateModel(model: LoadedModel, data: TrainingData): Record<Target, number> {
  return {
    risk: rocAuc(scoreBatch(model.risk, data.x), data.dropped),
    conversion: rocAuc(scoreBatch(model.conversion, data.x), data.converted),
  };
}

export function checkTrainable(data: TrainingData, window: string): string | null {
  const rows = data.x.rows;
  for (const [name, y] of [
    ['conversions', data.converted],
    ['drop-offs', data.dropped],
  ] as const) {
    const positives = y.reduce((a, b) => a + b, 0);
    if (rows < MIN_ROWS || positives < MIN_POSITIVES || rows - positives < MIN_POSITIVES) {
      return `The ${window} window has ${rows} people and ${positives} ${name}; at least ${MIN_ROWS} people and ${MIN_POSITIVES} of each outcome are needed.`;
    }
  }
  return null;
}

function fitTarget(x: Matrix, y: Uint8Array): { model: ScoringModel; kind: 'logistic' | 'gbdt' } {
  const fitIdx: number[] = [];
  const holdIdx: number[] = [];
  for (let i = 0; i < x.rows; i++) (i % 5 === 4 ? holdIdx : fitIdx).push(i);
  const xFit = takeRows(x, fitIdx);
  const yFit = Uint8Array.from(fitIdx, (i) => y[i]!);
  const xHold = takeRows(x, holdIdx);
  const yHold = Uint8Array.from(holdIdx, (i) => y[i]!);

  const logistic = fitLogistic(xFit, yFit, { l2: 1 });
  // Shallow, slow-learning trees: behavioural training sets are small and noisy next to the datasets GBDT
  // defaults are tuned for.
  const { model: gbdt } = fitGbdt(xFit, yFit, {
    numTrees: 150,
    learningRate: 0.05,
    maxLeaves: 4,
    minSamplesLeaf: Math.max(5, Math.min(40, Math.floor(xFit.rows / 50))),
    earlyStoppingRounds: 0,
  });
  const candidates = [
    { kind: 'logistic' as const, model: logistic },
    { kind: 'gbdt' as const, model: gbdt },
  ].map((c) => ({ ...c, holdMargins: margins(c.model, xHold) }));
  const best = candidates.reduce((a, b) =>
    rocAuc(b.holdMargins, yHold) > rocAuc(a.holdMargins, yHold) ? b : a,
  );
  // Isotonic needs a few hundred rows to be smoother than it is wiggly; Platt is the safer small-data choice.
  const calibrator =
    holdIdx.length >= 1000 ? fitIsotonic(best.holdMargins, yHold) : fitPlatt(best.holdMargins, yHold);
  return { model: { model: best.model, calibrator }, kind: best.kind };
}

function report(model: ScoringModel, kind: TargetReport['kind'], x: Matrix, y: Uint8Array): TargetReport {
  const p = scoreBatch(model, x);
  const importance =
    model.model.kind === 'logistic' ? logisticImportance(model.model) : gbdtImportance(model.model);
  const total = importance.reduce((a, b) => a + b, 0) || 1;
  return {
    kind,
    rows: y.length,
    positives: y.reduce((a, b) => a + b, 0),
    auc: rocAuc(p, y),
    prAuc: averagePrecision(p, y),
    brier: brierScore(p, y),
    logLoss: logLoss(p, y),
    calibration: calibrationBins(p, y, 10),
    thresholds: Array.from({ length: 19 }, (_, i) => {
      const m = thresholdMetrics(p, y, (i + 1) / 20);
      return {
        threshold: m.threshold,
        precision: Number.isNaN(m.precision) ? null : m.precision,
        recall: Number.isNaN(m.recall) ? null : m.recall,
        flaggedRate: m.flaggedRate,
      };
    }),
    importance: Array.from(importance, (v, j) => ({ feature: x.names[j]!, importance: v / total }))
      .sort((a, b) => b.importance - a.importance)
      .slice(0, 10),
  };
}
