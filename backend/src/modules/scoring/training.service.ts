import { Inject, Injectable } from '@nestjs/common';
import { matrixFromRows } from '../../intelligence/matrix';
import { FEATURE_NAMES, toVector, type FeatureRow } from './features';
import { FeaturesRepository } from './features.repository';
import type { Goal } from './goal';
import { trainModel, type TrainingData } from './model-training';
import { assignStage, type StageDefinition } from './stage-rules';
import { TrainingRepository } from './training.repository';

export interface TrainingSpec {
  goal: Goal;
  horizonDays: number;
  stages: StageDefinition[];
}

export interface LabelledSet extends TrainingData {
  profileIds: string[];
  /** The same features by person, as named rows. */
  features: Map<string, FeatureRow>;
}

const DAY_MS = 86_400_000;

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

  /**
   * Everyone eligible at `asOf` with their features then, and two labels from the horizon after it:
   * converted (the goal happened) and dropped (neither converted nor reached a later stage).
   */
  async labelledSet(workspaceId: string, asOf: Date, spec: TrainingSpec): Promise<LabelledSet> {
    const goalEvent = spec.goal.kind === 'event' ? spec.goal.event : null;
    const later = new Date(asOf.getTime() + spec.horizonDays * DAY_MS);
    let profileIds = await this.repo.eligible(workspaceId, asOf, goalEvent);
    const [now, then, convertedByEvent] = await Promise.all([
      this.features.behaviour(workspaceId, profileIds, asOf),
      this.features.behaviour(workspaceId, profileIds, later),
      goalEvent
        ? this.repo.converted(workspaceId, profileIds, asOf, goalEvent, spec.horizonDays)
        : Promise.resolve(null),
    ]);
    const stageAt = (row: FeatureRow | undefined) => assignStage(spec.stages, row ?? {}).index;
    const goalStage =
      spec.goal.kind === 'stage'
        ? spec.stages.findIndex((s) => s.key === (spec.goal as { stage: string }).stage)
        : -1;
    // With a stage goal, people already at or past it have converted and are not scored.
    if (goalStage >= 0) profileIds = profileIds.filter((id) => stageAt(now.get(id)) < goalStage);
    const converted = Uint8Array.from(profileIds, (id) =>
      convertedByEvent ? (convertedByEvent.has(id) ? 1 : 0) : stageAt(then.get(id)) >= goalStage ? 1 : 0,
    );
    const dropped = Uint8Array.from(profileIds, (id, i) =>
      converted[i] || stageAt(then.get(id)) > stageAt(now.get(id)) ? 0 : 1,
    );
    const x = matrixFromRows(
      FEATURE_NAMES,
      profileIds.map((id) => Array.from(toVector(now.get(id)!))),
    );
    return { profileIds, x, converted, dropped, features: now };
  }

  /** Trains on the window ending at `trainAsOf`, evaluates on the later window ending at `evalAsOf`. */
  async trainAndEvaluate(workspaceId: string, trainAsOf: Date, evalAsOf: Date, spec: TrainingSpec) {
    if (evalAsOf.getTime() < trainAsOf.getTime() + spec.horizonDays * DAY_MS) {
      throw new Error('the evaluation window must start after the training labels are known');
    }
    const train = await this.labelledSet(workspaceId, trainAsOf, spec);
    const test = await this.labelledSet(workspaceId, evalAsOf, spec);
    return { ...trainModel(train, test), train, test };
  }
}
