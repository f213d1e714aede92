import {
  completeConsent,
  startHubSpotSandbox,
  startSalesforceSandbox,
  type HubSpotSandbox,
  type SalesforceSandbox,
} from '@cairn/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateBudget } from '../../src/modules/connections/rate-budget';
import { WriteBackService } from '../../src/modules/connections/writeback.service';
import { PASSWORD, seedWorkspace, startTestApi, type TestApi } from '../support/api';
import { HttpClient } from '../support/http-client';

let hubspot: HubSpotSandbox;
let salesforce: SalesforceSandbox;
let api: TestApi;
let ws: Awaited<ReturnType<typeof seedWorkspace>>;
let admin: HttpClient;
const base = () => `/api/workspaces/${ws.workspaceId}/connections`;

/** Walks the OAuth flow as the admin's browser would: our authorize URL, the CRM's consent page, our callback. */
async function connect(client: HttpClient, provider: 'hubspot' | 'salesforce') {
  const started = await client.post(`${base()}/${provider}/authorize`);
  expect(started.status).toBe(200);
  const consent = await completeConsent(started.body.authorizeUrl);
  const back = new URL(consent.location);
  expect(back.pathname).toBe(`/api/oauth/${provider}/callback`);
  const res = await client.request('GET', `${back.pathname}${back.search}`);
  return { res, location: res.headers.get('location') ?? '', consent };
}

beforeAll(async () => {
  [hubspot, salesforce] = await Promise.all([
    startHubSpotSandbox({ seed: 'conn' }),
    startSalesforceSandbox({ seed: 'conn' }),
  ]);
  api = await startTestApi({
    HUBSPOT_CLIENT_ID: hubspot.app.clientId,
    HUBSPOT_CLIENT_SECRET: hubspot.app.clientSecret,
    HUBSPOT_API_URL: hubspot.baseUrl,
    HUBSPOT_AUTHORIZE_URL: `${hubspot.baseUrl}/oauth/authorize`,
    SALESFORCE_CLIENT_ID: salesforce.app.clientId,
    SALESFORCE_CLIENT_SECRET: salesforce.app.clientSecret,
    SALESFORCE_LOGIN_URL: salesforce.baseUrl,
  });
  ws = await seedWorkspace(api.ds, 'Connected', ['admin', 'marketer']);
  admin = new HttpClient(api.url);
  await admin.signIn(ws.users['admin']!.email, PASSWORD);
});
afterAll(async () => {
  await api?.close();
  await Promise.all([hubspot?.close(), salesforce?.close()]);
});

