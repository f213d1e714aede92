/**
 * The demo workspace's behaviour history, loaded once, in the background, on the first start in demo mode:
 *
 * 1. the seeded company's web and email behaviour (`generateEvents` of the same seed as the CRM emulators, so
 *    identities line up with CRM records once a CRM is connected) is sent through the real pipeline: a Segment
 *    source "Demo website", the real `@segment/analytics-node` client, the API's tracking endpoint;
 * 2. scoring is replayed at historical as-of times, so stage transitions carry the times they would have had
 *    had Cairn been scoring all along (online scoring stamps the time it runs, which would put four months of
 *    journeys on today);
 * 3. one retraining run (the path of "Retrain now") trains the first model and scores everyone.
 *
 * Only the demo workspace and only people of the demo source are touched; scoring itself is unchanged.
 */
import type { BehaviourEvent, SeedOptions } from '@cairn/sandbox';
import type { RetrainResult } from '@cairn/workflows';
import { DataSource } from 'typeorm';
import { SecretBox } from '../../common/crypto/secret-box';
import type { CairnConfig } from '../../config/config';
import { dataSourceOptions } from '../../database/data-source';
import { EventPartitions } from '../events/event-partitions';
import { RejectionsRepository } from '../events/rejections.repository';
import { ResolutionRepository } from '../events/resolution.repository';
import { FeaturesRepository } from '../scoring/features.repository';
import { IntelligenceSettingsRepository } from '../scoring/intelligence-settings.repository';
import { IntelligenceRepository } from '../scoring/intelligence.repository';
import { IntelligenceService } from '../scoring/intelligence.service';
import { ModelsRepository } from '../scoring/models.repository';
import { ScoreChanges } from '../scoring/score-changes';
import { ScoresRepository } from '../scoring/scores.repository';
import { ScoringService } from '../scoring/scoring.service';
import { TrainingRepository } from '../scoring/training.repository';
import { TrainingService } from '../scoring/training.service';
import { SourcesRepository } from '../segment/sources.repository';
import { SourcesService } from '../segment/sources.service';
import { TemporalService } from '../temporal/temporal.module';

/** The demo company: the CRM emulators are seeded with the same options. */
export const DEMO_SEED: Pick<SeedOptions, 'seed' | 'accounts'> = { seed: 'cairn-demo', accounts: 40 };
export const DEMO_SOURCE = 'Demo website';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Features look back 90 days: past that, a quiet person's stage cannot move any more. */
const LOOKBACK_DAYS = 90;

export interface ReplayStep {
  at: number;
  profileIds: string[];
}

/**
 * Whom to score when, oldest first, so the history reads as if Cairn had been scoring all along: everyone with
 * events in an hour, as of the last event of that hour (online scoring follows events within seconds);
 * everyone still inside the look-back window at each midnight (UTC), so a stage lapsing as its 30-day window
 * moves on lapses on the right day; and everyone now.
 */
export function planReplay(events: { profileId: string; at: number }[], now: number): ReplayStep[] {
  const steps = new Map<number, Set<string>>();
  const add = (at: number, id: string) => {
    let ids = steps.get(at);
    if (!ids) steps.set(at, (ids = new Set()));
    ids.add(id);
  };
  const lastOfHour = new Map<number, number>();
  const span = new Map<string, { first: number; last: number }>();
  for (const e of events) {
    if (e.at > now) continue;
    const hour = Math.floor(e.at / HOUR_MS);
    lastOfHour.set(hour, Math.max(lastOfHour.get(hour) ?? -Infinity, e.at));
    const s = span.get(e.profileId);
    span.set(
      e.profileId,
      s ? { first: Math.min(s.first, e.at), last: Math.max(s.last, e.at) } : { first: e.at, last: e.at },
    );
  }
  for (const e of events) if (e.at <= now) add(lastOfHour.get(Math.floor(e.at / HOUR_MS))!, e.profileId);
  const first = Math.min(...[...span.values()].map((s) => s.first));
  for (let day = Math.ceil(first / DAY_MS) * DAY_MS; day < now; day += DAY_MS) {
    for (const [id, s] of span)
      if (s.first < day && s.last >= day - (LOOKBACK_DAYS + 1) * DAY_MS) add(day, id);
  }
  for (const id of span.keys()) add(now, id);
  return [...steps].sort(([a], [b]) => a - b).map(([at, ids]) => ({ at, profileIds: [...ids].sort() }));
}

