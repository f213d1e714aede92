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
    const rows: (Record<string, string | number | null> & { profile_id: string })[] = await this.ds.query(
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
    const out = new Map<string, FeatureRow>(profileIds.map((id) => [id, emptyFeatures()]));
    for (const r of rows) {
      const f = out.get(r.profile_id)!;
      for (const key of Object.keys(f) as (keyof FeatureRow)[]) {
        if (key === 'session_depth') continue;
        const v = r[key];
        f[key] = v === null || v === undefined ? null : Number(v);
      }
      f.session_depth = f.sessions_90d ? (f.events_90d ?? 0) / f.sessions_90d : null;
    }
    return out;
  }
}
