import type { Matrix } from '../../intelligence/matrix';
import { explainRow, type Model } from '../../intelligence/scoring-model';
import { describeFeature } from './feature-phrases';
import type { FeatureName } from './features';

/**
 * The three behaviours that raise a person's drop-off risk the most, in words. Contributions are in
 * log-odds before calibration; the calibrator is monotone, so their ranking is the calibrated one.
 */
export function riskReasons(model: Model, x: Matrix, row: number): string[] {
  return explainRow(model, x, row, x.cols)
    .top.filter((c) => c.contribution > 0)
    .slice(0, 3)
    .map((c) => describeFeature(c.feature as FeatureName, Number.isNaN(c.value) ? null : c.value));
}
