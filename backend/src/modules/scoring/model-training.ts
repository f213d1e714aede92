import { fitIsotonic, fitPlatt, type Calibrator } from '../../intelligence/calibration';
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

type Kind = 'logistic' | 'gbdt';

/** Both candidates' fitting: the settings suit behavioural training sets, small and noisy next to public ones. */
function fitKind(kind: Kind, x: Matrix, y: Uint8Array) {
  if (kind === 'logistic') return fitLogistic(x, y, { l2: 1 });
  return fitGbdt(x, y, {
    numTrees: 150,
    learningRate: 0.05,
    maxLeaves: 4,
    minSamplesLeaf: Math.max(5, Math.min(40, Math.floor(x.rows / 50))),
    earlyStoppingRounds: 0,
  }).model;
}

/** Held-out rows of each outcome below which a calibration fitted on them alone is noise. */
const MIN_CALIBRATION_OUTCOMES = 10;
const CALIBRATION_FOLDS = 5;

function fitTarget(x: Matrix, y: Uint8Array): { model: ScoringModel; kind: Kind } {
  const fitIdx: number[] = [];
  const holdIdx: number[] = [];
  for (let i = 0; i < x.rows; i++) (i % 5 === 4 ? holdIdx : fitIdx).push(i);
  const xFit = takeRows(x, fitIdx);
  const yFit = Uint8Array.from(fitIdx, (i) => y[i]!);
  const xHold = takeRows(x, holdIdx);
  const yHold = Uint8Array.from(holdIdx, (i) => y[i]!);

  const candidates = (['logistic', 'gbdt'] as const).map((kind) => {
    const model = fitKind(kind, xFit, yFit);
    return { kind, model, holdMargins: margins(model, xHold) };
  });
  const best = candidates.reduce((a, b) =>
    rocAuc(b.holdMargins, yHold) > rocAuc(a.holdMargins, yHold) ? b : a,
  );
  return { model: { model: best.model, calibrator: calibrate(best, yHold, x, y) }, kind: best.kind };
}

/**
 * Isotonic needs a few hundred rows to be smoother than it is wiggly; Platt is the safer small-data choice. With
 * only a handful of held-out outcomes Platt is fitted on out-of-fold scores of the whole window instead, and a
 * slope that is not positive — which would flatten or invert the ranking the model learned — keeps the model's
 * own odds.
 */
function calibrate(
  best: { kind: Kind; holdMargins: Float64Array },
  yHold: Uint8Array,
  x: Matrix,
  y: Uint8Array,
): Calibrator {
  if (yHold.length >= 1000) return fitIsotonic(best.holdMargins, yHold);
  const positives = yHold.reduce((a, b) => a + b, 0);
  const platt =
    Math.min(positives, yHold.length - positives) >= MIN_CALIBRATION_OUTCOMES
      ? fitPlatt(best.holdMargins, yHold)
      : fitPlatt(outOfFoldMargins(best.kind, x, y), y);
  return platt.a > 0 ? platt : { kind: 'platt', a: 1, b: 0 };
}

/** Each row scored by a model fitted without it (folds by row position, as the hold-out split is). */
function outOfFoldMargins(kind: Kind, x: Matrix, y: Uint8Array): Float64Array {
  const out = new Float64Array(x.rows);
  for (let fold = 0; fold < CALIBRATION_FOLDS; fold++) {
    const inFold: number[] = [];
    const rest: number[] = [];
    for (let i = 0; i < x.rows; i++) (i % CALIBRATION_FOLDS === fold ? inFold : rest).push(i);
    const model = fitKind(
      kind,
      takeRows(x, rest),
      Uint8Array.from(rest, (i) => y[i]!),
    );
    const m = margins(model, takeRows(x, inFold));
    inFold.forEach((row, k) => (out[row] = m[k]!));
  }
  return out;
}

function report(model: ScoringModel, kind: Kind, x: Matrix, y: Uint8Array): TargetReport {
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
