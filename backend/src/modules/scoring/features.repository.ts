import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CATEGORIES, emptyFeatures, INTENTS, type FeatureRow } from './features';

/** A new session starts after 30 minutes without events (the usual web-analytics convention). */
const SESSION_GAP = '30 minutes';
/** Engagement halves every 7 days. */
const HALF_LIFE_DAYS = 7;

/**
 * Features for many people at one as-of time in one query. Point in time: only events with
 * `timestamp < asOf` are read, so a label observed after asOf can never leak into its features.
 */
@Injectable()
export class FeaturesRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  async behaviour(workspaceId: string, profileIds: string[], asOf: Date): Promise<Map<string, FeatureRow>> {
    const intentCols = INTENTS.map(
      (i, k) =>
        `count(*) FILTER (WHERE t >= $3::timestamptz - interval '30 days' AND intent = $${4 + k}) AS "intent_${i}_30d"`,
    );
    const catBase = 4 + INTENTS.length;
    const categoryCols = CATEGORIES.map(
      (c, k) =>
        `count(*) FILTER (WHERE t >= $3::timestamptz - interval '30 days' AND category = $${catBase + k}) AS "category_${c.replace(' ', '_')}_30d"`,
    );
    const rows: FeatureSqlRow[] = await this.ds.query(
      `WITH e AS (
         SELECT profile_id, "timestamp" AS t, category, intent, canonical_event,
                "timestamp" - lag("timestamp") OVER (PARTITION BY profile_id ORDER BY "timestamp") AS gap
           FROM events
          WHERE workspace_id = $1 AND profile_id = ANY($2::uuid[])
            AND "timestamp" < $3 AND "timestamp" >= $3::timestamptz - interval '90 days')
       SELECT profile_id,
              count(*) FILTER (WHERE t >= $3::timestamptz - interval '7 days') AS events_7d,
              count(*) FILTER (WHERE t >= $3::timestamptz - interval '30 days') AS events_30d,
              count(*) AS events_90d,
              ${intentCols.join(',\n              ')},
              ${categoryCols.join(',\n              ')},
              extract(epoch FROM $3::timestamptz - max(t)) / 86400 AS days_since_last_event,
              extract(epoch FROM $3::timestamptz - max(t) FILTER (WHERE category = 'pricing')) / 86400 AS days_since_pricing,
              extract(epoch FROM $3::timestamptz - max(t) FILTER (WHERE intent = 'purchase')) / 86400 AS days_since_purchase_intent,
              count(*) FILTER (WHERE t >= $3::timestamptz - interval '30 days' AND canonical_event = 'Email Opened') AS email_opens_30d,
              count(*) FILTER (WHERE t >= $3::timestamptz - interval '30 days' AND canonical_event = 'Email Link Clicked') AS email_clicks_30d,
              count(*) FILTER (WHERE gap IS NULL OR gap > interval '${SESSION_GAP}') AS sessions_90d,
              count(*) FILTER (WHERE gap > interval '${SESSION_GAP}' AND gap <= interval '48 hours') AS returns_within_48h,
              count(*) FILTER (WHERE t >= $3::timestamptz - interval '7 days')::float8
                / greatest(1, count(*) FILTER (WHERE t >= $3::timestamptz - interval '14 days' AND t < $3::timestamptz - interval '7 days')) AS velocity_7d,
              sum(power(0.5, extract(epoch FROM $3::timestamptz - t) / 86400 / ${HALF_LIFE_DAYS})) AS decayed_engagement
         FROM e GROUP BY profile_id`,
      [workspaceId, profileIds, asOf, ...INTENTS, ...CATEGORIES],
    );
    const [deals, accounts] = await Promise.all([
      this.deals(workspaceId, profileIds, asOf),
      this.accounts(workspaceId, profileIds, asOf),
    ]);
    const out = new Map<string, FeatureRow>(profileIds.map((id) => [id, emptyFeatures()]));
    for (const r of [...rows, ...deals, ...accounts]) {
      const f = out.get(r.profile_id)!;
      for (const key of Object.keys(r) as (keyof FeatureRow)[]) {
        if (!(key in f)) continue;
        const v = r[key];
        f[key] = v === null || v === undefined ? null : Number(v);
      }
    }
    for (const f of out.values())
      f.session_depth = f.sessions_90d ? (f.events_90d ?? 0) / f.sessions_90d : null;
    return out;
  }

  /**
   * The person's deals as they stood at `asOf`, from the stage history: open ones, how long the freshest has
   * sat in its stage, and how often they moved in 90 days. Deal↔person links are today's associations.
   */
  private deals(workspaceId: string, profileIds: string[], asOf: Date): Promise<FeatureSqlRow[]> {
    return this.ds.query(
      `WITH deals AS (
         SELECT DISTINCT c.profile_id, a.connection_id, a.from_type, a.from_id
           FROM crm_objects c
           JOIN crm_associations a ON a.connection_id = c.connection_id AND a.to_type = c.object_type
                                  AND a.to_id = c.external_id AND a.from_type IN ('deals', 'Opportunity')
          WHERE c.workspace_id = $1 AND c.profile_id = ANY($2::uuid[]))
       SELECT d.profile_id,
              count(*) FILTER (WHERE NOT h.closed) AS open_deals,
              min(extract(epoch FROM $3::timestamptz - h.entered_at) / 86400) FILTER (WHERE NOT h.closed) AS days_in_deal_stage,
              sum(h.moves) AS deal_stage_changes_90d
         FROM deals d
         CROSS JOIN LATERAL (
           SELECT s.closed, s.entered_at,
                  (SELECT count(*) FROM crm_deal_stage_history m
                    WHERE m.connection_id = d.connection_id AND m.object_type = d.from_type AND m.external_id = d.from_id
                      AND m.entered_at < $3 AND m.entered_at >= $3::timestamptz - interval '90 days') AS moves
             FROM crm_deal_stage_history s
            WHERE s.connection_id = d.connection_id AND s.object_type = d.from_type AND s.external_id = d.from_id
              AND s.entered_at < $3
            ORDER BY s.entered_at DESC LIMIT 1) h
        GROUP BY d.profile_id`,
      [workspaceId, profileIds, asOf],
    );
  }

  /** What the rest of the person's company did in the 30 days before `asOf`. */
  private accounts(workspaceId: string, profileIds: string[], asOf: Date): Promise<FeatureSqlRow[]> {
    return this.ds.query(
      `SELECT p.id AS profile_id,
              count(DISTINCT e.profile_id) FILTER (WHERE e.profile_id <> p.id) AS account_people_active_30d,
              count(e.profile_id) FILTER (WHERE e.profile_id <> p.id) AS account_events_30d
         FROM profiles p
         JOIN profiles o ON o.workspace_id = $1 AND o.account_id = p.account_id
         JOIN events e ON e.workspace_id = $1 AND e.profile_id = o.id
                      AND e."timestamp" < $3 AND e."timestamp" >= $3::timestamptz - interval '30 days'
        WHERE p.workspace_id = $1 AND p.id = ANY($2::uuid[]) AND p.account_id IS NOT NULL
        GROUP BY p.id`,
      [workspaceId, profileIds, asOf],
    );
  }
}

/** A feature query's row: numbers come back from PostgreSQL as numbers or numeric strings. */
type FeatureSqlRow = Record<string, string | number | null> & { profile_id: string };
