import { type Calibrator, calibrateAll } from './calibration';
import { type GbdtModel } from './gbdt';
import { gbdtContributions, gbdtMargins } from './gbdt-predict';
import { type LogisticModel, logisticContributions, logisticMargins } from './logistic-regression';
import { type Matrix } from './matrix';
import { sigmoid } from './stats';

/**
 * What gets stored and used to score: a model (its margin is log-odds) and optionally the calibrator
 * fitted on held-out rows. Everything downstream goes through these functions, not the model kinds.
 */
export type Model = LogisticModel | GbdtModel;

export interface ScoringModel {
  readonly model: Model;
  readonly calibrator?: Calibrator;
}

export function margins(model: Model, x: Matrix): Float64Array {
  return model.kind === 'logistic' ? logisticMargins(model, x) : gbdtMargins(model, x);
}

/** Calibrated probabilities when a calibrator is present, else the model's own sigmoid. */
export function scoreBatch(s: ScoringModel, x: Matrix): Float64Array {
  const m = margins(s.model, x);
  if (s.calibrator) return calibrateAll(s.calibrator, m);
  for (let i = 0; i < m.length; i++) m[i] = sigmoid(m[i]!);
  return m;
}

export interface Contribution {
  feature: string;
  value: number;
  /** In log-odds: positive raises the score. */
  contribution: number;
}

export interface Explanation {
  /** Log-odds of a typical row (LR: at the training means; trees: the expected path values). */
  bias: number;
  margin: number;
  top: Contribution[];
}

/** Contributions in log-odds (the calibrator is monotone, so signs and ranking carry over). */
export function explainRow(model: Model, x: Matrix, rowIndex: number, k = 5): Explanation {
  const { bias, contributions } =
    model.kind === 'logistic'
      ? logisticContributions(model, x, rowIndex)
      : gbdtContributions(model, x, rowIndex);
  let margin = bias;
  for (const c of contributions) margin += c;
  return { bias, margin, top: topContributions(x, rowIndex, contributions, k) };
}

/** The k largest contributions by magnitude, with feature names and the row's values. */
export function topContributions(
  x: Matrix,
  rowIndex: number,
  contributions: Float64Array,
  k: number,
): Contribution[] {
  const idx = Array.from(contributions.keys())
    .filter((j) => contributions[j] !== 0)
    .sort((a, b) => Math.abs(contributions[b]!) - Math.abs(contributions[a]!) || a - b)
    .slice(0, k);
  return idx.map((j) => ({
    feature: x.names[j]!,
    value: x.values[j * x.rows + rowIndex]!,
    contribution: contributions[j]!,
  }));
}
