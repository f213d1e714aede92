/**
 * The Salesforce emulator driven by the real `jsforce` client. Each test also asserts on what the
 * emulator holds (store) and what it received (counters).
 */
import { Connection, OAuth2 } from 'jsforce';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { completeConsent } from '../src/core/consent';
import { type SalesforceSandbox, startSalesforceSandbox } from '../src/salesforce/index';

const REDIRECT = 'http://localhost:3000/connections/salesforce/callback';
const T0 = Date.parse('2025-03-10T12:00:00Z');

let sf: SalesforceSandbox;
let clock: number;

beforeEach(async () => {
  clock = T0;
  sf = await startSalesforceSandbox({ seed: 'salesforce-test', now: () => clock, bulkProcessingDelayMs: 20 });
});
afterEach(async () => {
  await sf.close();
});

function oauth2(useVerifier = true): OAuth2 {
  return new OAuth2({
    loginUrl: sf.baseUrl,
    clientId: sf.app.clientId,
    clientSecret: sf.app.clientSecret,
    redirectUri: REDIRECT,
    ...(useVerifier ? { useVerifier: true } : {}),
  } as ConstructorParameters<typeof OAuth2>[0]);
}

/** A connection authorised through the real OAuth2 + PKCE flow. */
async function connect(): Promise<Connection> {
  const o = oauth2();
  const { params } = await completeConsent(o.getAuthorizationUrl({ scope: 'api refresh_token', state: 's' }));
  const conn = new Connection({ oauth2: o });
  await conn.authorize(params.code as string);
  return conn;
}

async function rejection(p: PromiseLike<unknown>): Promise<Error & { errorCode?: string; data?: unknown }> {
  try {
    await p;
  } catch (err) {
    return err as Error & { errorCode?: string };
  }
  throw new Error('expected the call to fail');
}

