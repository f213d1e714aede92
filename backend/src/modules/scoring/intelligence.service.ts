import { Inject, Injectable, Logger } from '@nestjs/common';
import { WORKFLOW_TYPES } from '@cairn/workflows';
import {
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  WorkflowExecutionAlreadyStartedError,
} from '@temporalio/client';
import { DomainError } from '../../common/errors/domain-error';
import type { CairnConfig } from '../../config/config';
import { CONFIG } from '../../config/config.module';
import { psi } from '../../intelligence/drift';
import { TemporalService } from '../temporal/temporal.module';
import { FEATURE_NAMES, type FeatureName } from './features';
import { intelligenceSettingsSchema, type IntelligenceSettings } from './intelligence-settings';
import { IntelligenceSettingsRepository } from './intelligence-settings.repository';
import type { ModelCardDto, ModelVersionDto, SafetyGateDto, StageDiscoveryDto } from './intelligence.dto';
import { ModelsRepository, type ModelRow } from './models.repository';
import { discoverStages } from './stage-discovery';
import { TrainingService } from './training.service';
import { IntelligenceRepository } from './intelligence.repository';

const DAY_MS = 86_400_000;

export const retrainScheduleId = (workspaceId: string) => `retrain-${workspaceId}`;
export const retrainWorkflowId = (workspaceId: string) => `retrain-${workspaceId}-now`;

/** What the model page and stage settings ask for: settings, discovery, the model card, the safety gate. */
@Injectable()
export class IntelligenceService {
  private readonly log = new Logger('Intelligence');

  constructor(
    @Inject(IntelligenceSettingsRepository) private readonly settings: IntelligenceSettingsRepository,
    @Inject(ModelsRepository) private readonly models: ModelsRepository,
    @Inject(IntelligenceRepository) private readonly repo: IntelligenceRepository,
    @Inject(TrainingService) private readonly training: TrainingService,
    @Inject(TemporalService) private readonly temporal: TemporalService,
    @Inject(CONFIG) private readonly config: CairnConfig,
  ) {}

  getSettings(workspaceId: string): Promise<IntelligenceSettings> {
    return this.settings.get(workspaceId);
  }

  /** Stage changes apply as people are next scored; a new cron moves the retraining schedule. */
  async saveSettings(workspaceId: string, input: unknown): Promise<IntelligenceSettings> {
    const parsed = intelligenceSettingsSchema.safeParse(input);
    if (!parsed.success) {
      const message = parsed.error.issues
        .map((i) => `${i.path.join('.') || 'settings'}: ${i.message}`)
        .join('; ');
      throw new DomainError('validation.failed', message);
    }
    const s = parsed.data;
    if (s.goal.kind === 'stage' && !s.stages.some((st) => st.key === (s.goal as { stage: string }).stage)) {
      throw new DomainError('validation.failed', `goal.stage: "${s.goal.stage}" is not one of the stages`);
    }
    const before = await this.settings.get(workspaceId);
    await this.settings.save(workspaceId, s);
    if (before.retrainCron === s.retrainCron) return s;
    // Temporal may be down; the worker re-applies every workspace's cron when it starts.
    this.ensureSchedule(workspaceId, s.retrainCron, true).catch((e: Error) =>
      this.log.warn(`retraining schedule of ${workspaceId} not updated: ${e.message}`),
    );
    return s;
  }

  /** Clusters people as of one horizon ago, so each cluster's conversion rate is already known. */
  async discover(workspaceId: string, now = new Date()): Promise<StageDiscoveryDto> {
    const s = await this.settings.get(workspaceId);
    const asOf = new Date(now.getTime() - s.horizonDays * DAY_MS);
    const set = await this.training.labelledSet(workspaceId, asOf, {
      goal: s.goal,
      horizonDays: s.horizonDays,
      stages: s.stages,
    });
    if (set.profileIds.length < 30) {
      throw new DomainError(
        'stages.not_enough_data',
        `Discovering stages needs at least 30 people active before ${asOf.toISOString().slice(0, 10)}; there are ${set.profileIds.length}.`,
      );
    }
    return {
      people: set.profileIds.length,
      asOf: asOf.toISOString(),
      suggestions: discoverStages(
        set.profileIds.map((id) => set.features.get(id)!),
        set.converted,
      ),
    };
  }

  async modelCard(workspaceId: string): Promise<ModelCardDto> {
    const [versions, s, lastRetrain] = await Promise.all([
      this.models.list(workspaceId),
      this.settings.get(workspaceId),
      this.settings.lastRetrain(workspaceId),
    ]);
    const active = versions.find((v) => v.status === 'active') ?? null;
    let drift: ModelCardDto['drift'] = null;
    if (active) {
      const current = await this.repo.currentRisks(workspaceId, active.id);
      if (current.length >= 20 && active.metrics.reference.length >= 20) {
        const value = psi(active.metrics.reference, current).psi;
        drift = {
          psi: value,
          people: current.length,
          verdict:
            value < 0.1
              ? 'Stable: today’s scores look like the evaluation window.'
              : value < 0.25
                ? 'Moderate shift: watch the next retraining.'
                : 'Large shift: behaviour changed; retrain now.',
        };
      }
    }
    return {
      active: active ? versionDto(active) : null,
      versions: versions.map(versionDto),
      drift,
      retrainCron: s.retrainCron,
      lastRetrain,
    };
  }

