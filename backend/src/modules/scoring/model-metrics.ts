import type { TargetReport } from './model-training';

/** The model card's facts, stored with each version. */
export interface ModelMetrics {
  goal: string;
  horizonDays: number;
  trainWindow: { asOf: string; rows: number };
  evalWindow: { asOf: string; rows: number };
  risk: TargetReport;
  conversion: TargetReport;
  /** The active model scored on the same evaluation window, when there was one. */
  comparedWith: { version: number; riskAuc: number; conversionAuc: number } | null;
  /** Risk scores on the evaluation window (a sample): the reference drift is measured against. */
  reference: number[];
}
