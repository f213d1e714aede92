import { describe, expect, it } from 'vitest';
import { matrixFromColumns } from '../../intelligence/matrix';
import { rocAuc } from '../../intelligence/metrics';
import { createRng, normal } from '../../intelligence/random';
import { margins, scoreBatch } from '../../intelligence/scoring-model';
import { loadArtifact, trainModel, type TrainingData } from './model-training';

/** People whose first feature drives a rare outcome: about one in twenty converts. */
function window(seed: number, rows: number): TrainingData {
  const rng = createRng(seed);
  const cols = [[], [], []] as number[][];
  const converted = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    const signal = normal(rng);
    cols[0]!.push(signal);
    cols[1]!.push(normal(rng));
    cols[2]!.push(Math.floor(rng() * 5));
    converted[i] = rng() < 1 / (1 + Math.exp(-(2 * signal - 4))) ? 1 : 0;
  }
  const x = matrixFromColumns(['signal', 'noise', 'visits'], cols);
  return { x, converted, dropped: converted.map((c) => 1 - c) };
}

describe('model training on small windows', () => {
  it('never lets calibration flatten or invert the ranking when the hold-out has only a few conversions', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const train = window(seed, 100);
      const evaluation = window(seed + 100, 400);
      const { artifact, reports } = trainModel(train, evaluation);
      const model = loadArtifact(artifact).conversion;
      const raw = rocAuc(margins(model.model, evaluation.x), evaluation.converted);
      // Calibration is monotone: the calibrated scores rank people exactly as the model's own scores do.
      expect(reports.conversion.auc).toBeCloseTo(raw, 10);
      expect(rocAuc(scoreBatch(model, evaluation.x), evaluation.converted)).toBeGreaterThan(0.65);
    }
  });
});
