/**
 * Feature keys (`intent_evaluation_30d`, `days_since_pricing`, …) in words a marketer reads without a glossary,
 * grouped for the condition picker. Pure: the key list itself comes from the API (`settings.features`), so an
 * unknown key still gets a readable label from its parts.
 */

const LABELS: Record<string, string> = {
  events_7d: 'Events, last 7 days',
  events_30d: 'Events, last 30 days',
  events_90d: 'Events, last 90 days',
  intent_educational_30d: 'Educational actions, last 30 days',
  intent_evaluation_30d: 'Evaluation actions, last 30 days',
  intent_purchase_30d: 'Purchase actions, last 30 days',
  intent_support_30d: 'Support actions, last 30 days',
  category_pricing_30d: 'Pricing views, last 30 days',
  category_comparison_30d: 'Comparison page views, last 30 days',
  category_case_study_30d: 'Case study views, last 30 days',
  category_docs_30d: 'Docs views, last 30 days',
  category_blog_30d: 'Blog views, last 30 days',
  category_webinar_30d: 'Webinar actions, last 30 days',
  category_product_30d: 'Product actions, last 30 days',
  category_email_30d: 'Email actions, last 30 days',
  category_sales_30d: 'Contacts with sales, last 30 days',
  category_checkout_30d: 'Checkout visits, last 30 days',
  days_since_last_event: 'Days since last active',
  days_since_pricing: 'Days since a pricing view',
  days_since_purchase_intent: 'Days since a purchase action',
  email_opens_30d: 'Email opens, last 30 days',
  email_clicks_30d: 'Email clicks, last 30 days',
  sessions_90d: 'Visits, last 90 days',
  session_depth: 'Pages per visit',
  returns_within_48h: 'Returns within 48 hours',
  velocity_7d: 'Activity this week vs the week before',
  decayed_engagement: 'Recent engagement score',
  open_deals: 'Open deals',
  days_in_deal_stage: 'Days in the current deal stage',
  deal_stage_changes_90d: 'Deal stage changes, last 90 days',
  account_people_active_30d: 'Active colleagues at their company, last 30 days',
  account_events_30d: 'Events from their company, last 30 days',
};

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** "intent_evaluation_30d" → "Evaluation actions, last 30 days". */
export function featureLabel(key: string): string {
  const known = LABELS[key];
  if (known) return known;
  const window = /_(\d+)d$/.exec(key);
  const stem = window ? key.slice(0, -window[0].length) : key;
  const suffix = window ? `, last ${window[1]} days` : '';
  const intent = /^intent_(.+)$/.exec(stem);
  if (intent) return `${capitalise(intent[1]!.replace(/_/g, ' '))} actions${suffix}`;
  const category = /^category_(.+)$/.exec(stem);
  if (category) return `${capitalise(category[1]!.replace(/_/g, ' '))} views${suffix}`;
  const since = /^days_since_(.+)$/.exec(stem);
  if (since) return `Days since ${since[1]!.replace(/_/g, ' ')}`;
  return capitalise(stem.replace(/_/g, ' ')) + suffix;
}

export const FEATURE_GROUPS = [
  'Activity',
  'Buying intent',
  'Content',
  'Recency',
  'Email',
  'CRM deals',
  'Their company',
] as const;
export type FeatureGroup = (typeof FEATURE_GROUPS)[number];

/** Which heading of the condition picker a feature sits under. */
export function featureGroup(key: string): FeatureGroup {
  if (key.startsWith('intent_')) return 'Buying intent';
  if (key.startsWith('category_')) return 'Content';
  if (key.startsWith('days_since_')) return 'Recency';
  if (key.startsWith('email_')) return 'Email';
  if (key.startsWith('account_')) return 'Their company';
  if (key.includes('deal')) return 'CRM deals';
  return 'Activity';
}

/** The unit shown after a condition's value, if any. */
export function featureUnit(key: string): string {
  if (key.startsWith('days_')) return 'days';
  if (key === 'velocity_7d') return '×';
  return '';
}

/** The keys grouped in picker order, each group's keys in the API's order. */
export function groupFeatures(keys: readonly string[]): { group: FeatureGroup; keys: string[] }[] {
  return FEATURE_GROUPS.map((group) => ({
    group,
    keys: keys.filter((k) => featureGroup(k) === group),
  })).filter((g) => g.keys.length > 0);
}

/** "Pricing views, last 30 days ≥ 1". */
export function conditionText(c: { feature: string; op: 'gte' | 'lte'; value: number }): string {
  const unit = featureUnit(c.feature);
  const value = unit === '×' ? `${c.value}×` : unit ? `${c.value} ${unit}` : String(c.value);
  return `${featureLabel(c.feature)} ${c.op === 'gte' ? '≥' : '≤'} ${value}`;
}