describe('connecting HubSpot', () => {
  it('completes OAuth through the consent page, stores the tokens sealed and shows the portal', async () => {
    const { res, location } = await connect(admin, 'hubspot');
    expect(res.status).toBe(302);
    expect(location).toBe(`http://localhost:3000/w/${ws.workspaceId}/connections?connected=hubspot`);
    const list = await admin.get(base());
    expect(list.body.providers).toEqual([
      { provider: 'hubspot', configured: true },
      { provider: 'salesforce', configured: true },
    ]);
    const [c] = list.body.connections;
    expect(c).toMatchObject({
      provider: 'hubspot',
      status: 'active',
      externalAccount: String(hubspot.store.hubId),
    });
    expect(c.scopes).toContain('crm.objects.contacts.read');
    const [row] = await api.ds.query(
      `SELECT access_token_enc, refresh_token_enc FROM crm_connections WHERE id = $1`,
      [c.id],
    );
    const issued = [...hubspot.store.accessTokens.keys()];
    expect(issued.length).toBeGreaterThan(0);
    for (const token of issued) expect(JSON.stringify(row)).not.toContain(token);
    expect(JSON.stringify(list.body)).not.toMatch(/refresh|access_token/i);
  });

  it('refuses a replayed state and a state started by someone else', async () => {
    const { consent } = await connect(admin, 'hubspot');
    const replay = await admin.request(
      'GET',
      `/api/oauth/hubspot/callback?code=${consent.params['code']}&state=${consent.params['state']}`,
    );
    expect(replay.status).toBe(302);
    expect(replay.headers.get('location')).toMatch(/connection_error=.*not%20valid/);

    const second = await seedWorkspace(api.ds, 'Second', ['admin']);
    const other = new HttpClient(api.url);
    await other.signIn(second.users['admin']!.email, PASSWORD);
    const started = await admin.post(`${base()}/hubspot/authorize`);
    const stolen = await completeConsent(started.body.authorizeUrl);
    const res = await other.request(
      'GET',
      new URL(stolen.location).pathname + new URL(stolen.location).search,
    );
    expect(res.headers.get('location')).toMatch(/connection_error=/);
    expect((await other.get(`/api/workspaces/${second.workspaceId}/connections`)).body.connections).toEqual(
      [],
    );
    const anonymous = await new HttpClient(api.url).request(
      'GET',
      new URL(stolen.location).pathname + new URL(stolen.location).search,
    );
    expect(anonymous.status).toBe(401);
  });

  it('refreshes a lapsed access token once, and asks for re-authorisation when the grant is revoked', async () => {
    const [c] = (await admin.get(base())).body.connections;
    hubspot.faults.expireAccessTokens();
    const before = hubspot.counters.count('POST /oauth/v1/token', 200);
    const checked = await admin.post(`${base()}/${c.id}/check`);
    expect(checked.body.statusReason).toBeNull();
    expect(checked.body.status).toBe('active');
    expect(hubspot.counters.count('POST /oauth/v1/token', 200)).toBe(before + 1);

    hubspot.faults.expireAccessTokens();
    hubspot.faults.revokeRefreshTokens();
    const broken = await admin.post(`${base()}/${c.id}/check`);
    expect(broken.body.status).toBe('needs_reauth');
    expect(broken.body.statusReason).toMatch(/Connect again/);
    hubspot.faults.reset();
  });

  it('is for admins only; a marketer sees the status', async () => {
    const marketer = new HttpClient(api.url);
    await marketer.signIn(ws.users['marketer']!.email, PASSWORD);
    expect((await marketer.post(`${base()}/hubspot/authorize`)).status).toBe(403);
    expect((await marketer.get(base())).status).toBe(200);
  });

  it('disconnecting revokes the grant at HubSpot and forgets the tokens', async () => {
    const { location } = await connect(admin, 'hubspot');
    expect(location).toContain('connected=hubspot');
    const [c] = (await admin.get(base())).body.connections;
    expect(c.status).toBe('active');
    const revokes = hubspot.counters.count('DELETE /oauth/v1/refresh-tokens/:token');
    expect((await admin.delete(`${base()}/${c.id}`)).status).toBe(204);
    expect(hubspot.counters.count('DELETE /oauth/v1/refresh-tokens/:token')).toBe(revokes + 1);
    expect((await admin.get(base())).body.connections).toEqual([]);
  });
});

describe('connecting Salesforce', () => {
  it('uses PKCE, records the org and instance URL, and refreshes on an expired session', async () => {
    const started = await admin.post(`${base()}/salesforce/authorize`);
    const url = new URL(started.body.authorizeUrl);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    const consent = await completeConsent(started.body.authorizeUrl);
    const back = new URL(consent.location);
    const res = await admin.request('GET', `${back.pathname}${back.search}`);
    expect(res.headers.get('location')).toContain('connected=salesforce');
    const c = (await admin.get(base())).body.connections.find(
      (x: { provider: string }) => x.provider === 'salesforce',
    );
    expect(c).toMatchObject({
      status: 'active',
      externalAccount: salesforce.store.orgId,
      instanceUrl: salesforce.baseUrl,
    });

    salesforce.faults.expireAccessTokens();
    const checked = await admin.post(`${base()}/${c.id}/check`);
    expect(checked.body.status).toBe('active');
    expect(salesforce.counters.count('POST /services/oauth2/token', 200)).toBeGreaterThanOrEqual(2);
  });

  it('says which variables to set when a CRM is not configured', async () => {
    const bare = await startTestApi();
    try {
      const other = await seedWorkspace(bare.ds, 'Bare', ['admin']);
      const c = new HttpClient(bare.url);
      await c.signIn(other.users['admin']!.email, PASSWORD);
      const res = await c.post(`/api/workspaces/${other.workspaceId}/connections/salesforce/authorize`);
      expect(res.status).toBe(409);
      expect(res.body.error.message).toContain('SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET');
    } finally {
      await bare.close();
    }
  });
});