  /** Starts a retraining now unless one is running (whose id comes back). */
  async retrainNow(workspaceId: string): Promise<{ workflowId: string; started: boolean }> {
    const workflowId = retrainWorkflowId(workspaceId);
    try {
      await this.temporal.client.workflow.start(WORKFLOW_TYPES.retrainModel, {
        taskQueue: this.config.temporal.taskQueue,
        workflowId,
        args: [{ workspaceId }],
      });
      return { workflowId, started: true };
    } catch (e) {
      if (e instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, started: false };
      throw e;
    }
  }

  /**
   * A journey may act on its own at a risk threshold only if the active model, on its evaluation window, was
   * right often enough there: precision at the threshold ≥ the workspace minimum.
   */
  async gate(workspaceId: string, threshold: number): Promise<SafetyGateDto> {
    const [s, versions] = await Promise.all([this.settings.get(workspaceId), this.models.list(workspaceId)]);
    const active = versions.find((v) => v.status === 'active');
    const base = { threshold, minPrecision: s.minPrecision };
    if (!active) {
      return { ...base, precision: null, allowed: false, reason: 'No model is active yet: train one first.' };
    }
    // The nearest evaluated threshold at or below the asked one: never claims more precision than measured.
    const at = [...active.metrics.risk.thresholds].reverse().find((t) => t.threshold <= threshold + 1e-9);
    const precision = at?.precision ?? null;
    const pct = (x: number) => `${Math.round(x * 100)}%`;
    if (precision === null) {
      return {
        ...base,
        precision,
        allowed: false,
        reason: `Model v${active.version} flagged nobody at risk ≥ ${pct(threshold)} on its evaluation window, so its precision there is unknown.`,
      };
    }
    const allowed = precision >= s.minPrecision;
    return {
      ...base,
      precision,
      allowed,
      reason: allowed
        ? `At risk ≥ ${pct(threshold)}, ${pct(precision)} of people flagged by model v${active.version} did drop off (minimum ${pct(s.minPrecision)}).`
        : `At risk ≥ ${pct(threshold)}, only ${pct(precision)} of people flagged by model v${active.version} did drop off; the workspace requires ${pct(s.minPrecision)}. Raise the threshold or the minimum.`,
    };
  }

  /** Every workspace's schedule at worker start, with its current cron. */
  async ensureAllSchedules(): Promise<number> {
    let created = 0;
    for (const w of await this.settings.workspaces()) {
      if (await this.ensureSchedule(w.workspaceId, w.retrainCron, true)) created++;
    }
    return created;
  }

  async ensureSchedule(workspaceId: string, cron: string, update: boolean): Promise<boolean> {
    const scheduleId = retrainScheduleId(workspaceId);
    const spec = { cronExpressions: [cron] };
    try {
      await this.temporal.client.schedule.create({
        scheduleId,
        spec,
        action: {
          type: 'startWorkflow',
          workflowType: WORKFLOW_TYPES.retrainModel,
          taskQueue: this.config.temporal.taskQueue,
          workflowId: `retrain-${workspaceId}-scheduled`,
          args: [{ workspaceId }],
        },
        policies: { overlap: ScheduleOverlapPolicy.SKIP },
      });
      return true;
    } catch (e) {
      if (!(e instanceof ScheduleAlreadyRunning)) throw e;
      if (update) {
        await this.temporal.client.schedule.getHandle(scheduleId).update((prev) => ({ ...prev, spec }));
      }
      return false;
    }
  }
}

function versionDto(v: ModelRow): ModelVersionDto {
  const withLabels = (r: ModelRow['metrics']['risk']) => ({
    ...r,
    importance: r.importance.map((i) => ({
      ...i,
      label: FEATURE_LABELS[i.feature as FeatureName] ?? i.feature,
    })),
  });
  const { reference: _reference, ...m } = v.metrics;
  return {
    id: v.id,
    version: v.version,
    status: v.status,
    decision: v.decision,
    trainedAt: new Date(v.trainedAt).toISOString(),
    ...m,
    risk: withLabels(m.risk),
    conversion: withLabels(m.conversion),
  };
}

/** Short names for the model card's importance chart. */
const FEATURE_LABELS: Partial<Record<FeatureName, string>> = Object.fromEntries(
  FEATURE_NAMES.map((f) => [
    f,
    f
      .replace(/^category_/, '')
      .replace(/^intent_/, '')
      .replace(/_30d$/, ' (30 days)')
      .replace(/_7d$/, ' (7 days)')
      .replace(/_90d$/, ' (90 days)')
      .replace(/_/g, ' '),
  ]),
);
