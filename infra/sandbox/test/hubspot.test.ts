/**
 * The HubSpot emulator driven by the real `@hubspot/api-client`. Each test also asserts on what the
 * emulator holds (store) and what it received (counters).
 */
import { Client } from '@hubspot/api-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { completeConsent } from '../src/core/consent';
import { type HubSpotSandbox, startHubSpotSandbox } from '../src/hubspot/index';

const REDIRECT = 'http://localhost:3000/connections/hubspot/callback';
const SCOPES = [
  'oauth',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.objects.companies.read',
  'crm.schemas.contacts.read',
  'crm.schemas.contacts.write',
];

/** The client's error type carries `code` (HTTP status), `body` and `headers`. */
interface ApiError {
  code: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

async function rejection(p: PromiseLike<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    return err as ApiError;
  }
  throw new Error('expected the call to fail');
}

let hs: HubSpotSandbox;
let token: string;

beforeEach(async () => {
  hs = await startHubSpotSandbox({ seed: 'hubspot-test' });
  token = hs.store.createPrivateAppToken();
});
afterEach(async () => {
  await hs.close();
});

/**
 * A client whose APIs are bound immediately: @hubspot/api-client keeps its retry/limiter decorators
 * in a process-wide singleton that the *last constructed* Client overwrites, and applies them when an
 * API object is first touched (see the quirk test below).
 */
function client(config: ConstructorParameters<typeof Client>[0] = {}): Client {
  const c = new Client({ basePath: hs.baseUrl, accessToken: token, ...config });
  void c.crm.contacts.basicApi;
  return c;
}