describe('write-back fields', () => {
  it('creates the Cairn property group and properties in HubSpot on connect, once', async () => {
    const { location } = await connect(admin, 'hubspot');
    expect(location).toContain('connected=hubspot');
    expect(hubspot.store.group('contacts', 'cairn')?.label).toBe('Cairn');
    for (const name of [
      'cairn_journey_stage',
      'cairn_dropoff_risk',
      'cairn_top_reasons',
      'cairn_scored_at',
    ]) {
      expect(hubspot.store.property('contacts', name)?.groupName).toBe('cairn');
    }
    const [c] = (await admin.get(base())).body.connections.filter(
      (x: { provider: string }) => x.provider === 'hubspot',
    );
    expect(c.status).toBe('active');
    // Connecting again finds the fields in place: no error, nothing duplicated.
    await connect(admin, 'hubspot');
    expect(hubspot.store.properties('contacts').filter((p) => p.name.startsWith('cairn_'))).toHaveLength(4);
  });

  it('writes stage, risk and reasons to 150 HubSpot contacts in two batch calls', async () => {
    const writer = api.app.get(WriteBackService);
    const [c] = (await admin.get(base())).body.connections.filter(
      (x: { provider: string }) => x.provider === 'hubspot',
    );
    const ids: string[] = [];
    for (let i = 0; i < 150; i++) {
      ids.push(hubspot.store.create('contacts', { email: `wb${i}@example.com`, firstname: `W${i}` }).id);
    }
    const before = hubspot.counters.count('POST /crm/v3/objects/:objectType/batch/update');
    const scoredAt = new Date('2026-11-23T10:00:00Z');
    const res = await writer.write(
      ws.workspaceId,
      c.id,
      ids.map((id, i) => ({
        recordId: id,
        values: {
          stage: 'Evaluation',
          risk: i % 101,
          reasons: ['Read pricing 3×', 'No reply in 9 days'],
          scoredAt,
        },
      })),
    );
    expect(res).toEqual({ written: 150, failed: [] });
    expect(hubspot.counters.count('POST /crm/v3/objects/:objectType/batch/update')).toBe(before + 2);
    const sample = hubspot.store.get('contacts', ids[42]!)!;
    expect(sample.properties).toMatchObject({
      cairn_journey_stage: 'Evaluation',
      cairn_dropoff_risk: '42',
      cairn_top_reasons: 'Read pricing 3×\nNo reply in 9 days',
    });
    await writer.write(ws.workspaceId, c.id, [{ recordId: ids[42]!, values: null }]);
    expect(hubspot.store.get('contacts', ids[42]!)!.properties['cairn_journey_stage'] ?? '').toBe('');
  });

  it('creates custom fields on Salesforce Contact and Lead and writes 250 contacts in two collection calls', async () => {
    const writer = api.app.get(WriteBackService);
    const c = (await admin.get(base())).body.connections.find(
      (x: { provider: string }) => x.provider === 'salesforce',
    );
    expect(c.status).toBe('active');
    for (const object of ['Contact', 'Lead']) {
      expect(
        salesforce.store.field(salesforce.store.object(object)!, 'Cairn_Journey_Stage__c'),
      ).toBeDefined();
      expect(salesforce.store.field(salesforce.store.object(object)!, 'Cairn_Dropoff_Risk__c')).toBeDefined();
    }
    const ids: string[] = [];
    for (let i = 0; i < 250; i++)
      ids.push(salesforce.store.insert('Contact', { LastName: `Rep${i}`, Email: `sf${i}@example.com` }).id);
    const before = salesforce.counters
      .requests({ pathPrefix: '/services/data' })
      .filter((r) => r.method === 'PATCH').length;
    const res = await writer.write(
      ws.workspaceId,
      c.id,
      ids.map((id) => ({
        recordId: id,
        object: 'Contact' as const,
        values: { stage: 'Purchase intent', risk: 12, reasons: ['Trial started'], scoredAt: new Date() },
      })),
    );
    expect(res.written).toBe(250);
    expect(res.failed).toEqual([]);
    expect(
      salesforce.counters.requests({ pathPrefix: '/services/data' }).filter((r) => r.method === 'PATCH')
        .length,
    ).toBe(before + 2);
    expect(salesforce.store.get('Contact', ids[7]!)!.fields['Cairn_Journey_Stage__c']).toBe(
      'Purchase intent',
    );
  });
});

