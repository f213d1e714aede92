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

describe('CRM and account features', () => {
  it('reads a deal as it stood at the as-of time, re-queues its people when it moves, and counts colleagues', async () => {
    const person = await profile();
    const colleague = await profile();
    const [{ id: accountId }] = await api.ds.query(
      `INSERT INTO accounts (workspace_id, group_id, name) VALUES ($1, 'acme', 'Acme') RETURNING id`,
      [workspaceId],
    );
    await api.ds.query(`UPDATE profiles SET account_id = $1 WHERE id = ANY($2::uuid[])`, [
      accountId,
      [person, colleague],
    ]);
    await event(colleague, '2026-11-10T09:00:00Z', 'docs', 'educational', 'Read Docs');
    await event(colleague, '2026-11-12T09:00:00Z', 'pricing', 'evaluation', 'Viewed Pricing');
    const [{ id: connectionId }] = await api.ds.query(
      `INSERT INTO crm_connections (workspace_id, provider, status, external_account, access_token_enc, refresh_token_enc)
       VALUES ($1, 'hubspot', 'active', 'portal-1', 'x', 'x') RETURNING id`,
      [workspaceId],
    );
    const crm = (type: string, id: string, extra: Record<string, unknown>) =>
      api.ds.query(
        `INSERT INTO crm_objects (workspace_id, connection_id, object_type, external_id, profile_id, stage, stage_entered_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (connection_id, object_type, external_id)
         DO UPDATE SET stage = EXCLUDED.stage, stage_entered_at = EXCLUDED.stage_entered_at`,
        [
          workspaceId,
          connectionId,
          type,
          id,
          extra['profile'] ?? null,
          extra['stage'] ?? null,
          extra['at'] ?? null,
        ],
      );
    await crm('contacts', 'c-1', { profile: person });
    await api.ds.query(
      `INSERT INTO crm_associations (workspace_id, connection_id, from_type, from_id, to_type, to_id)
       VALUES ($1, $2, 'deals', 'd-1', 'contacts', 'c-1')`,
      [workspaceId, connectionId],
    );
    await crm('deals', 'd-1', { stage: 'appointmentscheduled', at: '2026-11-01T00:00:00Z' });
    await api.ds.query(`DELETE FROM scoring_queue`);
    await crm('deals', 'd-1', { stage: 'contractsent', at: '2026-11-15T00:00:00Z' });
    // The deal moved: the person on it waits to be re-scored.
    expect(await api.ds.query(`SELECT profile_id FROM scoring_queue`)).toEqual([{ profile_id: person }]);
    await crm('deals', 'd-1', { stage: 'closedwon', at: '2026-11-25T00:00:00Z' });

    const before = (await features.behaviour(workspaceId, [person], new Date('2026-11-10T00:00:00Z'))).get(
      person,
    )!;
    expect(before).toMatchObject({ open_deals: 1, deal_stage_changes_90d: 1 });
    expect(before.days_in_deal_stage).toBeCloseTo(9, 5);
    const at = (await features.behaviour(workspaceId, [person], asOf)).get(person)!;
    expect(at).toMatchObject({
      open_deals: 1,
      deal_stage_changes_90d: 2,
      account_people_active_30d: 1,
      account_events_30d: 2,
    });
    expect(at.days_in_deal_stage).toBeCloseTo(5.5, 5);
    // Won after the as-of time: invisible then, closed later.
    const later = (await features.behaviour(workspaceId, [person], new Date('2026-11-26T00:00:00Z'))).get(
      person,
    )!;
    expect(later).toMatchObject({ open_deals: 0, days_in_deal_stage: null, deal_stage_changes_90d: 3 });
  });
});