describe('OAuth', () => {
  it('exchanges a code from the consent page, refreshes, introspects and revokes through tokensApi', async () => {
    const url = hs.authorizeUrl({ redirectUri: REDIRECT, scopes: SCOPES, state: 'csrf-123' });
    const consent = await completeConsent(url);
    expect(consent.location.startsWith(`${REDIRECT}?`)).toBe(true);
    expect(consent.params.state).toBe('csrf-123');
    const code = consent.params.code as string;

    const oauth = new Client({ basePath: hs.baseUrl }).oauth;
    const tokens = await oauth.tokensApi.create(
      'authorization_code',
      code,
      REDIRECT,
      hs.app.clientId,
      hs.app.clientSecret,
    );
    expect(tokens.tokenType).toBe('bearer');
    expect(tokens.expiresIn).toBe(1800);
    expect(tokens.refreshToken).toMatch(/^na1-/);

    // the code is single-use
    const reused = await rejection(
      oauth.tokensApi.create('authorization_code', code, REDIRECT, hs.app.clientId, hs.app.clientSecret),
    );
    expect(reused.code).toBe(400);
    expect(reused.body).toMatchObject({ status: 'BAD_AUTH_CODE' });

    const info = await oauth.accessTokensApi.get(tokens.accessToken);
    expect(info.hubId).toBe(hs.store.hubId);
    expect(info.scopes).toEqual(SCOPES);
    expect(info.appId).toBe(hs.app.appId);

    const refreshed = await oauth.tokensApi.create(
      'refresh_token',
      undefined,
      undefined,
      hs.app.clientId,
      hs.app.clientSecret,
      tokens.refreshToken,
    );
    expect(refreshed.accessToken).not.toBe(tokens.accessToken);
    expect(refreshed.refreshToken).toBe(tokens.refreshToken);

    // the refreshed token works against the CRM
    hs.store.create('contacts', { email: 'first@acme.example' });
    const crm = new Client({ basePath: hs.baseUrl, accessToken: refreshed.accessToken });
    const page = await crm.crm.contacts.basicApi.getPage();
    expect(page.results.map((r) => r.properties.email)).toEqual(['first@acme.example']);

    await oauth.refreshTokensApi.archive(tokens.refreshToken);
    expect(hs.store.refreshTokens.get(tokens.refreshToken)?.revoked).toBe(true);
    const afterRevoke = await rejection(
      oauth.tokensApi.create(
        'refresh_token',
        undefined,
        undefined,
        hs.app.clientId,
        hs.app.clientSecret,
        tokens.refreshToken,
      ),
    );
    expect(afterRevoke.code).toBe(400);
    expect(afterRevoke.body).toMatchObject({
      status: 'BAD_REFRESH_TOKEN',
      message: 'missing or invalid refresh token',
    });

    expect(hs.counters.count('POST /oauth/v1/token')).toBe(4);
    expect(hs.counters.count('POST /oauth/v1/token', 400)).toBe(2);
    expect(hs.counters.count('DELETE /oauth/v1/refresh-tokens/:token', 204)).toBe(1);
  });

  it('rejects a wrong client secret and a redirect_uri that differs from the authorize request', async () => {
    const { params } = await completeConsent(hs.authorizeUrl({ redirectUri: REDIRECT, scopes: SCOPES }));
    const oauth = new Client({ basePath: hs.baseUrl }).oauth;
    const badSecret = await rejection(
      oauth.tokensApi.create('authorization_code', params.code, REDIRECT, hs.app.clientId, 'nope'),
    );
    expect(badSecret.body).toMatchObject({ status: 'BAD_CLIENT_SECRET' });
    const badRedirect = await rejection(
      oauth.tokensApi.create(
        'authorization_code',
        params.code,
        'http://elsewhere.example/cb',
        hs.app.clientId,
        hs.app.clientSecret,
      ),
    );
    expect(badRedirect.body).toMatchObject({ status: 'BAD_REDIRECT_URI' });
  });

  it('answers an expired token with 401 EXPIRED_AUTHENTICATION and an unknown one with INVALID_AUTHENTICATION', async () => {
    const { params } = await completeConsent(hs.authorizeUrl({ redirectUri: REDIRECT, scopes: SCOPES }));
    const tokens = await new Client({ basePath: hs.baseUrl }).oauth.tokensApi.create(
      'authorization_code',
      params.code,
      REDIRECT,
      hs.app.clientId,
      hs.app.clientSecret,
    );
    const crm = new Client({ basePath: hs.baseUrl, accessToken: tokens.accessToken });
    await crm.crm.contacts.basicApi.getPage();
    expect(hs.faults.expireAccessTokens()).toBeGreaterThanOrEqual(1);

    const expired = await rejection(crm.crm.contacts.basicApi.getPage());
    expect(expired.code).toBe(401);
    expect(expired.body).toMatchObject({ status: 'error', category: 'EXPIRED_AUTHENTICATION' });
    expect(typeof expired.body.correlationId).toBe('string');

    const unknown = await rejection(
      new Client({ basePath: hs.baseUrl, accessToken: 'not-a-token' }).crm.contacts.basicApi.getPage(),
    );
    expect(unknown.code).toBe(401);
    expect(unknown.body).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION' });
    expect(hs.counters.count('GET /crm/v3/objects/:objectType', 401)).toBe(2);
  });

  it('refuses calls outside the granted scopes with 403 MISSING_SCOPES', async () => {
    token = hs.store.createPrivateAppToken(['crm.objects.contacts.read']);
    const denied = await rejection(client().crm.deals.basicApi.getPage());
    expect(denied.code).toBe(403);
    expect(denied.body).toMatchObject({ category: 'MISSING_SCOPES' });
    expect(JSON.stringify(denied.body.errors)).toContain('crm.objects.deals.read');
  });
});

