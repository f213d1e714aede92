import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { DealStageMove } from './score-changes';

export interface CurrentScore {
  stage: string | null;
  risk: number | null;
  conversion: number | null;
}

export interface ScoredProfile {
  profileId: string;
  stage: string;
  stageIndex: number;
  stageReason: string;
  modelId: string | null;
  risk: number | null;
  conversion: number | null;
  reasons: string[];
}

type Sql = Pick<EntityManager, 'query'>;

@Injectable()
export class ScoresRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  async current(
    workspaceId: string,
    profileIds: string[],
    db: Sql = this.ds,
  ): Promise<Map<string, CurrentScore>> {
    const rows: (CurrentScore & { id: string })[] = await db.query(
      `SELECT p.id, st.stage, sc.risk, sc.conversion
         FROM unnest($2::uuid[]) AS p(id)
         LEFT JOIN profile_stages st ON st.profile_id = p.id AND st.workspace_id = $1
         LEFT JOIN profile_scores sc ON sc.profile_id = p.id AND sc.workspace_id = $1`,
      [workspaceId, profileIds],
    );
    return new Map(rows.map((r) => [r.id, r]));
  }

  /**
   * Stores the new stage and scores, with the risk of the last history row at least a week older for the trend.
   * A stage change is a transition with its reason; history gets a row when the stage changed or risk /
   * conversion moved by at least a point, so it tracks movement, not re-scoring.
   */
  async write(
    db: Sql,
    workspaceId: string,
    rows: ScoredProfile[],
    before: Map<string, CurrentScore>,
    at: Date,
  ): Promise<void> {
    if (!rows.length) return;
    const moved = (a: number | null, b: number | null | undefined) =>
      (a === null) !== (b === null || b === undefined) || (a !== null && Math.abs(a - (b ?? 0)) >= 0.01);
    const changedStage = rows.filter((r) => before.get(r.profileId)?.stage !== r.stage);
    const historic = rows.filter((r) => {
      const b = before.get(r.profileId);
      return !b || b.stage !== r.stage || moved(r.risk, b.risk) || moved(r.conversion, b.conversion);
    });
    const col = <T>(list: ScoredProfile[], f: (r: ScoredProfile) => T) => list.map(f);
    await db.query(
      `WITH stages AS (
         INSERT INTO profile_stages (profile_id, workspace_id, stage, stage_index, entered_at, reason)
         SELECT p, $1, s, i, $5, r FROM unnest($2::uuid[], $3::text[], $4::int[], $6::text[]) AS u(p, s, i, r)
         ON CONFLICT (profile_id) DO UPDATE SET
           entered_at = CASE WHEN profile_stages.stage = EXCLUDED.stage THEN profile_stages.entered_at ELSE EXCLUDED.entered_at END,
           stage = EXCLUDED.stage, stage_index = EXCLUDED.stage_index, reason = EXCLUDED.reason
       )
       INSERT INTO profile_scores (profile_id, workspace_id, model_id, risk, conversion, reasons, scored_at,
                                   risk_week_before)
       SELECT p, $1, m, r, c, x, $5, (SELECT h.risk FROM score_history h
                WHERE h.profile_id = u.p AND h.scored_at <= $5::timestamptz - interval '7 days'
                ORDER BY h.scored_at DESC LIMIT 1)
         FROM unnest($2::uuid[], $7::uuid[], $8::real[], $9::real[], $10::jsonb[]) AS u(p, m, r, c, x)
       ON CONFLICT (profile_id) DO UPDATE SET model_id = EXCLUDED.model_id, risk = EXCLUDED.risk,
         conversion = EXCLUDED.conversion, reasons = EXCLUDED.reasons, scored_at = EXCLUDED.scored_at,
         risk_week_before = EXCLUDED.risk_week_before`,
      [
        workspaceId,
        col(rows, (r) => r.profileId),
        col(rows, (r) => r.stage),
        col(rows, (r) => r.stageIndex),
        at,
        col(rows, (r) => r.stageReason),
        col(rows, (r) => r.modelId),
        col(rows, (r) => r.risk),
        col(rows, (r) => r.conversion),
        col(rows, (r) => JSON.stringify(r.reasons)),
      ],
    );
    if (changedStage.length) {
      await db.query(
        `INSERT INTO stage_transitions (workspace_id, profile_id, from_stage, to_stage, reason, at)
         SELECT $1, p, f, t, r, $6 FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[]) AS u(p, f, t, r)`,
        [
          workspaceId,
          col(changedStage, (r) => r.profileId),
          col(changedStage, (r) => before.get(r.profileId)?.stage ?? null),
          col(changedStage, (r) => r.stage),
          col(changedStage, (r) => r.stageReason),
          at,
        ],
      );
    }
    if (historic.length) {
      await db.query(
        `INSERT INTO score_history (workspace_id, profile_id, model_id, stage, risk, conversion, scored_at)
         SELECT $1, p, m, s, r, c, $7 FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::real[], $6::real[]) AS u(p, m, s, r, c)`,
        [
          workspaceId,
          col(historic, (r) => r.profileId),
          col(historic, (r) => r.modelId),
          col(historic, (r) => r.stage),
          col(historic, (r) => r.risk),
          col(historic, (r) => r.conversion),
          at,
        ],
      );
    }
  }

  /** Takes up to `limit` queued people; the rows come back if the caller's transaction rolls back. */
  async claim(db: Sql, limit: number): Promise<{ workspaceId: string; profileId: string; queuedAt: Date }[]> {
    // Wrapped in a SELECT: TypeORM answers a bare DELETE with [rows, count].
    return db.query(
      `WITH claimed AS (
         DELETE FROM scoring_queue WHERE profile_id IN (
           SELECT profile_id FROM scoring_queue ORDER BY queued_at LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING workspace_id, profile_id, queued_at)
       SELECT workspace_id AS "workspaceId", profile_id AS "profileId", queued_at AS "queuedAt" FROM claimed`,
      [limit],
    );
  }

  async enqueue(workspaceId: string, profileIds: string[], db: Sql = this.ds): Promise<void> {
    await db.query(
      `INSERT INTO scoring_queue (profile_id, workspace_id) SELECT p, $1 FROM unnest($2::uuid[]) AS p
       ON CONFLICT DO NOTHING`,
      [workspaceId, profileIds],
    );
  }

  /** Who is scored: not merged away, not opted out. */
  async scorable(workspaceId: string, profileIds: string[], db: Sql = this.ds): Promise<string[]> {
    const rows: { id: string }[] = await db.query(
      `SELECT id FROM profiles WHERE workspace_id = $1 AND id = ANY($2::uuid[]) AND merged_into IS NULL
          AND consent <> 'denied' ORDER BY id`,
      [workspaceId, profileIds],
    );
    return rows.map((r) => r.id);
  }

  /** A page of everyone active in the last 90 days, for rescoring after a new model. */
  async activePage(workspaceId: string, after: string | null, limit: number, at: Date): Promise<string[]> {
    const rows: { id: string }[] = await this.ds.query(
      `SELECT id FROM profiles
        WHERE workspace_id = $1 AND merged_into IS NULL AND consent <> 'denied'
          AND last_seen_at >= $4::timestamptz - interval '90 days' AND ($2::uuid IS NULL OR id > $2)
        ORDER BY id LIMIT $3`,
      [workspaceId, after, limit, at],
    );
    return rows.map((r) => r.id);
  }

  /** Events each person did since `since` (newest last, at most `limit` each): the journeys' event signals. */
  async eventsSince(
    workspaceId: string,
    since: Map<string, Date>,
    limit: number,
  ): Promise<Map<string, { event: string; properties: Record<string, unknown> }[]>> {
    if (!since.size) return new Map();
    const rows: { profile_id: string; event: string; properties: Record<string, unknown> }[] =
      await this.ds.query(
        `SELECT e.profile_id, e.event, e.properties FROM unnest($2::uuid[], $3::timestamptz[]) AS s(p, since)
           CROSS JOIN LATERAL (
             SELECT profile_id, COALESCE(canonical_event, event) AS event, properties, "timestamp"
               FROM events WHERE workspace_id = $1 AND profile_id = s.p AND received_at >= s.since
              ORDER BY "timestamp" DESC LIMIT $4) e
          ORDER BY e."timestamp"`,
        [workspaceId, [...since.keys()], [...since.values()], limit],
      );
    const out = new Map<string, { event: string; properties: Record<string, unknown> }[]>();
    for (const r of rows) {
      if (!r.event) continue;
      const list = out.get(r.profile_id) ?? [];
      list.push({ event: r.event, properties: r.properties });
      out.set(r.profile_id, list);
    }
    return out;
  }

  /**
   * Stage moves of each person's deals (through today's deal↔contact associations) recorded since `since`,
   * oldest first, at most `limit` each: the journeys' CRM deal stage signals. A deal first seen already in a
   * stage it entered more than a day before is backfill (a first pull), not a move.
   */
  async dealStagesSince(
    workspaceId: string,
    since: Map<string, Date>,
    limit: number,
  ): Promise<Map<string, DealStageMove[]>> {
    if (!since.size) return new Map();
    const rows: { profile_id: string; from_stage: string | null; stage: string }[] = await this.ds.query(
      `SELECT s.p AS profile_id, d.from_stage, d.stage FROM unnest($2::uuid[], $3::timestamptz[]) AS s(p, since)
         CROSS JOIN LATERAL (
           SELECT DISTINCT h.connection_id, h.object_type, h.external_id, h.from_stage, h.stage, h.recorded_at,
                  h.entered_at
             FROM crm_objects c
             JOIN crm_associations a ON a.connection_id = c.connection_id AND a.to_type = c.object_type
                                    AND a.to_id = c.external_id AND a.from_type IN ('deals', 'Opportunity')
             JOIN crm_deal_stage_history h ON h.connection_id = a.connection_id AND h.object_type = a.from_type
                                          AND h.external_id = a.from_id
            WHERE c.workspace_id = $1 AND c.profile_id = s.p AND h.recorded_at >= s.since
              AND (h.from_stage IS NOT NULL OR h.entered_at >= h.recorded_at - interval '1 day')
            ORDER BY h.recorded_at DESC, h.entered_at DESC LIMIT $4) d
        ORDER BY s.p, d.recorded_at, d.entered_at`,
      [workspaceId, [...since.keys()], [...since.values()], limit],
    );
    const out = new Map<string, DealStageMove[]>();
    for (const r of rows) {
      const list = out.get(r.profile_id) ?? [];
      list.push({ from: r.from_stage, to: r.stage });
      out.set(r.profile_id, list);
    }
    return out;
  }
}
