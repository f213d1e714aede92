import { type Calibrator, calibrateAll, fitIsotonic, fitPlatt } from './calibration';
import { type RowSplit, stratifiedHoldout, stratifiedKFold, timeSplit } from './cross-validation';
import { type LabelledTable } from './csv';
import { DataError } from './data-error';
import { encodeForLinear, encodeForTrees } from './encoding';
import { fitGbdt, gbdtImportance, type GbdtOptions } from './gbdt';
import { gbdtMargins } from './gbdt-predict';
import {
  fitLogistic,
  logisticImportance,
  logisticMargins,
  type LogisticOptions,
} from './logistic-regression';
import { column, type Matrix, take, takeRows } from './matrix';
import { averagePrecision, brierScore, expectedCalibrationError, logLoss, rocAuc } from './metrics';
import { meanSd } from './stats';

/**
 * Trains and scores both models the same way on the same splits: per fold, an inner stratified split
 * of the training rows gives the GBDT its early-stopping set and both models their calibration set;
 * test rows are touched only for the metrics. With a time column, one split: the latest rows are test.
 */
export interface EvaluateOptions {
  folds?: number;
  /** Evaluate on the latest testFraction by data.time instead of folds. */
  byTime?: boolean;
  testFraction?: number;
  seed?: number;
  calibration?: 'platt' | 'isotonic';
  /** Share of each training fold held out for early stopping and calibration. */
  innerValidation?: number;
  gbdt?: Partial<GbdtOptions>;
  logistic?: LogisticOptions;
  topFeatures?: number;
}

/**
 * Stochastic boosting (row and feature subsampling), modest trees, slow learning rate and early stopping:
 * the robust choice for tabular sets of thousands to hundreds of thousands of rows.
 */
export const EVALUATION_GBDT: Partial<GbdtOptions> = {
  numTrees: 1000,
  learningRate: 0.05,
  maxLeaves: 15,
  minSamplesLeaf: 20,
  l2: 1,
  subsample: 0.8,
  colsample: 0.8,
  earlyStoppingRounds: 50,
};

export interface Summary {
  mean: number;
  sd: number;
  values: number[];
}

export interface ModelReport {
  rocAuc: Summary;
  prAuc: Summary;
  brier: Summary;
  logLoss: Summary;
  /** Expected calibration error over 10 equal-width bins, after calibration. */
  calibrationError: Summary;
  trainSeconds: Summary;
  features: number;
  calibration: 'platt' | 'isotonic';
  /** Importance shares (sum 1 over all features), averaged over folds. */
  topFeatures: { feature: string; importance: number }[];
  /** GBDT only: trees kept after early stopping. */
  trees?: Summary;
}

export interface EvaluationReport {
  rows: number;
  positives: number;
  positiveLabel: string;
  scheme: string;
  columns: { input: number; linear: number; trees: number };
  warnings: string[];
  models: { logistic: ModelReport; gbdt: ModelReport };
}

interface FoldResult {
  probabilities: Float64Array;
  seconds: number;
  importance: Float64Array;
  trees?: number;
}