describe('CRM objects', () => {
  it('pages through every contact with getPage and `after`', async () => {
    for (let i = 0; i < 250; i++)
      hs.store.create('contacts', { email: `p${i}@paging.example`, firstname: `P${i}` });
    const c = client();
    const seen: string[] = [];
    let after: string | undefined;
    do {
      const page = await c.crm.contacts.basicApi.getPage(100, after, ['email', 'firstname']);
      seen.push(...page.results.map((r) => r.id));
      for (const r of page.results)
        expect(Object.keys(r.properties).sort()).toEqual([
          'createdate',
          'email',
          'firstname',
          'hs_object_id',
          'lastmodifieddate',
        ]);
      after = page.paging?.next?.after;
    } while (after);
    expect(seen).toEqual(hs.store.list('contacts').map((r) => r.id));
    expect(new Set(seen).size).toBe(250);
    expect(hs.counters.count('GET /crm/v3/objects/:objectType', 200)).toBe(3);

    const tooBig = await rejection(c.crm.contacts.basicApi.getPage(101));
    expect(tooBig.code).toBe(400);
    expect(tooBig.body).toMatchObject({ category: 'VALIDATION_ERROR' });
  });

  it('creates, reads with associations, updates and archives; hs_lastmodifieddate moves', async () => {
    const c = client();
    const created = await c.crm.contacts.basicApi.create({
      properties: { email: 'Ana@Acme.example', firstname: 'Ana' },
      associations: [],
    });
    expect(created.id).toBe(hs.store.list('contacts')[0]?.id);
    const before = hs.store.get('contacts', created.id)?.properties.lastmodifieddate;

    const dup = await rejection(
      c.crm.contacts.basicApi.create({ properties: { email: 'ana@acme.example' }, associations: [] }),
    );
    expect(dup.code).toBe(409);
    expect(dup.body).toMatchObject({
      category: 'CONFLICT',
      message: `Contact already exists. Existing ID: ${created.id}`,
    });

    await new Promise((r) => setTimeout(r, 5));
    const updated = await c.crm.contacts.basicApi.update(created.id, {
      properties: { lifecyclestage: 'lead' },
    });
    expect(updated.properties.lifecyclestage).toBe('lead');
    const stored = hs.store.get('contacts', created.id);
    expect(stored?.properties.lastmodifieddate).not.toBe(before);
    expect(stored?.properties.hs_lastmodifieddate).toBe(stored?.properties.lastmodifieddate);
    expect(stored?.properties.hs_email_domain).toBe('acme.example');

    const invalid = await rejection(
      c.crm.contacts.basicApi.update(created.id, { properties: { lifecyclestage: 'nope', nosuch: 'x' } }),
    );
    expect(invalid.code).toBe(400);
    expect(String(invalid.body.message)).toContain('Property values were not valid');
    expect(String(invalid.body.message)).toContain('INVALID_OPTION');
    expect(String(invalid.body.message)).toContain('PROPERTY_DOESNT_EXIST');

    const byEmail = await c.crm.contacts.basicApi.getById(
      'ana@acme.example',
      ['lifecyclestage'],
      undefined,
      undefined,
      false,
      'email',
    );
    expect(byEmail.id).toBe(created.id);

    await c.crm.contacts.basicApi.archive(created.id);
    expect(hs.store.get('contacts', created.id)).toBeUndefined();
    const archived = await c.crm.contacts.basicApi.getPage(
      10,
      undefined,
      undefined,
      undefined,
      undefined,
      true,
    );
    expect(archived.results.map((r) => r.archived)).toEqual([true]);
  });

  it('batch-updates 100 inputs and rejects 101 with a 400', async () => {
    const ids = Array.from(
      { length: 101 },
      (_, i) => hs.store.create('contacts', { email: `b${i}@batch.example` }).id,
    );
    const c = client();
    const ok = await c.crm.contacts.batchApi.update({
      inputs: ids.slice(0, 100).map((id) => ({ id, properties: { jobtitle: 'Head of Growth' } })),
    });
    expect(ok.status).toBe('COMPLETE');
    expect(ok.results).toHaveLength(100);
    expect(hs.store.list('contacts').filter((r) => r.properties.jobtitle === 'Head of Growth')).toHaveLength(
      100,
    );

    const tooMany = await rejection(
      c.crm.contacts.batchApi.update({ inputs: ids.map((id) => ({ id, properties: { jobtitle: 'CMO' } })) }),
    );
    expect(tooMany.code).toBe(400);
    expect(tooMany.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    expect(hs.store.list('contacts').filter((r) => r.properties.jobtitle === 'CMO')).toHaveLength(0);
    expect(hs.counters.count('POST /crm/v3/objects/:objectType/batch/update', 200)).toBe(1);
    expect(hs.counters.count('POST /crm/v3/objects/:objectType/batch/update', 400)).toBe(1);
  });

  it('batch-reads with 207 for missing ids and upserts by email', async () => {
    const a = hs.store.create('contacts', { email: 'a@up.example' });
    const c = client();
    const read = await c.crm.contacts.batchApi.read({
      inputs: [{ id: a.id }, { id: '999999' }],
      properties: ['email'],
      propertiesWithHistory: [],
    });
    expect(read.results.map((r) => r.id)).toEqual([a.id]);
    expect((read as { errors?: unknown[] }).errors).toHaveLength(1);

    const up = await c.crm.contacts.batchApi.upsert({
      inputs: [
        { idProperty: 'email', id: 'a@up.example', properties: { firstname: 'A' } },
        { idProperty: 'email', id: 'new@up.example', properties: { firstname: 'N' } },
      ],
    });
    expect(up.results.map((r) => r._new).sort()).toEqual([false, true]);
    expect(hs.store.findBy('contacts', 'email', 'new@up.example')?.properties.firstname).toBe('N');
    expect(hs.store.get('contacts', a.id)?.properties.firstname).toBe('A');
  });

  it('validates owner ids against the owners API', async () => {
    const owner = hs.store.addOwner({ email: 'rep@seller.example', firstName: 'Rita', lastName: 'Rep' });
    const c = client();
    const owners = await c.crm.owners.ownersApi.getPage('rep@seller.example');
    expect(owners.results.map((o) => o.id)).toEqual([owner.id]);
    const bad = await rejection(
      c.crm.contacts.basicApi.create({
        properties: { email: 'o@x.example', hubspot_owner_id: '42' },
        associations: [],
      }),
    );
    expect(bad.code).toBe(400);
    expect(String(bad.body.message)).toContain('INVALID_OWNER_ID');
    const ok = await c.crm.contacts.basicApi.create({
      properties: { email: 'o@x.example', hubspot_owner_id: owner.id },
      associations: [],
    });
    expect(hs.store.get('contacts', ok.id)?.properties.hubspot_owner_id).toBe(owner.id);
  });

  it('creates tasks for an owner, associated with a contact (type 204), and validates their status', async () => {
    const owner = hs.store.addOwner({ email: 'rep@seller.example', firstName: 'Rita', lastName: 'Rep' });
    const contact = hs.store.create('contacts', { email: 'lead@buyer.example' });
    const c = client();
    const task = await c.crm.objects.tasks.basicApi.create({
      properties: {
        hs_task_subject: 'Call back',
        hs_task_body: 'About pricing',
        hs_timestamp: '2030-01-02T03:04:05.000Z',
        hs_task_status: 'NOT_STARTED',
        hubspot_owner_id: owner.id,
      },
      associations: [
        {
          to: { id: contact.id },
          types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 204 }],
        },
      ],
    });
    expect(hs.store.get('tasks', task.id)?.properties).toMatchObject({
      hs_task_subject: 'Call back',
      hs_task_status: 'NOT_STARTED',
      hubspot_owner_id: owner.id,
      hs_timestamp: '2030-01-02T03:04:05.000Z',
    });
    expect(hs.store.associationsOf('tasks', task.id, 'contacts')).toEqual([
      { toObjectId: contact.id, types: [{ category: 'HUBSPOT_DEFINED', typeId: 204, label: null }] },
    ]);
    expect(hs.store.associationsOf('contacts', contact.id, 'tasks')[0]?.types[0]?.typeId).toBe(203);
    const bad = await rejection(
      c.crm.objects.tasks.basicApi.create({
        properties: { hs_task_subject: 'x', hs_task_status: 'SOMEDAY' },
        associations: [],
      }),
    );
    expect(bad.code).toBe(400);
    expect(String(bad.body.message)).toContain('INVALID_OPTION');
  });

  it('returns deal stage history through propertiesWithHistory', async () => {
    const deal = hs.store.create(
      'deals',
      { dealname: 'Pilot', dealstage: 'appointmentscheduled', amount: '1000' },
      { createdAt: '2025-01-01T00:00:00Z' },
    );
    hs.store.update('deals', deal.id, { dealstage: 'contractsent' }, { at: '2025-01-10T00:00:00Z' });
    token = hs.store.createPrivateAppToken(['crm.objects.deals.read']);
    const d = await client().crm.deals.basicApi.getById(
      deal.id,
      ['dealstage', 'hs_is_closed'],
      ['dealstage'],
    );
    expect(d.properties.hs_is_closed).toBe('false');
    expect(d.propertiesWithHistory?.dealstage?.map((h) => h.value)).toEqual([
      'contractsent',
      'appointmentscheduled',
    ]);
    expect(hs.store.get('deals', deal.id)?.properties.hs_date_entered_contractsent).toBe(
      '2025-01-10T00:00:00.000Z',
    );
  });
});

