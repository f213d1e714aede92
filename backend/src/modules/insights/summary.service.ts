import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { IntelligenceService } from '../scoring/intelligence.service';
import {
  chooseVocabulary,
  summarizeProfile,
  type Goal,
  type ProfileSummary,
  type SummaryConfig,
} from './profile-summary';
import {
  SummaryRepository,
  type RefreshState,
  type StageDef,
  type WorkspaceInsightSettings,
} from './summary.repository';

/** A summary younger than this is served as is; an older one is served while a refresh runs behind it. */
const FRESH_MS = 60_000;
/** Once a day the summary is rebuilt from scratch (late events, a new touchpoint vocabulary). */
const FULL_MS = 86_400_000;
/** People summarised per write. */
const BATCH = 2_000;
/** Overlap between refreshes, for clocks and transactions that commit late. */
const OVERLAP_MS = 5 * 60_000;

export interface InsightConfig {
  settings: WorkspaceInsightSettings;
  stages: StageDef[];
  goal: Goal | null;
  /** "Trial Started", or "reaching Customer" when conversion is the last stage. */
  goalLabel: string | null;
  hash: string;
}

/**
 * Keeps `insights_profiles` in step with events, stages and traits: a full build the first time (and daily,
 * or when stages or the goal change), then incremental refreshes of only the people who changed.
 */
@Injectable()
export class SummaryService {
  private readonly log = new Logger('Insights');
  private readonly running = new Map<string, Promise<void>>();
  /** Tests and benchmarks may stop stale-while-revalidate from refreshing behind their back. */
  freshForMs = FRESH_MS;

  private readonly listeners: ((workspaceId: string) => void)[] = [];

  constructor(
    @Inject(SummaryRepository) private readonly repo: SummaryRepository,
    @Inject(IntelligenceService) private readonly intelligence: IntelligenceService,
  ) {}

  /** Called after every completed refresh of a workspace's summary. */
  onRefreshed(listener: (workspaceId: string) => void): void {
    this.listeners.push(listener);
  }

  /** Stages and goal as the workspace's intelligence settings have them (defaults included). */
  async config(workspaceId: string): Promise<InsightConfig> {
    const s = await this.intelligence.getSettings(workspaceId);
    const stages: StageDef[] = s.stages.map(({ key, label }) => ({ key, label }));
    const g = s.goal;
    const goalStage = g.kind === 'stage' ? stages.findIndex((st) => st.key === g.stage) : -1;
    const goalEvent = g.kind === 'event' ? g.event : null;
    const settings: WorkspaceInsightSettings = { stages, goalEvent, horizonDays: s.horizonDays };
    const goal: Goal | null = goalEvent
      ? { kind: 'event', event: goalEvent }
      : goalStage >= 0
        ? { kind: 'stage', stageIndex: goalStage }
        : null;
    const goalLabel = goalEvent ?? (goal ? `reaching ${stages[goalStage]!.label}` : null);
    const hash = createHash('sha256')
      .update(JSON.stringify({ stages: stages.map((s) => s.key), goal, horizon: settings.horizonDays }))
      .digest('hex')
      .slice(0, 16);
    return { settings, stages, goal, goalLabel, hash };
  }

  /**
   * The summary state a read may use: built now if missing or built under other settings, else returned as is
   * with a refresh started in the background when it is older than a minute.
   */
  async ensureFresh(workspaceId: string, config: InsightConfig): Promise<RefreshState> {
    const state = await this.repo.state(workspaceId);
    if (!state || state.configHash !== config.hash) {
      await this.refresh(workspaceId, true);
      // Another process may hold the build: wait for its result.
      for (let waited = 0; waited <= 120_000; waited += 250) {
        const built = await this.repo.state(workspaceId);
        if (built?.configHash === config.hash) return built;
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error('the insights summary is still being built by another process');
    }
    const age = Date.now() - new Date(state.refreshedAt).getTime();
    if (age > this.freshForMs) {
      const full = Date.now() - new Date(state.fullAt).getTime() > FULL_MS;
      void this.refresh(workspaceId, full).catch((e) =>
        this.log.warn(`insights refresh of ${workspaceId} failed: ${(e as Error).message}`),
      );
    }
    return state;
  }

  /** Rebuilds the summary of a workspace (fully, or only people changed since the last refresh). */
  refresh(workspaceId: string, full: boolean): Promise<void> {
    const pending = this.running.get(workspaceId);
    if (pending) return pending;
    const run = this.repo
      .withLock(workspaceId, () => this.build(workspaceId, full))
      .then((built) => {
        if (built !== undefined) for (const listener of this.listeners) listener(workspaceId);
      })
      .finally(() => this.running.delete(workspaceId));
    this.running.set(workspaceId, run);
    return run;
  }

  private async build(workspaceId: string, forceFull: boolean): Promise<true> {
    const started = new Date();
    const config = await this.config(workspaceId);
    const state = await this.repo.state(workspaceId);
    let full = forceFull || !state || state.configHash !== config.hash;
    // Read the watermark first: anything arriving while we build is picked up next time.
    const watermark = (await this.repo.latestArrival(workspaceId, full ? null : state!.watermark)) ?? started;

    let vocabulary = state?.vocabulary ?? { tokens: [], pairs: [] };
    let ids: string[] | null = null;
    if (!full) {
      const at = (d: Date) => new Date(d).getTime() - OVERLAP_MS;
      ids = await this.repo.changedProfiles(
        workspaceId,
        new Date(at(state!.watermark)),
        new Date(at(state!.refreshedAt)),
      );
      // Past a point, streaming everyone is cheaper than looking people up one by one.
      if (ids.length > 20_000 && ids.length > 0.2 * (await this.repo.size(workspaceId))) {
        full = true;
        ids = null;
      }
    }
    if (full) {
      const { counts, total } = await this.repo.tokenCounts(
        workspaceId,
        config.goal?.kind === 'event' ? config.goal.event : null,
      );
      vocabulary = chooseVocabulary(counts, total, Math.max(5, Math.ceil(total * 0.005)));
    }
    const summaryConfig: SummaryConfig = {
      goal: config.goal,
      stageKeys: config.stages.map((s) => s.key),
      horizonDays: config.settings.horizonDays,
      vocabulary,
    };

    const kept = new Set<string>();
    if (!ids || ids.length > 0) {
      await this.repo.forEachProfileEvents(workspaceId, ids, BATCH, async (batch) => {
        const contexts = await this.repo.contexts(workspaceId, [...batch.keys()]);
        const rows: { profileId: string; summary: ProfileSummary }[] = [];
        for (const [profileId, events] of batch) {
          const ctx = contexts.get(profileId);
          if (!ctx) continue;
          rows.push({ profileId, summary: summarizeProfile({ events, ...ctx }, summaryConfig) });
          kept.add(profileId);
        }
        await this.repo.upsert(workspaceId, rows);
      });
    }
    if (full) {
      await this.repo.removeOlderThan(workspaceId, kept);
      await this.repo.analyze();
    } else
      await this.repo.remove(
        workspaceId,
        ids!.filter((id) => !kept.has(id)),
      );
    await this.repo.saveState(workspaceId, {
      configHash: config.hash,
      vocabulary,
      watermark,
      refreshedAt: started,
      fullAt: full ? started : state!.fullAt,
    });
    return true;
  }
}
