import {
  completeConsent,
  generateSeed,
  seedHubSpot,
  seedSalesforce,
  startHubSpotSandbox,
  startSalesforceSandbox,
  type HubSpotSandbox,
  type SalesforceSandbox,
} from '@cairn/sandbox';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CrmSyncService } from '../../src/modules/crm-sync/crm-sync.service';
import { PASSWORD, seedWorkspace, startTestApi, type TestApi } from '../support/api';
import { HttpClient } from '../support/http-client';

let hubspot: HubSpotSandbox;
let salesforce: SalesforceSandbox;
let api: TestApi;
let ws: Awaited<ReturnType<typeof seedWorkspace>>;
let sync: CrmSyncService;
const conns = { hubspot: '', salesforce: '' };

const HS_TYPES = ['companies', 'contacts', 'deals', 'emails'] as const;
const SF_TYPES = ['Account', 'Contact', 'Lead', 'Opportunity', 'OpportunityContactRole', 'EmailMessage'];

async function stored(connectionId: string) {
  const rows: { object_type: string; n: number; ids: number }[] = await api.ds.query(
    `SELECT object_type, count(*)::int AS n, count(DISTINCT external_id)::int AS ids FROM crm_objects
      WHERE connection_id = $1 AND NOT archived GROUP BY 1`,
    [connectionId],
  );
  return rows;
}

async function people(kind: 'hubspot' | 'salesforce') {
  const [r] = await api.ds.query(
    `SELECT count(*)::int AS identities, count(DISTINCT profile_id)::int AS profiles FROM identities
      WHERE workspace_id = $1 AND kind = $2`,
    [ws.workspaceId, kind],
  );
  return r as { identities: number; profiles: number };
}

beforeAll(async () => {
  [hubspot, salesforce] = await Promise.all([
    startHubSpotSandbox({ seed: 'faults' }),
    startSalesforceSandbox({ seed: 'faults' }),
  ]);
  const data = generateSeed({ seed: 'faults', accounts: 30, leads: 40, emailsPerPerson: [1, 5] });
  seedHubSpot(hubspot.store, data);
  seedSalesforce(salesforce.store, data);
  api = await startTestApi({
    HUBSPOT_CLIENT_ID: hubspot.app.clientId,
    HUBSPOT_CLIENT_SECRET: hubspot.app.clientSecret,
    HUBSPOT_API_URL: hubspot.baseUrl,
    HUBSPOT_AUTHORIZE_URL: `${hubspot.baseUrl}/oauth/authorize`,
    SALESFORCE_CLIENT_ID: salesforce.app.clientId,
    SALESFORCE_CLIENT_SECRET: salesforce.app.clientSecret,
    SALESFORCE_LOGIN_URL: salesforce.baseUrl,
  });
  sync = api.app.get(CrmSyncService);
  // Pulls run in this process (the same steps the workflow takes); no Temporal schedules here.
  vi.spyOn(sync, 'connected').mockImplementation(() => undefined);
  ws = await seedWorkspace(api.ds, 'Faults', ['admin']);
  const admin = new HttpClient(api.url);
  await admin.signIn(ws.users['admin']!.email, PASSWORD);
  for (const provider of ['hubspot', 'salesforce'] as const) {
    const started = await admin.post(`/api/workspaces/${ws.workspaceId}/connections/${provider}/authorize`);
    const consent = await completeConsent(started.body.authorizeUrl);
    const back = new URL(consent.location);
    await admin.request('GET', `${back.pathname}${back.search}`);
  }
  for (const c of (await admin.get(`/api/workspaces/${ws.workspaceId}/connections`)).body.connections)
    conns[c.provider as 'hubspot' | 'salesforce'] = c.id;
}, 120_000);
afterAll(async () => {
  await api?.close();
  await Promise.all([hubspot?.close(), salesforce?.close()]);
});

describe('pulling through 10 % server errors', () => {
  it('HubSpot: the full load completes with every record once', async () => {
    hubspot.faults.setErrorRate(0.1, 500);
    let run;
    try {
      run = await sync.syncNow(ws.workspaceId, conns.hubspot, { maxBackoffMs: 200, maxRetries: 8 });
    } finally {
      hubspot.faults.reset();
    }
    expect(hubspot.faults.current.injectedErrors).toBeGreaterThan(0);
    const expected = Object.fromEntries(HS_TYPES.map((t) => [t, hubspot.store.list(t).length]));
    const total = Object.values(expected).reduce((a, b) => a + b, 0);
    expect(expected['contacts']).toBeGreaterThan(100); // several pages
    expect(run).toMatchObject({ kind: 'full', state: 'completed', error: null });
    // Each page committed once: progress counts every record exactly once.
    expect(run.done).toBe(total);
    const rows = await stored(conns.hubspot);
    expect(Object.fromEntries(rows.map((r) => [r.object_type, r.n]))).toEqual(expected);
    for (const r of rows) expect(r.ids).toBe(r.n);
    // One profile per contact: no person was resolved twice.
    expect(await people('hubspot')).toEqual({
      identities: expected['contacts'],
      profiles: expected['contacts'],
    });
  });

  it('Salesforce: the full load and the next incremental pass complete with every record once', async () => {
    salesforce.faults.setErrorRate(0.1, 503);
    let full;
    try {
      full = await sync.syncNow(ws.workspaceId, conns.salesforce, { maxBackoffMs: 200, maxRetries: 8 });
    } finally {
      salesforce.faults.reset();
    }
    expect(salesforce.faults.current.injectedErrors).toBeGreaterThan(0);
    const expected = Object.fromEntries(
      SF_TYPES.map((t) => [t, salesforce.store.all(t).length] as const).filter(([, n]) => n > 0),
    );
    expect(full).toMatchObject({ kind: 'full', state: 'completed', error: null });
    const rows = await stored(conns.salesforce);
    const byType = Object.fromEntries(rows.map((r) => [r.object_type, r.n]));
    for (const [t, n] of Object.entries(expected)) expect(byType[t]).toBe(n);
    for (const r of rows) expect(r.ids).toBe(r.n);
    const persons = salesforce.store.all('Contact').length + salesforce.store.all('Lead').length;
    expect(await people('salesforce')).toEqual({ identities: persons, profiles: persons });

    // Changes made meanwhile arrive through faults too, without duplicating anything.
    const contact = salesforce.store.all('Contact')[0]!;
    salesforce.store.update('Contact', contact.id, { Title: 'Head of Faults' });
    salesforce.faults.setErrorRate(0.1, 500);
    let inc;
    try {
      inc = await sync.syncNow(ws.workspaceId, conns.salesforce, { maxBackoffMs: 200, maxRetries: 8 });
    } finally {
      salesforce.faults.reset();
    }
    expect(inc).toMatchObject({ kind: 'incremental', state: 'completed' });
    const [title] = await api.ds.query(
      `SELECT properties->>'Title' AS t FROM crm_objects WHERE connection_id = $1 AND external_id = $2`,
      [conns.salesforce, contact.id],
    );
    expect(title.t).toBe('Head of Faults');
    expect((await stored(conns.salesforce)).every((r) => r.ids === r.n)).toBe(true);
    expect(await people('salesforce')).toEqual({ identities: persons, profiles: persons });
  });
});