describe('search', () => {
  it('pages to the 10,000-result cap and answers 400 beyond it', async () => {
    for (let i = 0; i < 10_050; i++)
      hs.store.create('contacts', {
        email: `s${i}@search.example`,
        lifecyclestage: i % 2 ? 'lead' : 'customer',
      });
    const c = client();
    const request = (after: string, limit = 200) =>
      c.crm.contacts.searchApi.doSearch({
        filterGroups: [
          {
            filters: [
              { propertyName: 'email', operator: 'CONTAINS_TOKEN' as never, value: '*@search.example' },
            ],
          },
        ],
        sorts: [],
        properties: ['email'],
        limit,
        after,
      });
    const first = await request('0');
    expect(first.total).toBe(10_050);
    expect(first.results).toHaveLength(200);
    expect(first.paging?.next?.after).toBe('200');

    const last = await request('9800');
    expect(last.results).toHaveLength(200);
    expect(last.paging?.next?.after).toBe('10000');

    const beyond = await rejection(request('10000'));
    expect(beyond.code).toBe(400);
    expect(beyond.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });

    const overLimit = await rejection(request('0', 201));
    expect(overLimit.code).toBe(400);
    expect(hs.counters.count('POST /crm/v3/objects/:objectType/search', 400)).toBe(2);
  });

  it('evaluates filter groups (OR of ANDs), IN, ranges and sorts', async () => {
    hs.store.create(
      'contacts',
      { email: 'x@a.example', lifecyclestage: 'lead', firstname: 'Xa' },
      { createdAt: '2025-01-01T00:00:00Z' },
    );
    hs.store.create(
      'contacts',
      { email: 'y@a.example', lifecyclestage: 'customer', firstname: 'Ya' },
      { createdAt: '2025-02-01T00:00:00Z' },
    );
    hs.store.create(
      'contacts',
      { email: 'z@b.example', lifecyclestage: 'lead' },
      { createdAt: '2025-03-01T00:00:00Z' },
    );
    const c = client();
    const res = await c.crm.contacts.searchApi.doSearch({
      filterGroups: [
        { filters: [{ propertyName: 'lifecyclestage', operator: 'IN' as never, values: ['customer'] }] },
        {
          filters: [
            {
              propertyName: 'createdate',
              operator: 'GTE' as never,
              value: String(Date.parse('2025-02-15T00:00:00Z')),
            },
            { propertyName: 'firstname', operator: 'NOT_HAS_PROPERTY' as never },
          ],
        },
      ],
      sorts: [{ propertyName: 'createdate', direction: 'DESCENDING' } as never],
      properties: ['email'],
      limit: 10,
      after: '0',
    });
    expect(res.results.map((r) => r.properties.email)).toEqual(['z@b.example', 'y@a.example']);

    const tooMany = await rejection(
      c.crm.contacts.searchApi.doSearch({
        filterGroups: Array.from({ length: 6 }, () => ({
          filters: [{ propertyName: 'email', operator: 'HAS_PROPERTY' as never }],
        })),
        sorts: [],
        properties: [],
        limit: 1,
        after: '0',
      }),
    );
    expect(tooMany.code).toBe(400);
  });
});