describe('OAuth 2.0 web-server flow with PKCE', () => {
  it('authorises with jsforce end to end: code_challenge on authorize, code_verifier on token', async () => {
    const o = oauth2();
    const url = o.getAuthorizationUrl({ scope: 'api refresh_token', state: 'xyz' });
    expect(new URL(url).searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const { params } = await completeConsent(url);
    expect(params.state).toBe('xyz');

    const conn = new Connection({ oauth2: o });
    const user = await conn.authorize(params.code as string);
    expect(user.organizationId).toBe(sf.store.orgId);
    expect(user.id).toBe(sf.store.userId);
    expect(conn.instanceUrl).toBe(sf.baseUrl);
    expect(conn.refreshToken).toMatch(/^5Aep861/);
    expect(sf.store.sessions.get(conn.accessToken as string)?.refreshToken).toBe(conn.refreshToken);

    const identity = await conn.identity();
    expect(identity.organization_id).toBe(sf.store.orgId);
    expect(identity.username).toBe(sf.store.username);
    expect(sf.counters.count('POST /services/oauth2/token', 200)).toBe(1);
  });

  it('rejects a wrong code_verifier with 400 invalid_grant', async () => {
    const a = oauth2();
    const { params } = await completeConsent(a.getAuthorizationUrl({ scope: 'api refresh_token' }));
    const b = oauth2(); // its own, different verifier
    const err = await rejection(new Connection({ oauth2: b }).authorize(params.code as string));
    expect(err.name).toBe('invalid_grant');
    expect(err.message).toBe('invalid code verifier');
    expect(sf.counters.count('POST /services/oauth2/token', 400)).toBe(1);
  });

  it('requires a code challenge and redirects with invalid_request without one', async () => {
    const res = await fetch(oauth2(false).getAuthorizationUrl({ scope: 'api' }), { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location') as string);
    expect(location.searchParams.get('error')).toBe('invalid_request');
  });

  it('revokes a refresh token: its sessions die and refreshing fails', async () => {
    const conn = await connect();
    await conn.oauth2.revokeToken(conn.refreshToken as string);
    expect(sf.store.refreshTokens.get(conn.refreshToken as string)?.revoked).toBe(true);
    const err = await rejection(conn.query('SELECT Id FROM Contact'));
    expect(err.message).toContain('expired access/refresh token');
  });
});

describe('REST query', () => {
  it('pages query results in 2,000-record batches and jsforce autoFetch follows nextRecordsUrl', async () => {
    const account = sf.store.insert('Account', { Name: 'Acme' });
    for (let i = 0; i < 4_500; i++)
      sf.store.insert('Contact', { LastName: `L${i}`, Email: `c${i}@acme.example`, AccountId: account.id });
    const conn = await connect();

    const first = await conn.query<{ Id: string }>('SELECT Id, Email FROM Contact');
    expect(first.totalSize).toBe(4_500);
    expect(first.records).toHaveLength(2_000);
    expect(first.done).toBe(false);
    // jsforce turns the server's relative nextRecordsUrl into an absolute one on the instance
    expect(first.nextRecordsUrl).toMatch(/\/services\/data\/v50\.0\/query\/01g[A-Za-z0-9]{15}-2000$/);
    const second = await conn.queryMore<{ Id: string }>(first.nextRecordsUrl as string);
    expect(second.records).toHaveLength(2_000);

    const all = await conn.query<{ Id: string; Email: string }>(
      'SELECT Id, Email FROM Contact ORDER BY Email',
      {
        autoFetch: true,
        maxFetch: 10_000,
      },
    );
    expect(all.records).toHaveLength(4_500);
    expect(new Set(all.records.map((r) => r.Id)).size).toBe(4_500);
    expect(all.records[0]?.Email).toBe('c0@acme.example');
    // 2 queries + 1 explicit queryMore + 2 queryMores by autoFetch
    expect(sf.counters.count('GET /services/data/:version/query', 200)).toBe(2);
    expect(sf.counters.count('GET /services/data/:version/query/:locator', 200)).toBe(3);
  });

  it('supports relationship fields, IN, LIKE, date comparisons, ORDER BY and LIMIT', async () => {
    const acme = sf.store.insert('Account', { Name: 'Acme', Website: 'https://acme.example' });
    sf.store.insert(
      'Contact',
      { LastName: 'Old', Email: 'old@acme.example', AccountId: acme.id },
      { createdAt: '2025-01-01T00:00:00Z' },
    );
    sf.store.insert(
      'Contact',
      { LastName: 'New', Email: 'new@acme.example', AccountId: acme.id },
      { createdAt: '2025-03-01T00:00:00Z' },
    );
    sf.store.insert(
      'Contact',
      { LastName: 'Other', Email: 'x@other.example' },
      { createdAt: '2025-03-02T00:00:00Z' },
    );
    const conn = await connect();
    const res = await conn.query<{ LastName: string; Account: { Name: string } | null }>(
      "SELECT LastName, Account.Name FROM Contact WHERE SystemModstamp > 2025-02-01T00:00:00Z AND (Email LIKE '%@acme.example' OR LastName IN ('Other')) ORDER BY LastName DESC LIMIT 5",
    );
    expect(res.records.map((r) => [r.LastName, r.Account?.Name ?? null])).toEqual([
      ['Other', null],
      ['New', 'Acme'],
    ]);
    expect(res.records[1]).toMatchObject({
      attributes: { type: 'Contact' },
      Account: { attributes: { type: 'Account' } },
    });

    const count = await conn.query("SELECT COUNT() FROM Contact WHERE Account.Name = 'acme'");
    expect(count.totalSize).toBe(2);
  });

  it('surfaces MALFORMED_QUERY, INVALID_FIELD and INVALID_TYPE like Salesforce', async () => {
    const conn = await connect();
    const malformed = await rejection(
      conn.query("SELECT Id FROM Contact WHERE Email = 'a' AND LastName = 'b' OR Id = 'c'"),
    );
    expect(malformed.errorCode).toBe('MALFORMED_QUERY');
    expect(malformed.message).toContain('ERROR at Row:1:Column:61');
    const unsupported = await rejection(conn.query('SELECT Id, (SELECT Id FROM Contacts) FROM Account'));
    expect(unsupported.errorCode).toBe('MALFORMED_QUERY');
    expect(unsupported.message).toContain('not supported by the Cairn sandbox');
    const field = await rejection(conn.query('SELECT Nope FROM Contact'));
    expect(field.errorCode).toBe('INVALID_FIELD');
    const quoted = await rejection(conn.query("SELECT Id FROM Contact WHERE CreatedDate > '2025-01-01'"));
    expect(quoted.errorCode).toBe('INVALID_FIELD');
    expect(quoted.message).toContain('must be of type dateTime and should not be enclosed in quotes');
    const type = await rejection(conn.query('SELECT Id FROM Nope__c'));
    expect(type.errorCode).toBe('INVALID_TYPE');
  });

  it('queryAll (scanAll) includes deleted records', async () => {
    const keep = sf.store.insert('Contact', { LastName: 'Keep' });
    const gone = sf.store.insert('Contact', { LastName: 'Gone' });
    const conn = await connect();
    await conn.sobject('Contact').destroy(gone.id);
    const live = await conn.query<{ Id: string }>('SELECT Id FROM Contact');
    expect(live.records.map((r) => r.Id)).toEqual([keep.id]);
    const all = await conn.query<{ Id: string; IsDeleted: boolean }>('SELECT Id, IsDeleted FROM Contact', {
      scanAll: true,
    });
    expect(all.records.map((r) => [r.Id, r.IsDeleted])).toEqual([
      [keep.id, false],
      [gone.id, true],
    ]);
    expect(sf.counters.count('GET /services/data/:version/queryAll', 200)).toBe(1);
  });
});

describe('replication', () => {
  it('lists updated and deleted ids for a window through sobject().updated/deleted', async () => {
    const conn = await connect();
    const before = sf.store.insert('Contact', { LastName: 'Before' });
    clock += 5 * 60_000;
    const changed = sf.store.insert('Contact', { LastName: 'Changed' });
    const removed = sf.store.insert('Contact', { LastName: 'Removed' });
    clock += 60_000;
    await conn.sobject('Contact').update({ Id: before.id, Title: 'CFO' });
    await conn.sobject('Contact').destroy(removed.id);
    clock += 3 * 60_000;

    const start = new Date(T0 + 2 * 60_000);
    const end = new Date(clock);
    const updated = await conn.sobject('Contact').updated(start, end);
    expect(updated.ids.sort()).toEqual([before.id, changed.id].sort());
    expect(updated.latestDateCovered).toBe(new Date(clock).toISOString().replace('Z', '+0000'));
    const deleted = await conn.sobject('Contact').deleted(start, end);
    expect(deleted.deletedRecords.map((d) => d.id)).toEqual([removed.id]);

    const tooOld = await rejection(conn.sobject('Contact').updated(new Date(T0 - 31 * 86_400_000), end));
    expect(tooOld.errorCode).toBe('INVALID_REPLICATION_DATE');
  });
});

describe('sObject Collections', () => {
  it('updates 200 records in one call and rejects 201 with EXCEEDED_ID_LIMIT', async () => {
    const ids = Array.from({ length: 201 }, (_, i) => sf.store.insert('Contact', { LastName: `C${i}` }).id);
    const conn = await connect();
    const results = await conn
      .sobject('Contact')
      .update(ids.slice(0, 200).map((Id) => ({ Id, Title: 'VP Marketing' })));
    expect(results).toHaveLength(200);
    expect(results.every((r) => r.success)).toBe(true);
    expect(sf.store.all('Contact').filter((r) => r.fields.Title === 'VP Marketing')).toHaveLength(200);
    expect(sf.counters.count('PATCH /services/data/:version/composite/sobjects', 200)).toBe(1);

    const err = await rejection(conn.sobject('Contact').update(ids.map((Id) => ({ Id, Title: 'CMO' }))));
    expect(err.errorCode).toBe('EXCEEDED_ID_LIMIT');
    expect(sf.store.all('Contact').filter((r) => r.fields.Title === 'CMO')).toHaveLength(0);
  });

  it('reports per-record errors, and rolls everything back with allOrNone', async () => {
    const a = sf.store.insert('Contact', { LastName: 'A' });
    const conn = await connect();
    const partial = await conn
      .sobject('Contact')
      .create([{ LastName: 'Ok', Email: 'ok@x.example' }, { Email: 'not-an-email' }]);
    expect(partial[0]?.success).toBe(true);
    expect(partial[1]).toMatchObject({ success: false });
    expect(
      (partial[1] as { errors: Array<{ statusCode: string }> }).errors.map((e) => e.statusCode).sort(),
    ).toEqual(['INVALID_EMAIL_ADDRESS', 'REQUIRED_FIELD_MISSING']);
    expect(sf.store.count('Contact')).toBe(2);

    const rolled = await conn.sobject('Contact').update(
      [
        { Id: a.id, Title: 'X' },
        { Id: '003000000000000AAA', Title: 'Y' },
      ],
      { allOrNone: true },
    );
    expect(rolled.map((r) => r.success)).toEqual([false, false]);
    expect((rolled[0] as { errors: Array<{ statusCode: string }> }).errors[0]?.statusCode).toBe(
      'ALL_OR_NONE_OPERATION_ROLLED_BACK',
    );
    expect(sf.store.get('Contact', a.id)?.fields.Title ?? null).toBeNull();
  });
});

describe('Tooling API', () => {
  it('creates a custom field that then exists on describe, in SOQL and in writes', async () => {
    const conn = await connect();
    const created = await conn.tooling.sobject('CustomField').create({
      FullName: 'Contact.Cairn_Stage__c',
      Metadata: { label: 'Cairn Stage', type: 'Text', length: 64, description: 'Journey stage from Cairn' },
    } as never);
    expect(created).toMatchObject({ success: true });
    const describe = await conn.describe('Contact');
    const field = describe.fields.find((f) => f.name === 'Cairn_Stage__c');
    expect(field).toMatchObject({ type: 'string', length: 64, custom: true, updateable: true });

    const c = sf.store.insert('Contact', { LastName: 'Field' });
    await conn.sobject('Contact').update({ Id: c.id, Cairn_Stage__c: 'Evaluating' });
    const back = await conn.query<{ Cairn_Stage__c: string }>(
      `SELECT Cairn_Stage__c FROM Contact WHERE Id = '${c.id}'`,
    );
    expect(back.records[0]?.Cairn_Stage__c).toBe('Evaluating');

    const dup = await rejection(
      conn.tooling.sobject('CustomField').create({
        FullName: 'Contact.Cairn_Stage__c',
        Metadata: { label: 'x', type: 'Text', length: 10 },
      } as never),
    );
    expect(dup.errorCode).toBe('DUPLICATE_DEVELOPER_NAME');

    const listed = await conn.tooling.query<{ DeveloperName: string; TableEnumOrId: string }>(
      "SELECT Id, DeveloperName, TableEnumOrId FROM CustomField WHERE TableEnumOrId = 'Contact'",
    );
    expect(listed.records.map((r) => r.DeveloperName)).toEqual(['Cairn_Stage']);
    expect(sf.store.customFields.size).toBe(1);
  });
});

describe('sessions and limits', () => {
  it('INVALID_SESSION_ID makes jsforce refresh with the refresh token, and the call succeeds', async () => {
    const authorised = await connect();
    sf.store.insert('Contact', { LastName: 'Visible' });
    const conn = new Connection({
      oauth2: {
        loginUrl: sf.baseUrl,
        clientId: sf.app.clientId,
        clientSecret: sf.app.clientSecret,
        redirectUri: REDIRECT,
      },
      instanceUrl: authorised.instanceUrl,
      accessToken: authorised.accessToken as string,
      refreshToken: authorised.refreshToken as string,
    });
    const refreshed: string[] = [];
    conn.on('refresh', (token: string) => refreshed.push(token));
    expect(sf.faults.expireAccessTokens()).toBeGreaterThanOrEqual(1);

    const res = await conn.query<{ LastName: string }>('SELECT LastName FROM Contact');
    expect(res.records.map((r) => r.LastName)).toEqual(['Visible']);
    expect(refreshed).toHaveLength(1);
    expect(conn.accessToken).toBe(refreshed[0]);
    const statuses = sf.counters
      .requests({ pathPrefix: '/services/' })
      .slice(-3)
      .map((r) => `${r.method} ${r.route} ${r.status}`);
    expect(statuses).toEqual([
      'GET /services/data/:version/query 401',
      'POST /services/oauth2/token 200',
      'GET /services/data/:version/query 200',
    ]);
  });

  it('answers over-limit calls with 403 REQUEST_LIMIT_EXCEEDED and reports usage in Sforce-Limit-Info', async () => {
    const conn = await connect();
    await conn.query('SELECT Id FROM Contact');
    expect(conn.limitInfo.apiUsage).toEqual({ used: 1, limit: 100_000 });
    sf.store.apiUsage.limit = 2;
    await conn.query('SELECT Id FROM Contact');
    const err = await rejection(conn.query('SELECT Id FROM Contact'));
    expect(err.errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
    expect(err.message).toBe('TotalRequests Limit exceeded.');
    expect(conn.limitInfo.apiUsage).toEqual({ used: 2, limit: 2 });
    expect(sf.counters.count('GET /services/data/:version/query', 403)).toBe(1);
  });

  it('injects 5xx errors and concurrent-limit storms; jsforce silently retries GETs on 5xx but not PATCH', async () => {
    const conn = await connect();
    const c = sf.store.insert('Contact', { LastName: 'Fault' });
    sf.faults.failNext(1, 503);
    const retried = await conn.query('SELECT Id FROM Contact'); // jsforce waits 500 ms and retries the GET
    expect(retried.totalSize).toBe(1);
    sf.faults.failNext(1, 500);
    const failed = await rejection(conn.sobject('Contact').update({ Id: c.id, Title: 'X' }));
    expect(failed.errorCode).toBe('UNKNOWN_EXCEPTION');
    sf.faults.rateLimitStorm(1);
    const storm = await rejection(conn.query('SELECT Id FROM Contact'));
    expect(storm.errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
    expect(storm.message).toBe('ConcurrentPerOrgLongTxn Limit exceeded.');
    expect(sf.counters.requests({ key: 'GET /services/data/:version/query' }).map((r) => r.status)).toEqual([
      503, 200, 403,
    ]);
    expect(sf.counters.count('PATCH /services/data/:version/sobjects/:sobject/:id', 500)).toBe(1);
    expect(sf.store.get('Contact', c.id)?.fields.Title ?? null).toBeNull();
  });
});

describe('Bulk API 2.0', () => {
  it('runs an ingest job round trip with conn.bulk2 (open, upload, close, poll, results)', async () => {
    const existing = sf.store.insert('Contact', { LastName: 'Existing', Email: 'e@bulk.example' });
    const conn = await connect();
    const inserted = await conn.bulk2.loadAndWaitForResults({
      object: 'Contact',
      operation: 'insert',
      input: [
        { LastName: 'Bulk One', Email: 'one@bulk.example' },
        { LastName: 'Bulk "Two", Jr', Email: 'two@bulk.example' },
        { Email: 'missing-last-name@bulk.example' },
      ],
      pollInterval: 20,
      pollTimeout: 5_000,
    });
    expect(inserted.successfulResults).toHaveLength(2);
    expect(inserted.failedResults).toHaveLength(1);
    expect(String(inserted.failedResults[0]?.sf__Error)).toContain('REQUIRED_FIELD_MISSING');
    expect(sf.store.all('Contact').map((r) => r.fields.LastName)).toEqual([
      'Existing',
      'Bulk One',
      'Bulk "Two", Jr',
    ]);

    const updated = await conn.bulk2.loadAndWaitForResults({
      object: 'Contact',
      operation: 'update',
      input: [{ Id: existing.id, Title: 'Bulk-updated' }],
      pollInterval: 20,
      pollTimeout: 5_000,
    });
    expect(updated.successfulResults[0]?.sf__Id).toBe(existing.id);
    expect(sf.store.get('Contact', existing.id)?.fields.Title).toBe('Bulk-updated');
    expect([...sf.bulkJobs.values()].map((j) => j.state)).toEqual(['JobComplete', 'JobComplete']);
    expect(sf.counters.count('PUT /services/data/:version/jobs/ingest/:jobId/batches', 201)).toBe(2);
  });
});