describe('mapping to existing CRM fields', () => {
  it('writes to the fields the admin chose, and refuses fields that do not exist or do not fit', async () => {
    const [c] = (await admin.get(base())).body.connections.filter(
      (x: { provider: string }) => x.provider === 'hubspot',
    );
    const initial = await admin.get(`${base()}/${c.id}/fields`);
    expect(initial.body.error).toBeUndefined();
    expect(
      initial.body.fields.map((f: { key: string; mappedTo: string | null }) => [f.key, f.mappedTo]),
    ).toEqual([
      ['stage', null],
      ['risk', null],
      ['reasons', null],
      ['scoredAt', null],
    ]);
    expect(initial.body.available.map((f: { name: string }) => f.name)).toContain('hs_lead_status');
    const bad = await admin.request('PUT', `${base()}/${c.id}/fields`, {
      map: { stage: 'no_such_field', risk: 'firstname' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.join(' ')).toMatch(
      /no writable field named no_such_field[\s\S]*firstname is not a number field/,
    );
    const ok = await admin.request('PUT', `${base()}/${c.id}/fields`, { map: { stage: 'hs_lead_status' } });
    expect(ok.status).toBe(200);
    expect(ok.body.fields[0]).toMatchObject({ key: 'stage', mappedTo: 'hs_lead_status' });

    const contact = hubspot.store.create('contacts', { email: 'mapped@example.com' });
    await api.app
      .get(WriteBackService)
      .write(ws.workspaceId, c.id, [
        { recordId: contact.id, values: { stage: 'OPEN', risk: 5, reasons: [], scoredAt: new Date() } },
      ]);
    const props = hubspot.store.get('contacts', contact.id)!.properties;
    expect(props['hs_lead_status']).toBe('OPEN');
    expect(props['cairn_dropoff_risk']).toBe('5');
    await admin.request('PUT', `${base()}/${c.id}/fields`, { map: { stage: null } });
  });
});

describe('shared request budget', () => {
  it('never lets processes together exceed a connection’s budget in any window', async () => {
    const [c] = (await admin.get(base())).body.connections.filter(
      (x: { provider: string }) => x.provider === 'hubspot',
    );
    // Two budget holders stand in for two processes; PostgreSQL is all they share.
    const a = new RateBudget(api.ds);
    const b = new RateBudget(api.ds);
    const budget = { limit: 5, windowMs: 400 };
    const taken: number[] = [];
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        (i % 2 ? a : b).acquire(c.id, budget).then((window) => taken.push(window.getTime())),
      ),
    );
    const perWindow = new Map<number, number>();
    for (const window of taken) perWindow.set(window, (perWindow.get(window) ?? 0) + 1);
    expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(5);
    expect(taken).toHaveLength(24);
    expect(perWindow.size).toBeGreaterThanOrEqual(5);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3 * budget.windowMs);
  });
});

describe('erasure and the CRM', () => {
  it("clears the fields Cairn wrote on the person's CRM record", async () => {
    const writer = api.app.get(WriteBackService);
    const [c] = (await admin.get(base())).body.connections.filter(
      (x: { provider: string }) => x.provider === 'hubspot',
    );
    const contact = hubspot.store.create('contacts', { email: 'forget.me@example.com' });
    await writer.write(ws.workspaceId, c.id, [
      {
        recordId: contact.id,
        values: { stage: 'Evaluation', risk: 70, reasons: ['Went quiet'], scoredAt: new Date() },
      },
    ]);
    expect(hubspot.store.get('contacts', contact.id)!.properties['cairn_dropoff_risk']).toBe('70');
    const [profile] = await api.ds.query(
      `INSERT INTO profiles (id, workspace_id, email, first_seen_at, last_seen_at) VALUES (gen_random_uuid(), $1, 'forget.me@example.com', now(), now()) RETURNING id`,
      [ws.workspaceId],
    );
    await api.ds.query(
      `INSERT INTO identities (workspace_id, kind, value, profile_id) VALUES ($1, 'email', 'forget.me@example.com', $2), ($1, 'hubspot', $3, $2)`,
      [ws.workspaceId, profile.id, contact.id],
    );
    const erased = await admin.post(`/api/workspaces/${ws.workspaceId}/privacy/erasures`, {
      profileId: profile.id,
    });
    expect(erased.status).toBe(201);
    expect(erased.body.deleted).toMatchObject({ identities: 2, profiles: 1, crmRecordsCleared: 1 });
    const after = hubspot.store.get('contacts', contact.id)!.properties;
    expect(after['cairn_dropoff_risk'] ?? '').toBe('');
    expect(after['cairn_journey_stage'] ?? '').toBe('');
    const log = await admin.get(`/api/workspaces/${ws.workspaceId}/privacy/erasures`);
    expect(log.body[0].deleted.crmRecordsCleared).toBe(1);
  });
});
