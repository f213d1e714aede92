import { CATEGORIES, INTENTS, type FeatureName } from './features';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const days = (v: number) => (v < 1 ? 'today' : `${plural(Math.round(v), 'day')} ago`);
const count = (v: number) => Math.round(v * 10) / 10;

const CATEGORY_PHRASES: Record<(typeof CATEGORIES)[number], [string, string]> = {
  pricing: ['viewed pricing', 'no pricing views'],
  comparison: ['read comparisons', 'no comparison pages'],
  'case study': ['read case studies', 'no case studies read'],
  docs: ['read the docs', 'no docs read'],
  blog: ['read the blog', 'no blog reading'],
  webinar: ['engaged with webinars', 'no webinar activity'],
  product: ['used or viewed the product', 'no product activity'],
  email: ['engaged with email', 'no email engagement'],
  sales: ['reached out to sales', 'no contact with sales'],
  checkout: ['visited checkout', 'no checkout visits'],
};

/**
 * A feature value in words a marketer reads without a glossary: the same sentence serves as a stage's reason
 * and as a score's reason, so both speak the same language.
 */
export function describeFeature(feature: FeatureName, value: number | null): string {
  if (feature.startsWith('days_since')) {
    const what =
      feature === 'days_since_pricing'
        ? ['Last viewed pricing', 'Never viewed pricing']
        : feature === 'days_since_purchase_intent'
          ? ['Last purchase-intent action', 'No purchase-intent action yet']
          : ['Last active', 'No activity yet'];
    return value === null || Number.isNaN(value) ? what[1]! : `${what[0]} ${days(value)}`;
  }
  const v = count(value ?? 0);
  const intent = INTENTS.find((i) => feature === `intent_${i}_30d`);
  if (intent)
    return v ? `${plural(v, `${intent} action`)} in the last 30 days` : `No ${intent} actions in 30 days`;
  const category = CATEGORIES.find((c) => feature === `category_${c.replace(' ', '_')}_30d`);
  if (category) {
    const [did, none] = CATEGORY_PHRASES[category];
    return v ? `${capitalise(did)} ${plural(v, 'time')} in 30 days` : `${capitalise(none)} in 30 days`;
  }
  switch (feature) {
    case 'events_7d':
      return v ? `${plural(v, 'action')} in the last 7 days` : 'No activity in the last 7 days';
    case 'events_30d':
      return v ? `${plural(v, 'action')} in the last 30 days` : 'No activity in the last 30 days';
    case 'events_90d':
      return v ? `${plural(v, 'action')} in the last 90 days` : 'No activity in the last 90 days';
    case 'email_opens_30d':
      return v ? `Opened ${plural(v, 'email')} in 30 days` : 'Opened no emails in 30 days';
    case 'email_clicks_30d':
      return v ? `Clicked ${plural(v, 'email link')} in 30 days` : 'Clicked no email links in 30 days';
    case 'sessions_90d':
      return `${plural(v, 'visit')} in 90 days`;
    case 'session_depth':
      return value === null || Number.isNaN(value) ? 'No visits yet' : `${v} pages per visit on average`;
    case 'returns_within_48h':
      return v ? `Came back within 48 hours ${plural(v, 'time')}` : 'Never came back within 48 hours';
    case 'velocity_7d':
      return v >= 1.2
        ? `Activity up ${v}× on the week before`
        : v <= 0.8
          ? `Activity down to ${v}× of the week before`
          : 'Activity steady on the week before';
    case 'open_deals':
      return v ? `${plural(v, 'open deal')} in the CRM` : 'No open deal in the CRM';
    case 'days_in_deal_stage':
      return value === null || Number.isNaN(value)
        ? 'No deal stage yet'
        : `Deal in its current stage for ${plural(Math.round(v), 'day')}`;
    case 'deal_stage_changes_90d':
      return v ? `Deal moved stage ${plural(v, 'time')} in 90 days` : 'Deal has not moved stage in 90 days';
    case 'account_people_active_30d':
      return v ? `${plural(v, 'colleague')} active in the last 30 days` : 'No colleagues active in 30 days';
    case 'account_events_30d':
      return v
        ? `${plural(v, 'action')} by their company in 30 days`
        : 'No activity from their company in 30 days';
    case 'decayed_engagement':
      return v >= 1 ? `Recent engagement score ${v}` : 'Little recent engagement';
  }
  return `${feature} = ${v}`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
