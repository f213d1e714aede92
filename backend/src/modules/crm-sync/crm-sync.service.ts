import { Inject, Injectable, Logger } from '@nestjs/common';
import { SCHEDULE_IDS, WORKFLOW_TYPES } from '@cairn/workflows';
import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  WorkflowExecutionAlreadyStartedError,
} from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { runLimited } from '../../common/async/run-limited';
import { DomainError } from '../../common/errors/domain-error';
import type { CairnConfig } from '../../config/config';
import { CONFIG } from '../../config/config.module';
import { BUDGETS, RateBudget } from '../connections/rate-budget';
import { TemporalService } from '../temporal/temporal.module';
import { RateLimitedError, type CrmProvider, type SyncKind } from './crm-records';
import { CrmSyncRepository, type SyncConnection, type SyncRunRow } from './crm-sync.repository';
import { HUBSPOT_STREAMS } from './hubspot-puller';
import { PageFetcher } from './page-fetcher';
import { SALESFORCE_PHASES, SALESFORCE_STREAMS } from './salesforce-puller';

/** The Temporal interval of a connection's schedule. */
export const syncEvery = (minutes: number) => `${minutes}m`;

export function streamsOf(provider: CrmProvider): string[] {
  return provider === 'hubspot' ? HUBSPOT_STREAMS : SALESFORCE_STREAMS;
}

/**
 * The phases a run goes through, streams of a phase side by side. HubSpot's streams go one by one: its 10-second
 * limit, not the commits, sets the pace.
 */
export function phasesOf(provider: CrmProvider): string[][] {
  return provider === 'hubspot' ? HUBSPOT_STREAMS.map((s) => [s]) : SALESFORCE_PHASES;
}

/** How long one step pulls before it hands back to its driver (a workflow records each step). */
const STEP_MS = 10_000;

/**
 * Incremental pull of HubSpot and Salesforce into `crm_objects`, resolved to profiles and accounts. A run walks the
 * provider's streams in phases, page by page; each page commits with its stream's cursor and the run's progress,
 * so whoever drives the steps (the Temporal workflow, or `syncNow`) can stop anywhere and resume.
 */
@Injectable()
export class CrmSyncService {
  private readonly log = new Logger('crm-sync');
  /** The statistics refresh under way, if any (one at a time per process). */
  private analyzing: Promise<unknown> | null = null;

  constructor(
    @Inject(CrmSyncRepository) private readonly repo: CrmSyncRepository,
    @Inject(RateBudget) private readonly budget: RateBudget,
    @Inject(PageFetcher) private readonly fetcher: PageFetcher,
    @Inject(TemporalService) private readonly temporal: TemporalService,
    @Inject(CONFIG) private readonly config: CairnConfig,
  ) {}

  // ---------------------------------------------------------------- orchestration entry points

  /** Starts a run now (unless one is going, whose id is returned); the workflow does the work. */
  async triggerSync(workspaceId: string, connectionId: string, kind?: SyncKind): Promise<{ runId: string }> {
    await this.connectionOf(workspaceId, connectionId);
    const running = await this.repo.otherRunning(
      workspaceId,
      connectionId,
      '00000000-0000-0000-0000-000000000000',
    );
    if (running) return { runId: running.id };
    const runId = randomUUID();
    const resolved =
      kind ?? ((await this.repo.hasCursors(workspaceId, connectionId)) ? 'incremental' : 'full');
    await this.repo.createRun(runId, workspaceId, connectionId, resolved);
    try {
      await this.temporal.client.workflow.start(WORKFLOW_TYPES.crmSync, {
        taskQueue: this.config.temporal.taskQueue,
        workflowId: `crm-sync-${connectionId}`,
        args: [{ workspaceId, connectionId, kind: resolved, runId }],
      });
    } catch (e) {
      if (!(e instanceof WorkflowExecutionAlreadyStartedError)) {
        await this.repo.finishRun(workspaceId, runId, 'failed', `could not start: ${(e as Error).message}`);
        throw e;
      }
      // Another request started one a moment ago: that is the run going.
      await this.repo.dropRun(workspaceId, runId);
      const other = await this.repo.otherRunning(workspaceId, connectionId, runId);
      if (other) return { runId: other.id };
    }
    return { runId };
  }