export interface DemoHistoryResult {
  /** Events sent now (0 when an interrupted load was only finished). */
  events: number;
  people: number;
  transitions: number;
  seconds: number;
  model: {
    outcome: RetrainResult['outcome'] | 'not-run';
    message: string;
    version: number | null;
    riskAuc: number | null;
  };
}

export interface DemoHistoryOptions {
  /** The resolved configuration: database, Temporal address, secret key. */
  config: CairnConfig & { databaseUrl: string; secretKey: Buffer };
  workspaceId: string;
  /** The running API, whose tracking endpoint the events go to. */
  apiUrl: string;
  signal: AbortSignal;
}

/**
 * Loads the history unless the demo workspace already has behaviour. Returns null when there was nothing to
 * do. A start stopped part-way finishes the replay and retraining next time (the events are already in).
 */
export async function loadDemoHistory(o: DemoHistoryOptions): Promise<DemoHistoryResult | null> {
  const started = Date.now();
  const ws = o.workspaceId;
  const ds = await new DataSource({
    ...dataSourceOptions(o.config.databaseUrl),
    extra: { max: 3, connectionTimeoutMillis: 5000 },
  }).initialize();
  const lock = ds.createQueryRunner();
  try {
    await lock.connect();
    // Two starts on one database: one loads, the other leaves it alone.
    const [{ locked }] = await lock.query(
      `SELECT pg_try_advisory_lock(hashtext('cairn.demo-history')) AS locked`,
    );
    if (!locked) return null;

    const [state]: { events: boolean; retrained: boolean }[] = await ds.query(
      `SELECT EXISTS (SELECT 1 FROM events WHERE workspace_id = $1) AS events,
              EXISTS (SELECT 1 FROM intelligence_settings WHERE workspace_id = $1 AND last_retrain IS NOT NULL)
                OR EXISTS (SELECT 1 FROM models WHERE workspace_id = $1) AS retrained`,
      [ws],
    );
    const sources = new SourcesService(new SourcesRepository(ds), new SecretBox(o.config.secretKey));
    let source = (await sources.list(ws)).find((s) => s.name === DEMO_SOURCE && !s.revokedAt);
    let sent = 0;
    if (!state!.events) {
      const { generateEvents, generateSeed, sendEvents } = await import('@cairn/sandbox');
      const events: BehaviourEvent[] = generateEvents(generateSeed(DEMO_SEED));
      // The write key is shown once and stored as a hash: a source left by an earlier, stopped start gets a
      // new one.
      const { source: created, writeKey } = source
        ? await sources.rotate(ws, source.id)
        : await sources.create(ws, DEMO_SOURCE);
      source = created;
      // Historical `timestamp`s survive clock-skew correction: the client stamps `sentAt` as it sends, so
      // receivedAt − (sentAt − timestamp) is the original time give or take the request's latency.
      const result = await sendEvents(events, { host: o.apiUrl, writeKey });
      if (result.failed) throw new Error(`${result.failed} batches of demo events were not accepted`);
      sent = events.length;
    } else if (!source || state!.retrained) {
      return null;
    }
    await untilResolved(ds, ws, o.signal);

    const rows: { profile_id: string; at: number }[] = await ds.query(
      `SELECT e.profile_id, (extract(epoch FROM e."timestamp") * 1000)::float8 AS at
         FROM events e JOIN profiles p ON p.id = e.profile_id
        WHERE e.workspace_id = $1 AND e.source_id = $2 AND p.merged_into IS NULL`,
      [ws, source!.id],
    );
    const people = [...new Set(rows.map((r) => r.profile_id))];
    const transitions = await replayScoring(
      ds,
      ws,
      people,
      planReplay(
        rows.map((r) => ({ profileId: r.profile_id, at: r.at })),
        Date.now(),
      ),
      o.signal,
    );
    // Incremental insights refreshes look at recent changes only: the next read rebuilds the summary in full.
    await ds.query(`DELETE FROM insights_refresh WHERE workspace_id = $1`, [ws]);
    throwIfAborted(o.signal);

    const model = await retrain(ds, o);
    return {
      events: sent,
      people: people.length,
      transitions,
      seconds: (Date.now() - started) / 1000,
      model,
    };
  } finally {
    await lock.release().catch(() => undefined);
    await ds.destroy().catch(() => undefined);
  }
}