describe('properties', () => {
  it('creates the cairn group and properties in it, reads them back, 409s on duplicates', async () => {
    const c = client();
    const group = await c.crm.properties.groupsApi.create('contacts', {
      name: 'cairn',
      label: 'Cairn',
      displayOrder: 1,
    });
    expect(group).toMatchObject({ name: 'cairn', label: 'Cairn', archived: false });
    const dupGroup = await rejection(
      c.crm.properties.groupsApi.create('contacts', { name: 'cairn', label: 'Cairn again' }),
    );
    expect(dupGroup.code).toBe(409);

    const created = await c.crm.properties.coreApi.create('contacts', {
      name: 'cairn_journey_stage',
      label: 'Journey stage',
      type: 'enumeration' as never,
      fieldType: 'select' as never,
      groupName: 'cairn',
      options: [
        { label: 'Aware', value: 'aware', displayOrder: 0, hidden: false },
        { label: 'Evaluating', value: 'evaluating', displayOrder: 1, hidden: false },
      ],
    });
    expect(created.hubspotDefined).toBe(false);
    await c.crm.properties.coreApi.create('contacts', {
      name: 'cairn_dropoff_risk',
      label: 'Drop-off risk',
      type: 'number' as never,
      fieldType: 'number' as never,
      groupName: 'cairn',
    });

    const read = await c.crm.properties.coreApi.getByName('contacts', 'cairn_journey_stage');
    expect(read.groupName).toBe('cairn');
    expect(read.options.map((o) => o.value)).toEqual(['aware', 'evaluating']);
    const all = await c.crm.properties.coreApi.getAll('contacts');
    expect(all.results.filter((p) => p.groupName === 'cairn').map((p) => p.name)).toEqual([
      'cairn_journey_stage',
      'cairn_dropoff_risk',
    ]);

    const dup = await rejection(
      c.crm.properties.coreApi.create('contacts', {
        name: 'cairn_dropoff_risk',
        label: 'again',
        type: 'number' as never,
        fieldType: 'number' as never,
        groupName: 'cairn',
      }),
    );
    expect(dup.code).toBe(409);
    expect(dup.body).toMatchObject({ status: 'error', category: 'OBJECT_ALREADY_EXISTS' });

    // the new properties are writable and validated
    const contact = hs.store.create('contacts', { email: 'w@writeback.example' });
    await c.crm.contacts.batchApi.update({
      inputs: [
        { id: contact.id, properties: { cairn_journey_stage: 'evaluating', cairn_dropoff_risk: '0.42' } },
      ],
    });
    expect(hs.store.get('contacts', contact.id)?.properties).toMatchObject({
      cairn_journey_stage: 'evaluating',
      cairn_dropoff_risk: '0.42',
    });
    const badOption = await rejection(
      c.crm.contacts.basicApi.update(contact.id, { properties: { cairn_journey_stage: 'churned' } }),
    );
    expect(badOption.code).toBe(400);
    expect(hs.store.property('contacts', 'cairn_journey_stage')?.groupName).toBe('cairn');
  });
});