export function evaluateModels(data: LabelledTable, options: EvaluateOptions = {}): EvaluationReport {
  const { y, table } = data;
  const seed = options.seed ?? 1;
  const calibration = options.calibration ?? 'platt';
  const inner = options.innerValidation ?? 0.2;
  const linear = encodeForLinear(table);
  const trees = encodeForTrees(table);
  const splits = makeSplits(data, options);
  const warnings = [...data.warnings, ...leakageWarnings(trees, y)];

  const results = { logistic: [] as FoldResult[], gbdt: [] as FoldResult[] };
  const metrics = { logistic: [] as number[][], gbdt: [] as number[][] };
  splits.forEach((split, fold) => {
    const yTrain = take(y, split.train);
    const yTest = take(y, split.test);
    if (!yTest.includes(1) || !yTest.includes(0)) {
      throw new DataError(
        `evaluation fold ${fold + 1} has a single class in its test rows: use fewer folds or more data`,
      );
    }
    const holdout = stratifiedHoldout(yTrain, inner, seed + fold);
    const fitRows = take(split.train, holdout.train);
    const calRows = take(split.train, holdout.test);
    const yFit = take(y, fitRows);
    const yCal = take(y, calRows);

    let t0 = performance.now();
    const lr = fitLogistic(takeRows(linear, fitRows), yFit, options.logistic);
    const lrCal = fitCalibrator(calibration, logisticMargins(lr, takeRows(linear, calRows)), yCal);
    // A linear model barely changes with 25% more rows, so the calibrator fitted on the inner model's
    // held-out scores carries over to a refit on the whole training fold (scikit-learn's
    // CalibratedClassifierCV(ensemble=False) does the same), and LR gets all the data.
    const lrFull = fitLogistic(takeRows(linear, split.train), yTrain, options.logistic);
    const lrSeconds = (performance.now() - t0) / 1000;
    const lrProb = calibrateAll(lrCal, logisticMargins(lrFull, takeRows(linear, split.test)));
    results.logistic.push({
      probabilities: lrProb,
      seconds: lrSeconds,
      importance: share(logisticImportance(lrFull)),
    });

    t0 = performance.now();
    const calX = takeRows(trees, calRows);
    const gb = fitGbdt(
      takeRows(trees, fitRows),
      yFit,
      { ...EVALUATION_GBDT, seed: seed + fold, ...options.gbdt },
      {
        x: calX,
        y: yCal,
      },
    );
    const gbCal = fitCalibrator(calibration, gbdtMargins(gb.model, calX), yCal);
    const gbSeconds = (performance.now() - t0) / 1000;
    const gbProb = calibrateAll(gbCal, gbdtMargins(gb.model, takeRows(trees, split.test)));
    results.gbdt.push({
      probabilities: gbProb,
      seconds: gbSeconds,
      importance: share(gbdtImportance(gb.model)),
      trees: gb.model.trees.length,
    });

    for (const [name, p] of [
      ['logistic', lrProb],
      ['gbdt', gbProb],
    ] as const) {
      metrics[name].push([
        rocAuc(p, yTest),
        averagePrecision(p, yTest),
        brierScore(p, yTest),
        logLoss(p, yTest),
        expectedCalibrationError(p, yTest),
      ]);
    }
  });

  const report = (name: 'logistic' | 'gbdt', m: Matrix): ModelReport => {
    const r = results[name];
    const col = (k: number) => summary(metrics[name].map((row) => row[k]!));
    const importance = new Float64Array(m.cols);
    for (const f of r)
      for (let j = 0; j < m.cols; j++) importance[j] = importance[j]! + f.importance[j]! / r.length;
    const top = Array.from(importance.keys())
      .sort((a, b) => importance[b]! - importance[a]!)
      .slice(0, options.topFeatures ?? 10)
      .filter((j) => importance[j]! > 0)
      .map((j) => ({ feature: m.names[j]!, importance: round(importance[j]!, 4) }));
    return {
      rocAuc: col(0),
      prAuc: col(1),
      brier: col(2),
      logLoss: col(3),
      calibrationError: col(4),
      trainSeconds: summary(r.map((f) => f.seconds)),
      features: m.cols,
      calibration,
      topFeatures: top,
      ...(name === 'gbdt' ? { trees: summary(r.map((f) => f.trees!)) } : {}),
    };
  };

  let positives = 0;
  for (const v of y) positives += v;
  return {
    rows: y.length,
    positives,
    positiveLabel: data.positive,
    scheme: options.byTime
      ? `time: train on the earliest ${100 - Math.round((options.testFraction ?? 0.2) * 100)}%, test on the latest ${Math.round((options.testFraction ?? 0.2) * 100)}%`
      : `stratified ${splits.length}-fold cross-validation`,
    columns: { input: table.columns.length, linear: linear.cols, trees: trees.cols },
    warnings,
    models: { logistic: report('logistic', linear), gbdt: report('gbdt', trees) },
  };
}

function makeSplits(data: LabelledTable, options: EvaluateOptions): RowSplit[] {
  if (options.byTime) {
    if (!data.time) throw new DataError('a time split needs a time column');
    const s = timeSplit(data.time, options.testFraction ?? 0.2);
    if (!s.train.length || !s.test.length)
      throw new DataError('the time column does not split the rows into earlier and later');
    return [s];
  }
  const k = options.folds ?? 5;
  let pos = 0;
  for (const v of data.y) pos += v;
  const minority = Math.min(pos, data.y.length - pos);
  if (!Number.isInteger(k) || k < 2)
    throw new DataError(`--folds must be an integer of at least 2, got ${k}`);
  if (minority < k * 2) {
    throw new DataError(`only ${minority} rows of the rarer class: too few for ${k} folds`);
  }
  return stratifiedKFold(data.y, k, options.seed ?? 1);
}

function fitCalibrator(kind: 'platt' | 'isotonic', scores: Float64Array, y: Uint8Array): Calibrator {
  return kind === 'platt' ? fitPlatt(scores, y) : fitIsotonic(scores, y);
}

function share(v: Float64Array): Float64Array {
  let s = 0;
  for (const x of v) s += x;
  return s > 0 ? v.map((x) => x / s) : v;
}

function summary(values: number[]): Summary {
  const { mean, sd } = meanSd(values);
  return { mean: round(mean, 4), sd: round(sd, 4), values: values.map((v) => round(v, 4)) };
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/**
 * A single column that ranks the label almost perfectly is usually the label in disguise (Telco's
 * Churn_int is Churn as 0/1); say so rather than report a perfect model.
 */
function leakageWarnings(x: Matrix, y: Uint8Array): string[] {
  const out: string[] = [];
  for (let j = 0; j < x.cols; j++) {
    const col = column(x, j);
    const keep: number[] = [];
    for (let i = 0; i < col.length; i++) if (!Number.isNaN(col[i]!)) keep.push(i);
    if (keep.length < 0.5 * col.length) continue;
    const auc = rocAuc(take(col, keep), take(y, keep));
    if (Math.max(auc, 1 - auc) >= 0.995) {
      out.push(
        `column "${x.names[j]}" alone separates the label (AUC ${Math.max(auc, 1 - auc).toFixed(3)}): a leak? drop it with --drop`,
      );
    }
  }
  return out;
}