/** Acknowledged events reach the events table moments later: the replay reads them only once all are there. */
async function untilResolved(ds: DataSource, workspaceId: string, signal: AbortSignal): Promise<void> {
  const inbox = new ResolutionRepository(ds, new EventPartitions(ds), new RejectionsRepository(ds));
  for (;;) {
    throwIfAborted(signal);
    if (!(await inbox.waiting(workspaceId)).events) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Scores the demo people at each step of the plan. Online scoring has already scored them as their events came
 * in, stamped with today: that takes their queue rows (waiting for any batch in flight to commit) and its
 * stages and scores are replaced by the replay's. The replay's changes go to no subscriber: history is not news
 * for journeys, CRM write-back or outbound events.
 */
async function replayScoring(
  ds: DataSource,
  ws: string,
  people: string[],
  plan: ReplayStep[],
  signal: AbortSignal,
): Promise<number> {
  await ds.query(`DELETE FROM scoring_queue WHERE workspace_id = $1 AND profile_id = ANY($2::uuid[])`, [
    ws,
    people,
  ]);
  await ds.transaction(async (m) => {
    for (const table of ['stage_transitions', 'score_history', 'profile_scores', 'profile_stages'])
      await m.query(`DELETE FROM ${table} WHERE workspace_id = $1 AND profile_id = ANY($2::uuid[])`, [
        ws,
        people,
      ]);
  });
  const scoring = new ScoringService(
    ds,
    new FeaturesRepository(ds),
    new ScoresRepository(ds),
    new ModelsRepository(ds),
    new IntelligenceSettingsRepository(ds),
    new ScoreChanges(),
  );
  for (const step of plan) {
    throwIfAborted(signal);
    await scoring.rescore(ws, step.profileIds, new Date(step.at));
  }
  const [{ n }] = await ds.query(
    `SELECT count(*)::int AS n FROM stage_transitions WHERE workspace_id = $1 AND profile_id = ANY($2::uuid[])`,
    [ws, people],
  );
  return n;
}

/** One retraining run, as "Retrain now" starts it, waited for; then what the active model measured. */
async function retrain(ds: DataSource, o: DemoHistoryOptions): Promise<DemoHistoryResult['model']> {
  const temporal = new TemporalService(o.config);
  try {
    const models = new ModelsRepository(ds);
    const features = new FeaturesRepository(ds);
    const intelligence = new IntelligenceService(
      new IntelligenceSettingsRepository(ds),
      models,
      new IntelligenceRepository(ds),
      new TrainingService(features, new TrainingRepository(ds)),
      temporal,
      o.config,
    );
    const { workflowId } = await intelligence.retrainNow(o.workspaceId);
    const result = await Promise.race([
      temporal.client.workflow.getHandle(workflowId).result() as Promise<RetrainResult>,
      new Promise<never>((_, reject) =>
        o.signal.addEventListener('abort', () => reject(new Error('stopped')), { once: true }),
      ),
    ]);
    const active = (await models.list(o.workspaceId)).find((m) => m.status === 'active');
    return {
      outcome: result.outcome,
      message: result.message,
      version: active?.version ?? null,
      riskAuc: active?.metrics.risk.auc ?? null,
    };
  } finally {
    await temporal.connection.close().catch(() => undefined);
  }
}

/** The one line `npm start` prints when the history is in. */
export function describeDemoHistory(r: DemoHistoryResult): string {
  const what = r.events
    ? `${r.events.toLocaleString('en-US')} events for ${r.people.toLocaleString('en-US')} people`
    : `replay of ${r.people.toLocaleString('en-US')} people finished`;
  const model =
    r.model.outcome === 'promoted' && r.model.riskAuc !== null
      ? `model v${r.model.version} active (risk AUC ${r.model.riskAuc.toFixed(2)})`
      : `no model yet: ${r.model.message}`;
  return `Demo history: ${what}, ${r.transitions.toLocaleString('en-US')} stage transitions, ${model} (${r.seconds.toFixed(1)} s)`;
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new Error('stopped');
}
