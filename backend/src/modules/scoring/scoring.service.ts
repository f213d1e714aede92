import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { matrixFromRows } from '../../intelligence/matrix';
import { scoreBatch } from '../../intelligence/scoring-model';
import { FEATURE_NAMES, toVector } from './features';
import { FeaturesRepository } from './features.repository';
import { IntelligenceSettingsRepository } from './intelligence-settings.repository';
import { loadArtifact, type LoadedModel } from './model-training';
import { ModelsRepository } from './models.repository';
import { riskReasons } from './score-reasons';
import { ScoreChanges, type ScoreChange } from './score-changes';
import { ScoresRepository, type ScoredProfile } from './scores.repository';
import { assignStage } from './stage-rules';

/** People scored per transaction: big enough to amortise the feature query, small enough to commit often. */
const DRAIN_BATCH = 500;
/** Event signals (and deal stage moves) handed to journeys per person and round. */
const EVENTS_PER_ROUND = 20;

/**
 * Stage and scores for people, online (as their events arrive, through the queue) and in batch (after a new
 * model): features now → stage by the workspace's rules → calibrated risk and conversion with reasons →
 * stored with history → handed on to write-back, outbound events and journeys.
 */
@Injectable()
export class ScoringService {
  private readonly log = new Logger('Scoring');
  private readonly models = new Map<string, { id: string; model: LoadedModel }>();

  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(FeaturesRepository) private readonly features: FeaturesRepository,
    @Inject(ScoresRepository) private readonly scores: ScoresRepository,
    @Inject(ModelsRepository) private readonly modelRows: ModelsRepository,
    @Inject(IntelligenceSettingsRepository) private readonly settings: IntelligenceSettingsRepository,
    @Inject(ScoreChanges) private readonly changes: ScoreChanges,
  ) {}

  /** Scores whoever is queued, a batch per transaction; returns how many people were scored. */
  async drainQueue(limit = DRAIN_BATCH): Promise<number> {
    const done: { workspaceId: string; changes: ScoreChange[] }[] = [];
    const claimed = await this.ds.transaction(async (m) => {
      const rows = await this.scores.claim(m, limit);
      const byWorkspace = new Map<string, Map<string, Date>>();
      for (const c of rows) {
        const ws = byWorkspace.get(c.workspaceId) ?? new Map<string, Date>();
        ws.set(c.profileId, new Date(c.queuedAt));
        byWorkspace.set(c.workspaceId, ws);
      }
      for (const [workspaceId, since] of byWorkspace) {
        done.push({
          workspaceId,
          changes: await this.score(m, workspaceId, [...since.keys()], new Date(), since),
        });
      }
      return rows.length;
    });
    for (const d of done) await this.changes.committed(d.workspaceId, d.changes);
    return claimed;
  }

  /** Re-scores people now, e.g. everyone after a model is promoted. */
  async rescore(workspaceId: string, profileIds: string[], at = new Date()): Promise<ScoreChange[]> {
    const changes = await this.ds.transaction((m) => this.score(m, workspaceId, profileIds, at, new Map()));
    await this.changes.committed(workspaceId, changes);
    return changes;
  }

  private async score(
    m: EntityManager,
    workspaceId: string,
    requested: string[],
    at: Date,
    since: Map<string, Date>,
  ): Promise<ScoreChange[]> {
    const profileIds = await this.scores.scorable(workspaceId, requested, m);
    if (!profileIds.length) return [];
    const [settings, model, before] = await Promise.all([
      this.settings.get(workspaceId),
      this.activeModel(workspaceId),
      this.scores.current(workspaceId, profileIds, m),
    ]);
    // Strictly before the as-of time: a millisecond later counts the event that caused this scoring.
    const rows = await this.features.behaviour(workspaceId, profileIds, new Date(at.getTime() + 1));
    const x = matrixFromRows(
      FEATURE_NAMES,
      profileIds.map((id) => Array.from(toVector(rows.get(id)!))),
    );
    const risk = model ? scoreBatch(model.model.risk, x) : null;
    const conversion = model ? scoreBatch(model.model.conversion, x) : null;
    const scored: ScoredProfile[] = profileIds.map((profileId, i) => {
      const stage = assignStage(settings.stages, rows.get(profileId)!);
      return {
        profileId,
        stage: stage.key,
        stageIndex: stage.index,
        stageReason: stage.reason,
        modelId: model?.id ?? null,
        risk: risk ? round(risk[i]!) : null,
        conversion: conversion ? round(conversion[i]!) : null,
        reasons: model ? riskReasons(model.model.risk.model, x, i) : [stage.reason],
      };
    });
    await this.scores.write(m, workspaceId, scored, before, at);
    const labels = new Map(settings.stages.map((st) => [st.key, st.label]));
    const [events, dealStages] = await Promise.all([
      this.scores.eventsSince(workspaceId, since, EVENTS_PER_ROUND),
      this.scores.dealStagesSince(workspaceId, since, EVENTS_PER_ROUND),
    ]);
    const changes = scored
      .map((s): ScoreChange => {
        const b = before.get(s.profileId);
        return {
          profileId: s.profileId,
          stage: {
            from: b?.stage ?? null,
            to: s.stage,
            label: labels.get(s.stage) ?? s.stage,
            reason: s.stageReason,
          },
          risk: { from: b?.risk ?? null, to: s.risk },
          conversion: s.conversion,
          reasons: s.reasons,
          events: events.get(s.profileId) ?? [],
          dealStages: dealStages.get(s.profileId) ?? [],
        };
      })
      .filter(
        (c) =>
          c.stage.from !== c.stage.to ||
          c.risk.from !== c.risk.to ||
          c.events.length > 0 ||
          c.dealStages.length > 0,
      );
    await this.changes.publish(workspaceId, changes, m);
    return changes;
  }

  /** The active model, loaded once per version (artifacts are immutable). */
  private async activeModel(workspaceId: string): Promise<{ id: string; model: LoadedModel } | null> {
    const active = await this.modelRows.active(workspaceId);
    if (!active) return null;
    const cached = this.models.get(workspaceId);
    if (cached?.id === active.id) return cached;
    const artifact = await this.modelRows.artifact(workspaceId, active.id);
    if (!artifact) return null;
    const loaded = { id: active.id, model: loadArtifact(artifact) };
    this.models.set(workspaceId, loaded);
    this.log.log(`workspace ${workspaceId}: scoring with model v${active.version}`);
    return loaded;
  }
}

/** Stored as real; three decimals is finer than anyone reads a probability. */
function round(p: number): number {
  return Math.round(p * 1000) / 1000;
}