describe('associations v4', () => {
  it('creates default associations and reads them one by one and in batch', async () => {
    const company = hs.store.create('companies', { name: 'Acme', domain: 'acme.example' });
    const a = hs.store.create('contacts', { email: 'a@acme.example' });
    const b = hs.store.create('contacts', { email: 'b@acme.example' });
    const lone = hs.store.create('contacts', { email: 'lone@solo.example' });
    const c = client();
    const made = await c.crm.associations.v4.basicApi.createDefault(
      'contacts',
      a.id,
      'companies',
      company.id,
    );
    expect(made.results.map((r) => r.associationSpec.associationTypeId)).toEqual([279, 280]);
    await c.crm.associations.v4.batchApi.createDefault('contacts', 'companies', {
      inputs: [{ _from: { id: b.id }, to: { id: company.id } }],
    });

    const page = await c.crm.associations.v4.basicApi.getPage('contacts', a.id, 'companies');
    expect(page.results).toHaveLength(1);
    expect(String(page.results[0]?.toObjectId)).toBe(company.id);
    expect(page.results[0]?.associationTypes.map((t) => t.typeId).sort((x, y) => x - y)).toEqual([1, 279]);
    expect(hs.store.get('contacts', a.id)?.properties.associatedcompanyid).toBe(company.id);

    const batch = await c.crm.associations.v4.batchApi.getPage('companies', 'contacts', {
      inputs: [{ id: company.id }],
    });
    expect(batch.results[0]?.to.map((t) => String(t.toObjectId))).toEqual([a.id, b.id]);

    const partial = await c.crm.associations.v4.batchApi.getPage('contacts', 'companies', {
      inputs: [{ id: a.id }, { id: lone.id }],
    });
    expect(partial.results).toHaveLength(1);
    expect((partial as { errors?: unknown[] }).errors).toHaveLength(1);
    expect(hs.store.associationsOf('companies', company.id, 'contacts').map((x) => x.toObjectId)).toEqual([
      a.id,
      b.id,
    ]);
  });
});

