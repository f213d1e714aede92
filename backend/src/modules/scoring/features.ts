/**
 * The behavioural features of a person at an as-of time, in a fixed order so models, explanations and drift
 * checks agree on what column i means. Every value is computed from events strictly before the as-of time.
 */
export const CATEGORIES = [
  'pricing',
  'comparison',
  'case study',
  'docs',
  'blog',
  'webinar',
  'product',
  'email',
  'sales',
  'checkout',
] as const;
export const INTENTS = ['educational', 'evaluation', 'purchase', 'support'] as const;

export const FEATURE_NAMES = [
  'events_7d',
  'events_30d',
  'events_90d',
  ...INTENTS.map((i) => `intent_${i}_30d`),
  ...CATEGORIES.map((c) => `category_${c.replace(' ', '_')}_30d`),
  'days_since_last_event',
  'days_since_pricing',
  'days_since_purchase_intent',
  'email_opens_30d',
  'email_clicks_30d',
  'sessions_90d',
  'session_depth',
  'returns_within_48h',
  'velocity_7d',
  'decayed_engagement',
  'open_deals',
  'days_in_deal_stage',
  'deal_stage_changes_90d',
  'account_people_active_30d',
  'account_events_30d',
] as const;

export type FeatureName = (typeof FEATURE_NAMES)[number];
export type FeatureRow = Record<FeatureName, number | null>;

/** Column order for the model; missing values (e.g. never saw pricing) stay NaN for the trees to route. */
export function toVector(row: Partial<FeatureRow>): Float64Array {
  const v = new Float64Array(FEATURE_NAMES.length);
  FEATURE_NAMES.forEach((name, i) => {
    const x = row[name];
    v[i] = x === null || x === undefined ? Number.NaN : x;
  });
  return v;
}

/** A person with no events before the as-of time: zero activity, unknown recency. */
export function emptyFeatures(): FeatureRow {
  return Object.fromEntries(
    FEATURE_NAMES.map((n) => [n, n.startsWith('days_') || n === 'session_depth' ? null : 0]),
  ) as FeatureRow;
}
