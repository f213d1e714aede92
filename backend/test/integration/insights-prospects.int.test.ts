/**
 * The prospect list and page: sortable by risk, stage, 7-day risk trend and CRM owner; the page's stage history,
 * score with reasons and CRM links; sales reads all of it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crmUrl } from '../../src/modules/identity/profiles.service';
import { ScoresRepository } from '../../src/modules/scoring/scores.repository';
import { PASSWORD, seedWorkspace, startTestApi, type TestApi } from '../support/api';
import { HttpClient } from '../support/http-client';

let api: TestApi;
let sales: HttpClient;
let ws: string;
const people: Record<string, string> = {};
const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();

async function prospect(
  key: string,
  opts: { stage?: [string, number]; risk?: number; riskWeekAgo?: number; owner?: string; lastSeen: number },
) {
  const id = randomUUID();
  people[key] = id;
  await api.ds.query(
    `INSERT INTO profiles (id, workspace_id, email, traits, first_seen_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $5)`,
    [id, ws, `${key}@example.com`, JSON.stringify({ name: key.toUpperCase() }), daysAgo(opts.lastSeen)],
  );
  if (opts.stage) {
    const [stage, index] = opts.stage;
    await api.ds.query(
      `INSERT INTO profile_stages (profile_id, workspace_id, stage, stage_index, entered_at, reason)
       VALUES ($1, $2, $3, $4, $5, 'Viewed pricing twice')`,
      [id, ws, stage, index, daysAgo(3)],
    );
    await api.ds.query(
      `INSERT INTO stage_transitions (workspace_id, profile_id, from_stage, to_stage, reason, at) VALUES
         ($1, $2, NULL, 'aware', 'First visit', $3), ($1, $2, 'aware', $4, 'Viewed pricing twice', $5)`,
      [ws, id, daysAgo(20), stage, daysAgo(3)],
    );
  }
  if (opts.risk !== undefined) {
    // The week-old score sits in history; today's goes through scoring, which keeps the trend with it.
    if (opts.riskWeekAgo !== undefined)
      await api.ds.query(
        `INSERT INTO score_history (workspace_id, profile_id, stage, risk, conversion, scored_at) VALUES ($1, $2, $3, $4, $5, $6)`,
        [ws, id, opts.stage?.[0] ?? 'aware', opts.riskWeekAgo, 1 - opts.riskWeekAgo, daysAgo(9)],
      );
    const scored = {
      profileId: id,
      stage: opts.stage?.[0] ?? 'aware',
      stageIndex: opts.stage?.[1] ?? 0,
      stageReason: 'Viewed pricing twice',
      modelId: null,
      risk: opts.risk,
      conversion: 1 - opts.risk,
      reasons: ['No visit for 12 days', 'Pricing viewed but no demo'],
    };
    const before = new Map([[id, { stage: scored.stage, risk: opts.riskWeekAgo ?? null, conversion: null }]]);
    await api.app.get(ScoresRepository).write(api.ds, ws, [scored], before, new Date(daysAgo(1)));
  }
  if (opts.owner) {
    await api.ds.query(
      `INSERT INTO crm_objects (workspace_id, connection_id, object_type, external_id, properties, profile_id, owner_id)
       VALUES ($1, $2, 'contacts', $3, $4, $5, $6)`,
      [ws, connection, `c-${key}`, JSON.stringify({ firstname: key, lastname: 'Doe' }), id, opts.owner],
    );
  }
}

let connection: string;

beforeAll(async () => {
  api = await startTestApi();
  const seeded = await seedWorkspace(api.ds, 'Prospects', ['sales']);
  ws = seeded.workspaceId;
  sales = new HttpClient(api.url);
  await sales.signIn(seeded.users['sales']!.email, PASSWORD);
  await api.ds.query(
    `INSERT INTO intelligence_settings (workspace_id, stages, goal, horizon_days, min_precision, retrain_cron)
     VALUES ($1, $2, $3, 30, 0.5, '0 3 * * *')`,
    [
      ws,
      JSON.stringify([
        { key: 'aware', label: 'Aware' },
        { key: 'evaluating', label: 'Evaluating' },
        { key: 'buying', label: 'Ready to buy' },
      ]),
      JSON.stringify({ kind: 'event', event: 'Trial Started' }),
    ],
  );
  [{ id: connection }] = await api.ds.query(
    `INSERT INTO crm_connections (workspace_id, provider, status, external_account, access_token_enc, refresh_token_enc)
     VALUES ($1, 'hubspot', 'active', '4242', 'x', 'x') RETURNING id`,
    [ws],
  );
  // ann: high risk and rising; ben: furthest stage, falling; cy: medium, no history; dee: never scored.
  await prospect('ann', {
    stage: ['evaluating', 1],
    risk: 0.8,
    riskWeekAgo: 0.3,
    owner: 'owner-2',
    lastSeen: 4,
  });
  await prospect('ben', { stage: ['buying', 2], risk: 0.2, riskWeekAgo: 0.6, owner: 'owner-1', lastSeen: 3 });
  await prospect('cy', { stage: ['aware', 0], risk: 0.5, lastSeen: 2 });
  await prospect('dee', { lastSeen: 1 });
  // ben is on a deal.
  await api.ds.query(
    `INSERT INTO crm_objects (workspace_id, connection_id, object_type, external_id, properties, stage, owner_id)
     VALUES ($1, $2, 'deals', 'd-1', '{"dealname": "Globex renewal", "IsClosed": "false"}', 'contractsent', 'owner-1')`,
    [ws, connection],
  );
  await api.ds.query(
    `INSERT INTO crm_associations (workspace_id, connection_id, from_type, from_id, to_type, to_id)
     VALUES ($1, $2, 'deals', 'd-1', 'contacts', 'c-ben')`,
    [ws, connection],
  );
});
afterAll(() => api?.close());

const order = async (query: string) => {
  const res = await sales.get(`/api/workspaces/${ws}/profiles?${query}`);
  expect(res.status, res.text).toBe(200);
  return res.body.map((p: { email: string }) => p.email.split('@')[0]);
};

describe('prospect list', () => {
  it('sorts by recency (default), risk, stage, trend and owner', async () => {
    expect(await order('')).toEqual(['dee', 'cy', 'ben', 'ann']);
    expect(await order('sort=risk')).toEqual(['ann', 'cy', 'ben', 'dee']);
    expect(await order('sort=risk&order=asc')).toEqual(['ben', 'cy', 'ann', 'dee']);
    expect(await order('sort=stage')).toEqual(['ben', 'ann', 'cy', 'dee']);
    expect(await order('sort=trend')).toEqual(['ann', 'ben', 'cy', 'dee']);
    expect(await order('sort=owner')).toEqual(['ben', 'ann', 'dee', 'cy']);
    const res = await sales.get(`/api/workspaces/${ws}/profiles?sort=nonsense`);
    expect(res.status).toBe(400);
  });

  it('shows stage label, risk, 7-day trend and owner on each row', async () => {
    const res = await sales.get(`/api/workspaces/${ws}/profiles?sort=risk`);
    const ann = res.body[0];
    expect(ann).toMatchObject({
      stage: 'evaluating',
      stageLabel: 'Evaluating',
      stageIndex: 1,
      owner: 'owner-2',
    });
    expect(ann.risk).toBeCloseTo(0.8, 6);
    expect(ann.riskTrend).toBeCloseTo(0.5, 6);
    const cy = res.body[1];
    expect(cy.riskTrend).toBeNull();
    const dee = res.body[3];
    expect(dee).toMatchObject({ stage: null, risk: null, riskTrend: null, owner: null });
  });
});

describe('prospect page', () => {
  it('has stage history, score with reasons and trend, and CRM links — readable by sales', async () => {
    const res = await sales.get(`/api/workspaces/${ws}/profiles/${people['ben']}/journey`);
    expect(res.status, res.text).toBe(200);
    const j = res.body;
    expect(j.stage).toMatchObject({
      key: 'buying',
      label: 'Ready to buy',
      index: 2,
      reason: 'Viewed pricing twice',
    });
    expect(j.stageHistory.map((h: { toLabel: string }) => h.toLabel)).toEqual(['Ready to buy', 'Aware']);
    expect(j.stageHistory[0]).toMatchObject({
      from: 'aware',
      fromLabel: 'Aware',
      reason: 'Viewed pricing twice',
    });
    expect(j.score.reasons).toEqual(['No visit for 12 days', 'Pricing viewed but no demo']);
    expect(j.score.risk).toBeCloseTo(0.2, 6);
    expect(j.score.trend).toBeCloseTo(-0.4, 6);
    expect(j.scoreHistory).toHaveLength(2);
    expect(j.crm).toEqual([
      {
        provider: 'hubspot',
        objectType: 'contacts',
        externalId: 'c-ben',
        via: 'person',
        name: 'ben Doe',
        stage: null,
        owner: 'owner-1',
        url: 'https://app.hubspot.com/contacts/4242/record/0-1/c-ben',
      },
      {
        provider: 'hubspot',
        objectType: 'deals',
        externalId: 'd-1',
        via: 'deal',
        name: 'Globex renewal',
        stage: 'contractsent',
        owner: 'owner-1',
        url: 'https://app.hubspot.com/contacts/4242/record/0-3/d-1',
      },
    ]);
  });

  it('answers for someone never scored, and 404 for a stranger id', async () => {
    const j = (await sales.get(`/api/workspaces/${ws}/profiles/${people['dee']}/journey`)).body;
    expect(j).toEqual({ stage: null, stageHistory: [], score: null, scoreHistory: [], crm: [] });
    const res = await sales.get(`/api/workspaces/${ws}/profiles/${randomUUID()}/journey`);
    expect(res.status).toBe(404);
  });

  it('links Salesforce records through the instance URL', () => {
    expect(
      crmUrl({
        provider: 'salesforce',
        objectType: 'Opportunity',
        externalId: '006xx',
        externalAccount: '00Dxx',
        instanceUrl: 'https://acme.my.salesforce.com/',
      }),
    ).toBe('https://acme.my.salesforce.com/lightning/r/Opportunity/006xx/view');
  });
});
