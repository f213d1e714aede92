import {
  completeConsent,
  generateSeed,
  seedSalesforce,
  startSalesforceSandbox,
  type SalesforceSandbox,
} from '@cairn/sandbox';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CrmSyncService } from '../../src/modules/crm-sync/crm-sync.service';
import { PASSWORD, seedWorkspace, startTestApi, type TestApi } from '../support/api';
import { HttpClient } from '../support/http-client';

let salesforce: SalesforceSandbox;
let api: TestApi;
let ws: Awaited<ReturnType<typeof seedWorkspace>>;
let admin: HttpClient;
let marketer: HttpClient;
let sync: CrmSyncService;
let connectionId: string;
const base = () => `/api/workspaces/${ws.workspaceId}/connections`;

beforeAll(async () => {
  salesforce = await startSalesforceSandbox({ seed: 'settings', dailyApiLimit: 50_000 });
  seedSalesforce(salesforce.store, generateSeed({ seed: 'settings', accounts: 4, leads: 6 }));
  api = await startTestApi({
    SALESFORCE_CLIENT_ID: salesforce.app.clientId,
    SALESFORCE_CLIENT_SECRET: salesforce.app.clientSecret,
    SALESFORCE_LOGIN_URL: salesforce.baseUrl,
  });
  sync = api.app.get(CrmSyncService);
  // No Temporal here: schedules are covered by the Temporal tests; pulls run in this process.
  vi.spyOn(sync, 'connected').mockImplementation(() => undefined);
  vi.spyOn(sync, 'intervalChanged').mockImplementation(() => undefined);
  ws = await seedWorkspace(api.ds, 'Settings', ['admin', 'marketer']);
  admin = new HttpClient(api.url);
  await admin.signIn(ws.users['admin']!.email, PASSWORD);
  marketer = new HttpClient(api.url);
  await marketer.signIn(ws.users['marketer']!.email, PASSWORD);
  const started = await admin.post(`${base()}/salesforce/authorize`);
  const consent = await completeConsent(started.body.authorizeUrl);
  const back = new URL(consent.location);
  await admin.request('GET', `${back.pathname}${back.search}`);
  connectionId = (await admin.get(base())).body.connections[0].id;
}, 60_000);
afterAll(async () => {
  await api?.close();
  await salesforce?.close();
});

describe('the sync interval of a connection', () => {
  it('is 15 minutes at first, set by admins from 5 minutes to 24 hours, and the schedule follows', async () => {
    expect((await admin.get(base())).body.connections[0].syncIntervalMinutes).toBe(15);
    for (const bad of [4, 1441, 7.5, '30', null]) {
      const res = await admin.request('PATCH', `${base()}/${connectionId}`, { syncIntervalMinutes: bad });
      expect(res.status).toBe(400);
    }
    expect(
      (await admin.request('PATCH', `${base()}/${connectionId}`, { syncIntervalMinutes: 60, other: 1 }))
        .status,
    ).toBe(400);
    expect(
      (await marketer.request('PATCH', `${base()}/${connectionId}`, { syncIntervalMinutes: 60 })).status,
    ).toBe(403);
    const missing = await admin.request('PATCH', `${base()}/${crypto.randomUUID()}`, {
      syncIntervalMinutes: 60,
    });
    expect(missing.status).toBe(404);

    const ok = await admin.request('PATCH', `${base()}/${connectionId}`, { syncIntervalMinutes: 1440 });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ id: connectionId, syncIntervalMinutes: 1440 });
    expect(sync.intervalChanged).toHaveBeenCalledWith(ws.workspaceId, connectionId);
    expect((await marketer.get(base())).body.connections[0].syncIntervalMinutes).toBe(1440);
    await admin.request('PATCH', `${base()}/${connectionId}`, { syncIntervalMinutes: 5 });
    expect((await admin.get(base())).body.connections[0].syncIntervalMinutes).toBe(5);
  });
});

describe('Salesforce API usage (Sforce-Limit-Info)', () => {
  it('is read on every pulled page and shown on the connection', async () => {
    expect((await admin.get(base())).body.connections[0].apiUsage).toBeNull();
    const run = await sync.syncNow(ws.workspaceId, connectionId, { maxBackoffMs: 500 });
    expect(run.state).toBe('completed');
    const { apiUsage } = (await admin.get(base())).body.connections[0];
    expect(apiUsage).toMatchObject({ limit: 50_000 });
    // What the org had used by the last response Cairn read: every request counts, and nothing came after.
    expect(apiUsage.used).toBe(salesforce.store.apiUsage.used);
    expect(Date.parse(apiUsage.at)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('stops pulling near the daily limit, leaving room for the org’s other integrations', async () => {
    salesforce.store.apiUsage.used = 49_500; // 99 %
    const pages = () =>
      salesforce.counters
        .requests()
        .filter((r) => r.route.includes('query') && !decodeURIComponent(r.url).includes('COUNT()')).length;
    // The next page reads the new usage; the one after it is not pulled.
    let before = pages();
    const failure = /4\d{4} of 50000 daily API requests used; pulling resumes later/;
    await expect(sync.syncNow(ws.workspaceId, connectionId, { maxRetries: 0, kind: 'full' })).rejects.toThrow(
      failure,
    );
    expect(pages() - before).toBe(1);
    before = pages();
    await expect(sync.syncNow(ws.workspaceId, connectionId, { maxRetries: 0 })).rejects.toThrow(failure);
    expect(pages()).toBe(before);
    const [c] = (await admin.get(base())).body.connections;
    expect(c.status).toBe('error');
    expect(c.statusReason).toMatch(failure);
    salesforce.store.apiUsage.used = 0;
  });
});