  /**
   * A new connection gets its schedule and a first full load; the admin's redirect does not wait for Temporal,
   * and a failure here is retried by the worker, which ensures every connection's schedule at start.
   */
  connected(workspaceId: string, connectionId: string): void {
    this.ensureSyncSchedule(workspaceId, connectionId)
      .then(() => this.triggerSync(workspaceId, connectionId))
      .catch((e: Error) => this.log.warn(`sync not started for ${connectionId}: ${e.message}`));
  }

  /** The schedule goes with the connection; if Temporal cannot be reached, runs find the connection gone. */
  disconnected(connectionId: string): void {
    this.removeSyncSchedule(connectionId).catch((e: Error) =>
      this.log.warn(`sync schedule of ${connectionId} not removed: ${e.message}`),
    );
  }

  /** The admin changed the interval: the schedule follows (the worker reconciles at start if this fails). */
  intervalChanged(workspaceId: string, connectionId: string): void {
    this.ensureSyncSchedule(workspaceId, connectionId).catch((e: Error) =>
      this.log.warn(`sync schedule of ${connectionId} not updated: ${e.message}`),
    );
  }

  /**
   * A Temporal Schedule pulling at the connection's interval (15 minutes unless the admin chose another). An
   * existing one (perhaps paused by an operator) is kept, its interval brought in line. True when created.
   */
  async ensureSyncSchedule(workspaceId: string, connectionId: string): Promise<boolean> {
    const c = await this.connectionOf(workspaceId, connectionId);
    const every = syncEvery(c.syncIntervalMinutes);
    try {
      await this.temporal.client.schedule.create({
        scheduleId: SCHEDULE_IDS.crmSync(connectionId),
        spec: { intervals: [{ every }] },
        action: {
          type: 'startWorkflow',
          workflowType: WORKFLOW_TYPES.crmSync,
          taskQueue: this.config.temporal.taskQueue,
          workflowId: `crm-sync-${connectionId}-scheduled`,
          args: [{ workspaceId, connectionId }],
        },
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: every },
      });
      return true;
    } catch (e) {
      if (!(e instanceof ScheduleAlreadyRunning)) throw e;
    }
    const handle = this.temporal.client.schedule.getHandle(SCHEDULE_IDS.crmSync(connectionId));
    const wanted = c.syncIntervalMinutes * 60_000;
    const now = await handle.describe();
    if (now.spec.intervals?.length === 1 && Number(now.spec.intervals[0]!.every) === wanted) return false;
    await handle.update((prev) => ({
      ...prev,
      spec: { intervals: [{ every }] },
      policies: { ...prev.policies, catchupWindow: every },
    }));
    return false;
  }

  /** At worker start: every connection has its schedule, including ones made before schedules existed. */
  async ensureAllSchedules(): Promise<number> {
    let created = 0;
    for (const c of await this.repo.allConnections()) {
      if (await this.ensureSyncSchedule(c.workspaceId, c.id)) created++;
    }
    return created;
  }

  /** For disconnect: the schedule goes with the connection. */
  async removeSyncSchedule(connectionId: string): Promise<void> {
    try {
      await this.temporal.client.schedule.getHandle(SCHEDULE_IDS.crmSync(connectionId)).delete();
    } catch (e) {
      if (!(e instanceof ScheduleNotFoundError)) throw e;
    }
  }

  async runs(workspaceId: string, connectionId: string): Promise<SyncRunRow[]> {
    await this.connectionOf(workspaceId, connectionId);
    return this.repo.latestRuns(workspaceId, connectionId, 20);
  }

  dealStateOf(workspaceId: string, profileId: string) {
    return this.repo.dealStateOf(workspaceId, profileId);
  }

  // ---------------------------------------------------------------- the steps (activities)

  /**
   * Opens a run (idempotent on `runId`): a full run forgets the cursors; the connection shows `syncing`.
   * Says `started: false` when another run of the connection is going, and that one's id.
   */
  async startRun(input: {
    runId: string;
    workspaceId: string;
    connectionId: string;
    kind?: SyncKind | null;
  }): Promise<{ runId: string; started: boolean }> {
    const { runId, workspaceId, connectionId } = input;
    const c = await this.connectionOf(workspaceId, connectionId);
    const existing = await this.repo.run(workspaceId, runId);
    if (existing && existing.state !== 'running') return { runId, started: false };
    if (!existing) {
      const other = await this.repo.otherRunning(workspaceId, connectionId, runId);
      if (other) return { runId: other.id, started: false };
    }
    const kind =
      input.kind ??
      existing?.kind ??
      ((await this.repo.hasCursors(workspaceId, connectionId)) ? 'incremental' : 'full');
    const run = existing ?? (await this.repo.createRun(runId, workspaceId, connectionId, kind));
    if (run.kind === 'full' && run.phase === 0 && run.done === 0)
      await this.repo.resetCursors(workspaceId, connectionId);
    await this.repo.setConnectionStatus(workspaceId, connectionId, 'syncing', null);
    if (run.estimatedTotal === null) {
      try {
        const puller = await this.fetcher.puller(workspaceId, connectionId, c.provider);
        let total = 0;
        for (const stream of streamsOf(c.provider)) {
          const state = await this.repo.cursor(workspaceId, connectionId, stream);
          for (let attempt = 1; ; attempt++) {
            try {
              if (!stream.includes(':')) await this.budget.acquire(connectionId, BUDGETS[c.provider], 1);
              total += await puller.estimate(stream, state);
              break;
            } catch (e) {
              // HubSpot's search allows a few calls a second: wait those out, nothing longer.
              if (!(e instanceof RateLimitedError) || e.retryAfterMs > 2_000 || attempt >= 3) throw e;
              await sleep(e.retryAfterMs);
            }
          }
        }
        await this.repo.setEstimate(workspaceId, runId, total);
      } catch (e) {
        // Progress without a total is still progress; the pages themselves retry properly.
        this.log.warn(`estimating sync ${runId} failed: ${(e as Error).message}`);
      }
    }
    return { runId, started: true };
  }

  /**
   * Pulls the run's current phase for up to `STEP_MS` (or `maxPages` pages): each unfinished stream of it in a
   * lane of its own, page after page, each page committed with its stream's cursor. `finished` once every phase is
   * through. A failing lane stops the others after their current page, and its error is thrown.
   */
  async pullStep(input: {
    workspaceId: string;
    runId: string;
    maxPages?: number;
  }): Promise<{ finished: boolean; done: number; pages: number }> {
    const run = await this.repo.run(input.workspaceId, input.runId);
    if (!run) throw new DomainError('route.not_found', 'No such sync run in this workspace.');
    const c = await this.connectionOf(run.workspaceId, run.connectionId);
    const phases = phasesOf(c.provider);
    if (run.state !== 'running' || run.phase >= phases.length)
      return { finished: true, done: run.done, pages: 0 };
    const phase = phases[run.phase]!;
    const open = phase.filter((s) => !run.streamsDone.includes(s));
    const until = Date.now() + STEP_MS;
    const most = input.maxPages ?? Infinity;
    let pages = 0;
    let stopped = false;
    const lanes = await runLimited(open, open.length, async (stream) => {
      try {
        while (!stopped && pages < most && Date.now() < until) {
          pages++;
          if (await this.pullPage(run, c, stream, phase)) return;
        }
      } catch (e) {
        stopped = true;
        throw e;
      }
    });
    if (lanes.failure) throw lanes.failure.error;
    const after = (await this.repo.run(run.workspaceId, run.id))!;
    return { finished: after.phase >= phases.length, done: after.done, pages };
  }

  /** Pulls and commits the next page of one stream; true when the stream is through. */
  private async pullPage(
    run: SyncRunRow,
    c: SyncConnection,
    stream: string,
    phase: string[],
  ): Promise<boolean> {
    const from = await this.repo.cursor(run.workspaceId, run.connectionId, stream);
    const page = await this.fetcher.page(run.workspaceId, run.id, c, stream, from);
    // The next page of the stream is fetched while this one commits.
    if (!page.finished) this.fetcher.fetchAhead(run.workspaceId, run.id, c, stream, page.next);
    // A full load outruns autovacuum: with statistics of a table "without rows", each page's keyed statements
    // would read everything stored so far. ANALYZE takes a moment on a large table, so it runs beside the pages.
    this.analyzing ??= this.repo
      .refreshStatisticsIfStale()
      .catch((e: Error) => this.log.warn(`statistics not refreshed: ${e.message}`))
      .finally(() => (this.analyzing = null));
    const started = performance.now();
    const { committed } = await this.repo.commitPage({
      workspaceId: run.workspaceId,
      connectionId: run.connectionId,
      provider: c.provider,
      runId: run.id,
      stream,
      phase: run.phase,
      phaseStreams: phase,
      from,
      page,
    });
    this.fetcher.committed(run.id, stream, performance.now() - started);
    if (!committed) {
      this.fetcher.drop(run.id, stream);
      this.log.warn(`sync ${run.id}: page of ${stream} already committed by another attempt`);
      return true;
    }
    return page.finished;
  }

  async finishRun(input: {
    workspaceId: string;
    runId: string;
    state: 'completed' | 'failed';
    error: string | null;
  }): Promise<void> {
    this.fetcher.drop(input.runId);
    const run = await this.repo.run(input.workspaceId, input.runId);
    if (!run) return;
    await this.repo.finishRun(input.workspaceId, input.runId, input.state, input.error);
    await this.repo.setConnectionStatus(
      input.workspaceId,
      run.connectionId,
      input.state === 'completed' ? 'active' : 'error',
      input.state === 'completed' ? null : `The last sync failed: ${input.error ?? 'unknown error'}`,
    );
  }

  /**
   * Runs a whole sync in this process, without Temporal (CLI, tests): the same steps the workflow takes, waiting
   * out rate limits (the CRM-advised wait) and backing off after passing failures (5xx, network), each wait at
   * most `maxBackoffMs`, for up to `maxRetries` failures in a row.
   */
  async syncNow(
    workspaceId: string,
    connectionId: string,
    opts: {
      kind?: SyncKind;
      runId?: string;
      maxBackoffMs?: number;
      maxRetries?: number;
      maxPages?: number;
    } = {},
  ): Promise<SyncRunRow> {
    const { runId } = await this.startRun({
      runId: opts.runId ?? randomUUID(),
      workspaceId,
      connectionId,
      kind: opts.kind ?? null,
    });
    let retries = 0;
    let pages = 0;
    try {
      for (;;) {
        if (opts.maxPages !== undefined && pages >= opts.maxPages)
          return (await this.repo.run(workspaceId, runId))!;
        try {
          const r = await this.pullStep({
            workspaceId,
            runId,
            maxPages: (opts.maxPages ?? Infinity) - pages,
          });
          pages += r.pages;
          retries = 0;
          if (r.finished) break;
        } catch (e) {
          // As the workflow's retry policy does: what needs the admin fails at once, the rest is tried again.
          if (e instanceof DomainError || ++retries > (opts.maxRetries ?? 10)) throw e;
          const wait =
            e instanceof RateLimitedError ? e.retryAfterMs : Math.min(30_000, 500 * 2 ** (retries - 1));
          await sleep(Math.min(opts.maxBackoffMs ?? Infinity, wait));
        }
      }
      await this.finishRun({ workspaceId, runId, state: 'completed', error: null });
    } catch (e) {
      await this.finishRun({ workspaceId, runId, state: 'failed', error: (e as Error).message });
      throw e;
    }
    return (await this.repo.run(workspaceId, runId))!;
  }

  // ---------------------------------------------------------------- internals

  private async connectionOf(workspaceId: string, connectionId: string) {
    const c = await this.repo.connection(workspaceId, connectionId);
    if (!c) throw new DomainError('connections.not_found', 'No such connection in this workspace.');
    return c;
  }
}
