import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type {
  ProfileSummary,
  StageVisitInput,
  SummaryEvent,
  TokenCount,
  Vocabulary,
} from './profile-summary';

export interface StageDef {
  key: string;
  label: string;
}

export interface WorkspaceInsightSettings {
  stages: StageDef[];
  goalEvent: string | null;
  horizonDays: number;
}

export interface RefreshState {
  configHash: string;
  vocabulary: Vocabulary;
  watermark: Date;
  refreshedAt: Date;
  fullAt: Date;
}

export interface ProfileContext {
  transitions: StageVisitInput[];
  current: StageVisitInput | null;
  profileTraits: Record<string, unknown>;
  accountTraits: Record<string, unknown> | null;
}

/** Events fetched per round trip while streaming a workspace's events. */
const FETCH = 10_000;

/** Reads what the summary is built from and writes the summary rows. */
@Injectable()
export class SummaryRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  async state(workspaceId: string): Promise<RefreshState | null> {
    const [row] = await this.ds.query(
      `SELECT config_hash AS "configHash", vocabulary, watermark, refreshed_at AS "refreshedAt", full_at AS "fullAt"
         FROM insights_refresh WHERE workspace_id = $1`,
      [workspaceId],
    );
    return row ?? null;
  }

  async saveState(workspaceId: string, s: RefreshState): Promise<void> {
    await this.ds.query(
      `INSERT INTO insights_refresh (workspace_id, config_hash, vocabulary, watermark, refreshed_at, full_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (workspace_id) DO UPDATE SET config_hash = EXCLUDED.config_hash, vocabulary = EXCLUDED.vocabulary,
         watermark = EXCLUDED.watermark, refreshed_at = EXCLUDED.refreshed_at, full_at = EXCLUDED.full_at`,
      [workspaceId, s.configHash, JSON.stringify(s.vocabulary), s.watermark, s.refreshedAt, s.fullAt],
    );
  }

  /** The latest arrival time of any event of the workspace: the next incremental refresh starts after it. */
  async latestArrival(workspaceId: string, since: Date | null): Promise<Date | null> {
    const [row] = await this.ds.query(
      `SELECT max(received_at) AS at FROM events
        WHERE workspace_id = $1 AND ($2::timestamptz IS NULL OR "timestamp" >= $2::timestamptz - interval '7 days')`,
      [workspaceId, since],
    );
    return row?.at ? new Date(row.at) : null;
  }

  /**
   * How many people had each touchpoint (an event once, twice, content of a category), for choosing the
   * vocabulary of the masks. Counts over all of a person's events: close enough to pick the common ones.
   */
  async tokenCounts(
    workspaceId: string,
    goalEvent: string | null,
  ): Promise<{ counts: TokenCount[]; total: number }> {
    const rows: { token: string; profiles: number }[] = await this.ds.query(
      `WITH per AS (
         SELECT profile_id, COALESCE(canonical_event, event) AS name, category, count(*) AS n
           FROM events
          WHERE workspace_id = $1 AND type IN ('track', 'page', 'screen')
          GROUP BY 1, 2, 3)
       SELECT 'e:' || name AS token, count(DISTINCT profile_id)::int AS profiles FROM per
        WHERE name IS NOT NULL AND name IS DISTINCT FROM $2 GROUP BY name
       UNION ALL
       SELECT 'e2:' || name, count(*)::int FROM (
         SELECT profile_id, name FROM per WHERE name IS NOT NULL AND name IS DISTINCT FROM $2
          GROUP BY 1, 2 HAVING sum(n) >= 2) twice GROUP BY name
       UNION ALL
       SELECT 'c:' || category, count(DISTINCT profile_id)::int FROM per WHERE category IS NOT NULL GROUP BY category`,
      [workspaceId, goalEvent],
    );
    const [{ total }] = await this.ds.query(
      `SELECT count(DISTINCT profile_id)::int AS total FROM events WHERE workspace_id = $1`,
      [workspaceId],
    );
    return { counts: rows, total };
  }

  /**
   * People to re-summarise (incremental refresh): events that arrived after `eventsSince` (with event times in
   * the last week before it; later stragglers wait for the daily full build), and stage or profile changes
   * (traits, merges, consent) after `changesSince`.
   */
  async changedProfiles(workspaceId: string, eventsSince: Date, changesSince: Date): Promise<string[]> {
    const rows: { id: string }[] = await this.ds.query(
      `SELECT DISTINCT profile_id AS id FROM events
        WHERE workspace_id = $1 AND "timestamp" >= $2::timestamptz - interval '7 days' AND received_at > $2
       UNION
       SELECT profile_id FROM stage_transitions WHERE workspace_id = $1 AND at > $3
       UNION
       SELECT profile_id FROM profile_stages WHERE workspace_id = $1 AND entered_at > $3
       UNION
       SELECT id FROM profiles WHERE workspace_id = $1 AND updated_at > $3`,
      [workspaceId, eventsSince, changesSince],
    );
    return rows.map((r) => r.id);
  }

  async size(workspaceId: string): Promise<number> {
    const [{ n }] = await this.ds.query(
      `SELECT count(*)::int AS n FROM insights_profiles WHERE workspace_id = $1`,
      [workspaceId],
    );
    return n;
  }

  /**
   * Streams the events of the workspace (or of the given people) grouped by person, in batches of about
   * `batchProfiles` people, each person's events in time order. A cursor keeps memory flat on big workspaces.
   */
  async forEachProfileEvents(
    workspaceId: string,
    ids: string[] | null,
    batchProfiles: number,
    onBatch: (batch: Map<string, SummaryEvent[]>) => Promise<void>,
  ): Promise<void> {
    const runner = this.ds.createQueryRunner('slave');
    await runner.connect();
    try {
      await runner.startTransaction('REPEATABLE READ');
      await runner.query(
        `DECLARE insight_events NO SCROLL CURSOR FOR
         SELECT e.profile_id, (extract(epoch FROM e."timestamp") * 1000)::float8 AS at, e.type,
                COALESCE(e.canonical_event, e.event) AS name, e.category, e.intent,
                e.context->'campaign'->>'source' AS utm_source, e.context->'campaign'->>'medium' AS utm_medium,
                COALESCE(e.context->'page'->>'referrer', e.properties->>'referrer') AS referrer,
                COALESCE(e.url, e.context->'page'->>'url') AS url
           FROM events e
          WHERE e.workspace_id = $1 ${ids ? 'AND e.profile_id = ANY($2::uuid[])' : ''}
          ORDER BY e.profile_id, e."timestamp"`,
        ids ? [workspaceId, ids] : [workspaceId],
      );
      let batch = new Map<string, SummaryEvent[]>();
      let lastId: string | null = null;
      for (;;) {
        const rows: Record<string, unknown>[] = await runner.query(`FETCH ${FETCH} FROM insight_events`);
        for (const r of rows) {
          const id = r['profile_id'] as string;
          if (id !== lastId && batch.size >= batchProfiles) {
            await onBatch(batch);
            batch = new Map();
          }
          lastId = id;
          let list = batch.get(id);
          if (!list) batch.set(id, (list = []));
          list.push({
            at: r['at'] as number,
            type: r['type'] as string,
            name: r['name'] as string | null,
            category: r['category'] as string | null,
            intent: r['intent'] as string | null,
            utmSource: r['utm_source'] as string | null,
            utmMedium: r['utm_medium'] as string | null,
            referrer: r['referrer'] as string | null,
            url: r['url'] as string | null,
          });
        }
        if (rows.length < FETCH) break;
      }
      if (batch.size) await onBatch(batch);
      await runner.commitTransaction();
    } catch (e) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw e;
    } finally {
      await runner.release();
    }
  }

  /** Stages and traits of the given people; people merged away or opted out are left out. */
  async contexts(workspaceId: string, ids: string[]): Promise<Map<string, ProfileContext>> {
    const [profiles, transitions, current] = await Promise.all([
      this.ds.query(
        `SELECT p.id, p.traits, a.traits AS account_traits FROM profiles p
           LEFT JOIN accounts a ON a.id = p.account_id
          WHERE p.workspace_id = $1 AND p.id = ANY($2::uuid[]) AND p.merged_into IS NULL AND p.consent <> 'denied'`,
        [workspaceId, ids],
      ) as Promise<
        { id: string; traits: Record<string, unknown>; account_traits: Record<string, unknown> | null }[]
      >,
      this.ds.query(
        `SELECT profile_id, to_stage AS stage, (extract(epoch FROM at) * 1000)::float8 AS at FROM stage_transitions
          WHERE workspace_id = $1 AND profile_id = ANY($2::uuid[]) ORDER BY profile_id, at, id`,
        [workspaceId, ids],
      ) as Promise<{ profile_id: string; stage: string; at: number }[]>,
      this.ds.query(
        `SELECT profile_id, stage, (extract(epoch FROM entered_at) * 1000)::float8 AS at FROM profile_stages
          WHERE workspace_id = $1 AND profile_id = ANY($2::uuid[])`,
        [workspaceId, ids],
      ) as Promise<{ profile_id: string; stage: string; at: number }[]>,
    ]);
    const out = new Map<string, ProfileContext>();
    for (const p of profiles)
      out.set(p.id, {
        transitions: [],
        current: null,
        profileTraits: p.traits ?? {},
        accountTraits: p.account_traits,
      });
    for (const t of transitions) out.get(t.profile_id)?.transitions.push({ stage: t.stage, at: t.at });
    for (const c of current) {
      const ctx = out.get(c.profile_id);
      if (ctx) ctx.current = { stage: c.stage, at: c.at };
    }
    return out;
  }

  async upsert(workspaceId: string, rows: { profileId: string; summary: ProfileSummary }[]): Promise<void> {
    if (rows.length === 0) return;
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    const payload = rows.map(({ profileId, summary: s }) => ({
      profile_id: profileId,
      first_at: iso(s.firstAt),
      last_at: iso(s.lastAt),
      events: s.events,
      channel: s.channel,
      company_size: s.companySize,
      plan: s.plan,
      region: s.region,
      converted_at: iso(s.convertedAt),
      max_stage: s.maxStage,
      cur_stage: s.curStage,
      stage_days: s.stageDays,
      stage_path: s.stagePath,
      touch_path: s.touchPath,
      category_path: s.categoryPath,
      moments: s.moments.toString(),
      pairs: s.pairs.toString(),
      early_events: s.earlyEvents,
      early_days: s.earlyDays,
      early_categories: s.earlyCategories,
      early_evaluation: s.earlyEvaluation,
    }));
    await this.ds.query(
      `INSERT INTO insights_profiles (profile_id, workspace_id, first_at, last_at, events, channel, company_size, plan,
              region, converted_at, max_stage, cur_stage, stage_days, stage_path, touch_path, category_path, moments,
              pairs, early_events, early_days, early_categories, early_evaluation)
       SELECT t.profile_id, $1, t.first_at, t.last_at, t.events, t.channel, t.company_size, t.plan, t.region,
              t.converted_at, t.max_stage, t.cur_stage, t.stage_days, t.stage_path, t.touch_path, t.category_path,
              t.moments::bigint, t.pairs::bigint, t.early_events, t.early_days, t.early_categories, t.early_evaluation
         FROM jsonb_to_recordset($2::jsonb) AS t(profile_id uuid, first_at timestamptz, last_at timestamptz, events int,
              channel text, company_size text, plan text, region text, converted_at timestamptz, max_stage smallint,
              cur_stage smallint, stage_days real[], stage_path text[], touch_path text[], category_path text[],
              moments text, pairs text, early_events int, early_days int, early_categories int, early_evaluation int)
       ON CONFLICT (profile_id) DO UPDATE SET first_at = EXCLUDED.first_at, last_at = EXCLUDED.last_at,
              events = EXCLUDED.events, channel = EXCLUDED.channel, company_size = EXCLUDED.company_size,
              plan = EXCLUDED.plan, region = EXCLUDED.region, converted_at = EXCLUDED.converted_at,
              max_stage = EXCLUDED.max_stage, cur_stage = EXCLUDED.cur_stage, stage_days = EXCLUDED.stage_days,
              stage_path = EXCLUDED.stage_path, touch_path = EXCLUDED.touch_path,
              category_path = EXCLUDED.category_path, moments = EXCLUDED.moments, pairs = EXCLUDED.pairs,
              early_events = EXCLUDED.early_events, early_days = EXCLUDED.early_days,
              early_categories = EXCLUDED.early_categories, early_evaluation = EXCLUDED.early_evaluation`,
      [workspaceId, JSON.stringify(payload)],
    );
  }

  async remove(workspaceId: string, ids: string[]): Promise<void> {
    if (ids.length)
      await this.ds.query(
        `DELETE FROM insights_profiles WHERE workspace_id = $1 AND profile_id = ANY($2::uuid[])`,
        [workspaceId, ids],
      );
  }

  /** After a full rebuild: rows of people not seen in it (merged away, erased, opted out) go. */
  async removeOlderThan(workspaceId: string, keep: Set<string>): Promise<void> {
    const rows: { profile_id: string }[] = await this.ds.query(
      `SELECT profile_id FROM insights_profiles WHERE workspace_id = $1`,
      [workspaceId],
    );
    await this.remove(
      workspaceId,
      rows.map((r) => r.profile_id).filter((id) => !keep.has(id)),
    );
  }

  /** Fresh planner statistics after a full build rewrote the table. */
  async analyze(): Promise<void> {
    await this.ds.query(`ANALYZE insights_profiles`);
  }

  /** Only one refresh per workspace at a time, across API processes. */
  async withLock<T>(workspaceId: string, work: () => Promise<T>): Promise<T | undefined> {
    const runner = this.ds.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = await runner.query(
        `SELECT pg_try_advisory_lock(hashtext('cairn.insights.refresh'), hashtext($1)) AS locked`,
        [workspaceId],
      );
      if (!locked) return undefined;
      try {
        return await work();
      } finally {
        await runner.query(`SELECT pg_advisory_unlock(hashtext('cairn.insights.refresh'), hashtext($1))`, [
          workspaceId,
        ]);
      }
    } finally {
      await runner.release();
    }
  }
}
