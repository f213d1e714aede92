import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventPartitions } from '../../src/modules/events/event-partitions';
import { emptyFeatures, FEATURE_NAMES, toVector } from '../../src/modules/scoring/features';
import { FeaturesRepository } from '../../src/modules/scoring/features.repository';
import { startTestApi, type TestApi } from '../support/api';

let api: TestApi;
let features: FeaturesRepository;
let workspaceId: string;
const asOf = new Date('2026-11-20T12:00:00Z');

async function profile(): Promise<string> {
  const id = randomUUID();
  await api.ds.query(
    `INSERT INTO profiles (id, workspace_id, first_seen_at, last_seen_at) VALUES ($1, $2, now(), now())`,
    [id, workspaceId],
  );
  return id;
}

async function event(
  profileId: string,
  at: string,
  category: string | null,
  intent: string | null,
  canonical: string,
) {
  await new EventPartitions(api.ds).ensureFor([new Date(at)]);
  await api.ds.query(
    `INSERT INTO events (workspace_id, message_id, profile_id, type, canonical_event, category, intent, "timestamp", received_at)
     VALUES ($1, $2, $3, 'track', $4, $5, $6, $7, now())`,
    [workspaceId, randomUUID(), profileId, canonical, category, intent, at],
  );
}

beforeAll(async () => {
  api = await startTestApi();
  features = api.app.get(FeaturesRepository);
  [{ id: workspaceId }] = await api.ds.query(
    `INSERT INTO workspaces (name) VALUES ('Features') RETURNING id`,
  );
});
afterAll(() => api?.close());

describe('behavioural features at an as-of time', () => {
  it('counts, recencies, sessions and decay from events strictly before the as-of time', async () => {
    const p = await profile();
    await event(p, '2026-08-01T12:00:00Z', 'pricing', 'evaluation', 'Viewed Pricing'); // older than 90 days
    await event(p, '2026-11-01T12:00:00Z', 'product', 'purchase', 'Trial Started');
    await event(p, '2026-11-18T12:00:00Z', 'email', 'educational', 'Email Opened');
    await event(p, '2026-11-19T12:00:00Z', 'pricing', 'evaluation', 'Viewed Pricing');
    await event(p, '2026-11-19T12:10:00Z', 'docs', 'educational', 'Read Docs');

    const f = (await features.behaviour(workspaceId, [p], asOf)).get(p)!;
    expect(f).toMatchObject({
      events_7d: 3,
      events_30d: 4,
      events_90d: 4,
      intent_evaluation_30d: 1,
      intent_educational_30d: 2,
      intent_purchase_30d: 1,
      intent_support_30d: 0,
      category_pricing_30d: 1,
      category_docs_30d: 1,
      category_email_30d: 1,
      category_product_30d: 1,
      category_case_study_30d: 0,
      email_opens_30d: 1,
      email_clicks_30d: 0,
      sessions_90d: 3,
      returns_within_48h: 1,
      velocity_7d: 3,
    });
    expect(f.days_since_last_event).toBeCloseTo(23 / 24 + 50 / 1440, 9);
    expect(f.days_since_pricing).toBeCloseTo(1, 9);
    expect(f.days_since_purchase_intent).toBeCloseTo(19, 9);
    expect(f.session_depth).toBeCloseTo(4 / 3, 12);
    const decay = (days: number) => 0.5 ** (days / 7);
    expect(f.decayed_engagement).toBeCloseTo(decay(19) + decay(2) + decay(1) + decay(23 / 24 + 50 / 1440), 9);
  });

  it('cannot see the future: events at or after the as-of time change nothing (no label leakage)', async () => {
    const p = await profile();
    await event(p, '2026-11-19T09:00:00Z', 'pricing', 'evaluation', 'Viewed Pricing');
    const before = (await features.behaviour(workspaceId, [p], asOf)).get(p)!;
    await event(p, asOf.toISOString(), 'checkout', 'purchase', 'Order Completed');
    await event(p, '2026-11-21T09:00:00Z', 'checkout', 'purchase', 'Order Completed');
    const after = (await features.behaviour(workspaceId, [p], asOf)).get(p)!;
    expect(after).toEqual(before);
    expect(after.intent_purchase_30d).toBe(0);
    const later = (await features.behaviour(workspaceId, [p], new Date('2026-11-22T00:00:00Z'))).get(p)!;
    expect(later.intent_purchase_30d).toBe(2);
  });

  it('gives people without history zero activity and unknown recency, and a stable vector', async () => {
    const p = await profile();
    const f = (await features.behaviour(workspaceId, [p], asOf)).get(p)!;
    expect(f).toEqual(emptyFeatures());
    const v = toVector(f);
    expect(v).toHaveLength(FEATURE_NAMES.length);
    expect(Number.isNaN(v[FEATURE_NAMES.indexOf('days_since_pricing')]!)).toBe(true);
    expect(v[FEATURE_NAMES.indexOf('events_30d')]).toBe(0);
  });

  it('keeps workspaces apart', async () => {
    const p = await profile();
    await event(p, '2026-11-19T09:00:00Z', 'pricing', 'evaluation', 'Viewed Pricing');
    const [{ id: other }] = await api.ds.query(`INSERT INTO workspaces (name) VALUES ('Other') RETURNING id`);
    const f = (await features.behaviour(other, [p], asOf)).get(p)!;
    expect(f.events_30d).toBe(0);
  });
});
