import { Inject, Injectable } from '@nestjs/common';
import type { DecideCandidateResult, RescorePageResult, TrainCandidateResult } from '@cairn/workflows';
import { DomainError } from '../../common/errors/domain-error';
import { scoreBatch } from '../../intelligence/scoring-model';
import { describeGoal } from './goal';
import { IntelligenceSettingsRepository } from './intelligence-settings.repository';
import type { ModelMetrics } from './model-metrics';
import { checkTrainable, evaluateModel, loadArtifact, trainModel } from './model-training';
import { ModelsRepository } from './models.repository';
import { ScoresRepository } from './scores.repository';
import { ScoringService } from './scoring.service';
import { TrainingService } from './training.service';

const DAY_MS = 86_400_000;
/** A candidate may trail the active model by this much AUC and still count as "not worse": evaluation noise. */
export const AUC_TOLERANCE = 0.005;
const RESCORE_PAGE = 1_000;
const REFERENCE_SAMPLE = 2_000;

/** The steps of the retraining workflow, one method per activity. */
@Injectable()
export class RetrainingService {
  constructor(
    @Inject(TrainingService) private readonly training: TrainingService,
    @Inject(IntelligenceSettingsRepository) private readonly settings: IntelligenceSettingsRepository,
    @Inject(ModelsRepository) private readonly models: ModelsRepository,
    @Inject(ScoresRepository) private readonly scores: ScoresRepository,
    @Inject(ScoringService) private readonly scoring: ScoringService,
  ) {}

  /**
   * Trains on the window whose labels were complete one horizon ago and evaluates on the latest window whose
   * labels are complete now, then scores the active model on that same window for a like-for-like comparison.
   */
  async trainCandidate(workspaceId: string, asOf: Date): Promise<TrainCandidateResult> {
    const s = await this.settings.get(workspaceId);
    await this.record(workspaceId, 'running', 'Building the training set and training candidates…');
    const evalAsOf = new Date(asOf.getTime() - s.horizonDays * DAY_MS);
    const trainAsOf = new Date(evalAsOf.getTime() - s.horizonDays * DAY_MS);
    const spec = { goal: s.goal, horizonDays: s.horizonDays, stages: s.stages };
    const [train, evaluation] = await Promise.all([
      this.training.labelledSet(workspaceId, trainAsOf, spec),
      this.training.labelledSet(workspaceId, evalAsOf, spec),
    ]);
    const problem = checkTrainable(train, 'training') ?? checkTrainable(evaluation, 'evaluation');
    if (problem) {
      await this.record(workspaceId, 'finished', `No new version: ${problem}`);
      return { modelId: null, version: null, message: problem };
    }

    const { artifact, reports } = trainModel(train, evaluation);
    const active = await this.models.active(workspaceId);
    const activeArtifact = active ? await this.models.artifact(workspaceId, active.id) : null;
    const compared =
      active && activeArtifact ? evaluateModel(loadArtifact(activeArtifact), evaluation) : null;
    const riskScores = scoreBatch(loadArtifact(artifact).risk, evaluation.x);
    const step = Math.max(1, Math.floor(riskScores.length / REFERENCE_SAMPLE));
    const metrics: ModelMetrics = {
      goal: describeGoal(s.goal),
      horizonDays: s.horizonDays,
      trainWindow: { asOf: trainAsOf.toISOString(), rows: train.x.rows },
      evalWindow: { asOf: evalAsOf.toISOString(), rows: evaluation.x.rows },
      risk: reports.risk,
      conversion: reports.conversion,
      comparedWith:
        active && compared
          ? { version: active.version, riskAuc: compared.risk, conversionAuc: compared.conversion }
          : null,
      reference: Array.from(riskScores.filter((_, i) => i % step === 0)),
    };
    const { id, version } = await this.models.addCandidate(workspaceId, artifact, metrics);
    return { modelId: id, version, message: `Version ${version} trained on ${train.x.rows} people.` };
  }

  async decideCandidate(workspaceId: string, modelId: string): Promise<DecideCandidateResult> {
    const row = (await this.models.list(workspaceId)).find((m) => m.id === modelId);
    if (!row) throw new DomainError('models.not_found', 'No such model version in this workspace.');
    if (row.status !== 'candidate') return { promoted: row.status === 'active', decision: row.decision };
    const { risk, conversion, comparedWith: was } = row.metrics;
    const fmt = (n: number) => n.toFixed(3);
    let promote = true;
    let decision = `Promoted: the first model (risk AUC ${fmt(risk.auc)}, conversion AUC ${fmt(conversion.auc)}).`;
    if (was) {
      promote =
        risk.auc >= was.riskAuc - AUC_TOLERANCE && conversion.auc >= was.conversionAuc - AUC_TOLERANCE;
      const versus = `risk AUC ${fmt(risk.auc)} vs ${fmt(was.riskAuc)}, conversion AUC ${fmt(conversion.auc)} vs ${fmt(was.conversionAuc)} for v${was.version} on the same window`;
      decision = promote
        ? `Promoted: not worse than the active model (${versus}).`
        : `Kept v${was.version}: this version is worse (${versus}).`;
    }
    await this.models.decide(workspaceId, modelId, promote, decision, row.metrics);
    await this.record(workspaceId, 'finished', `v${row.version}: ${decision}`);
    return { promoted: promote, decision };
  }

  private record(workspaceId: string, state: 'running' | 'finished', message: string): Promise<void> {
    return this.settings.recordRetrain(workspaceId, { state, message, at: new Date().toISOString() });
  }

  async rescorePage(workspaceId: string, after: string | null, asOf: Date): Promise<RescorePageResult> {
    const ids = await this.scores.activePage(workspaceId, after, RESCORE_PAGE, asOf);
    const changes = ids.length ? await this.scoring.rescore(workspaceId, ids) : [];
    return {
      scored: ids.length,
      changed: changes.length,
      next: ids.length === RESCORE_PAGE ? ids[ids.length - 1]! : null,
    };
  }
}
