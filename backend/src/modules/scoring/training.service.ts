import { Inject, Injectable } from '@nestjs/common';
import { fitGbdt, type GbdtModel } from '../../intelligence/gbdt';
import { gbdtMargins } from '../../intelligence/gbdt-predict';
import { matrixFromRows, type Matrix } from '../../intelligence/matrix';
import { brierScore, rocAuc } from '../../intelligence/metrics';
import { sigmoid } from '../../intelligence/stats';
import { FEATURE_NAMES, toVector } from './features';
import { FeaturesRepository } from './features.repository';
import { TrainingRepository } from './training.repository';

export interface TrainingSpec {
  /** The canonical event that counts as conversion, e.g. "Order Completed" or "Trial Started". */
  goalEvent: string;
  horizonDays: number;
}

export interface LabelledSet {
  profileIds: string[];
  x: Matrix;
  y: Uint8Array;
}

/**
 * Builds point-in-time training sets and evaluates a model on a later window than it was trained on, the
 * only honest measure of how it will do on people it has not seen yet.
 */
@Injectable()
export class TrainingService {
  constructor(
    @Inject(FeaturesRepository) private readonly features: FeaturesRepository,
    @Inject(TrainingRepository) private readonly repo: TrainingRepository,
  ) {}

  async labelledSet(workspaceId: string, asOf: Date, spec: TrainingSpec): Promise<LabelledSet> {
    const profileIds = await this.repo.eligible(workspaceId, asOf, spec.goalEvent);
    const [rows, converted] = await Promise.all([
      this.features.behaviour(workspaceId, profileIds, asOf),
      this.repo.converted(workspaceId, profileIds, asOf, spec.goalEvent, spec.horizonDays),
    ]);
    const x = matrixFromRows(
      FEATURE_NAMES,
      profileIds.map((id) => Array.from(toVector(rows.get(id)!))),
    );
    const y = Uint8Array.from(profileIds, (id) => (converted.has(id) ? 1 : 0));
    return { profileIds, x, y };
  }

  /** Trains on the window ending at `trainAsOf`, evaluates on the later window ending at `evalAsOf`. */
  async trainAndEvaluate(workspaceId: string, trainAsOf: Date, evalAsOf: Date, spec: TrainingSpec) {
    if (evalAsOf.getTime() < trainAsOf.getTime() + spec.horizonDays * 86_400_000) {
      throw new Error('the evaluation window must start after the training labels are known');
    }
    const train = await this.labelledSet(workspaceId, trainAsOf, spec);
    const test = await this.labelledSet(workspaceId, evalAsOf, spec);
    // Shallow, slow-learning trees: behavioural training sets are small and noisy next to the datasets GBDT
    // defaults are tuned for.
    const { model } = fitGbdt(train.x, train.y, {
      numTrees: 150,
      learningRate: 0.05,
      maxLeaves: 4,
      minSamplesLeaf: 40,
      earlyStoppingRounds: 0,
    });
    const p = Array.from(gbdtMargins(model, test.x), sigmoid);
    return {
      model: model as GbdtModel,
      evaluation: {
        rows: test.y.length,
        positives: test.y.reduce((a, b) => a + b, 0),
        auc: rocAuc(p, test.y),
        brier: brierScore(p, test.y),
      },
      test,
      scores: p,
    };
  }
}