describe('rate limits and faults', () => {
  it('shows a 429 storm to the client: its retries are counted, and the error surfaces when they run out', async () => {
    hs.faults.rateLimitStorm(3, { policy: 'SECONDLY' });
    // numberOfApiCallRetries is the number of attempts: 2 means one retry (after 1 s for SECONDLY)
    const c = client({ numberOfApiCallRetries: 2 });
    const failed = await rejection(c.crm.contacts.basicApi.getPage());
    expect(failed.code).toBe(429);
    expect(failed.body).toMatchObject({
      status: 'error',
      message: 'You have reached your secondly limit.',
      errorType: 'RATE_LIMIT',
      policyName: 'SECONDLY',
    });
    expect(typeof failed.body.correlationId).toBe('string');
    // one storm slot left: the client retries after 1 s and succeeds
    const ok = await c.crm.contacts.basicApi.getPage();
    expect(ok.results).toEqual([]);
    expect(hs.counters.count('GET /crm/v3/objects/:objectType', 429)).toBe(3);
    expect(hs.counters.count('GET /crm/v3/objects/:objectType', 200)).toBe(1);
    expect(hs.faults.current.injectedRateLimits).toBe(3);
  });

  it('answers TEN_SECONDLY_ROLLING storms and the real rolling window with the rate-limit headers', async () => {
    hs.faults.rateLimitStorm(1);
    const c = client();
    const storm = await rejection(c.crm.contacts.basicApi.getPage());
    expect(storm.code).toBe(429);
    expect(storm.body).toMatchObject({ policyName: 'TEN_SECONDLY_ROLLING', errorType: 'RATE_LIMIT' });

    hs.rateLimits.tenSecondly = 5;
    const statuses: number[] = [];
    let lastHeaders: Record<string, string> = {};
    for (let i = 0; i < 6; i++) {
      try {
        const res = await c.crm.contacts.basicApi.getPageWithHttpInfo();
        statuses.push(res.httpStatusCode);
        lastHeaders = res.headers;
      } catch (err) {
        statuses.push((err as ApiError).code);
        expect((err as ApiError).headers['x-hubspot-ratelimit-remaining']).toBe('0');
        expect((err as ApiError).body).toMatchObject({ policyName: 'TEN_SECONDLY_ROLLING' });
      }
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(lastHeaders['x-hubspot-ratelimit-max']).toBe('5');
    expect(lastHeaders['x-hubspot-ratelimit-interval-milliseconds']).toBe('10000');
    expect(lastHeaders['x-hubspot-ratelimit-remaining']).toBe('0');
  });

  it('limits search to N requests per second with policyName SECONDLY', async () => {
    hs.rateLimits.searchPerSecond = 2;
    const c = client();
    const body = { filterGroups: [], sorts: [], properties: [], limit: 1, after: '0' };
    await c.crm.contacts.searchApi.doSearch(body);
    await c.crm.contacts.searchApi.doSearch(body);
    const third = await rejection(c.crm.contacts.searchApi.doSearch(body));
    expect(third.code).toBe(429);
    expect(third.body).toMatchObject({
      policyName: 'SECONDLY',
      message: 'You have reached your secondly limit.',
    });
  });

  it('retries injected 5xx errors with the client and adds latency', async () => {
    hs.faults.failNext(1, 502).setLatency(30);
    const c = client({ numberOfApiCallRetries: 1 });
    const started = Date.now();
    const failed = await rejection(c.crm.contacts.basicApi.getPage());
    expect(failed.code).toBe(502);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    hs.faults.reset().failNext(1, 500);
    const c2 = client({ numberOfApiCallRetries: 2 });
    await c2.crm.contacts.basicApi.getPage();
    expect(hs.counters.requests({ key: 'GET /crm/v3/objects/:objectType' }).map((r) => r.status)).toEqual([
      502, 500, 200,
    ]);
  });

  it('client quirk: the retry setting of the last constructed Client wins for APIs touched later', async () => {
    hs.faults.rateLimitStorm(1, { policy: 'SECONDLY' });
    const withRetries = new Client({ basePath: hs.baseUrl, accessToken: token, numberOfApiCallRetries: 2 });
    new Client({ basePath: hs.baseUrl, accessToken: token }); // overwrites the process-wide decorators
    const err = await rejection(withRetries.crm.contacts.basicApi.getPage());
    expect(err.code).toBe(429); // no retry happened
    expect(hs.counters.count('GET /crm/v3/objects/:objectType')).toBe(1);
  });
});
