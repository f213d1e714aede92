import {
  completeConsent,
  startHubSpotSandbox,
  startSalesforceSandbox,
  type HubSpotSandbox,
  type SalesforceSandbox,
} from '@cairn/sandbox';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { WriteBackValues } from '../../src/modules/connections/crm-fields';
import {
  HUBSPOT_LANES,
  WritebackDrainService,
  type DrainOptions,
} from '../../src/modules/connections/writeback-drain.service';
import { WritebackOutboxService } from '../../src/modules/connections/writeback-outbox.service';
import { CrmSyncService } from '../../src/modules/crm-sync/crm-sync.service';
import { ScoringService } from '../../src/modules/scoring/scoring.service';
import { PASSWORD, seedWorkspace, startTestApi, type TestApi } from '../support/api';
import { HttpClient } from '../support/http-client';

let hubspot: HubSpotSandbox;
let salesforce: SalesforceSandbox;
let api: TestApi;
let ws: Awaited<ReturnType<typeof seedWorkspace>>;
let admin: HttpClient;
let outbox: WritebackOutboxService;
let drain: WritebackDrainService;
const conns = { hubspot: '', salesforce: '' };

const BATCH_UPDATE = 'POST /crm/v3/objects/:objectType/batch/update';
const COLLECTIONS = 'PATCH /services/data/:version/composite/sobjects';
const FAST: DrainOptions = { backoffBaseMs: 50, bulkPollIntervalMs: 100 };

async function connect(provider: 'hubspot' | 'salesforce'): Promise<string> {
  const started = await admin.post(`/api/workspaces/${ws.workspaceId}/connections/${provider}/authorize`);
  const consent = await completeConsent(started.body.authorizeUrl);
  const back = new URL(consent.location);
  const res = await admin.request('GET', `${back.pathname}${back.search}`);
  expect(res.headers.get('location')).toContain(`connected=${provider}`);
  const list = await admin.get(`/api/workspaces/${ws.workspaceId}/connections`);
  return list.body.connections.find((c: { provider: string }) => c.provider === provider).id;
}

let serial = 0;
/** `n` people, each with a CRM record in the given CRM, as a pull would have linked them. */
async function people(
  n: number,
  provider: 'hubspot' | 'salesforce',
  object: 'Contact' | 'Lead' = 'Contact',
): Promise<{ profileId: string; recordId: string }[]> {
  const out: { profileId: string; recordId: string }[] = [];
  for (let i = 0; i < n; i++) {
    const email = `p${++serial}@outbox.test`;
    const recordId =
      provider === 'hubspot'
        ? hubspot.store.create('contacts', { email, firstname: `P${serial}` }).id
        : salesforce.store.insert(object, {
            LastName: `P${serial}`,
            Email: email,
            ...(object === 'Lead' ? { Company: 'Acme' } : {}),
          }).id;
    out.push({ profileId: crypto.randomUUID(), recordId });
  }
  await api.ds.query(
    `INSERT INTO profiles (id, workspace_id, first_seen_at, last_seen_at)
     SELECT id, $1, now(), now() FROM unnest($2::uuid[]) AS id`,
    [ws.workspaceId, out.map((p) => p.profileId)],
  );
  await api.ds.query(
    `INSERT INTO identities (workspace_id, kind, value, profile_id)
     SELECT $1, $2, v, p FROM unnest($3::text[], $4::uuid[]) AS u(v, p)`,
    [ws.workspaceId, provider, out.map((p) => p.recordId), out.map((p) => p.profileId)],
  );
  return out;
}

const scored = (stage: string, risk: number, reasons: string[] = ['Read pricing 3×']): WriteBackValues => ({
  stage,
  risk,
  reasons,
  scoredAt: new Date(),
});

async function rows(connectionId: string) {
  const list: { record_id: string; state: string; attempts: number; last_error: string | null }[] =
    await api.ds.query(
      `SELECT record_id, state, attempts, last_error FROM crm_writeback_outbox WHERE connection_id = $1`,
      [connectionId],
    );
  return new Map(list.map((r) => [r.record_id, r]));
}

const hsProp = (id: string, name: string) => hubspot.store.get('contacts', id)!.properties[name] ?? null;
const sfField = (object: string, id: string, name: string) =>
  salesforce.store.get(object, id)!.fields[name] ?? null;

beforeAll(async () => {
  [hubspot, salesforce] = await Promise.all([
    startHubSpotSandbox({ seed: 'outbox' }),
    startSalesforceSandbox({ seed: 'outbox', bulkProcessingDelayMs: 20 }),
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
  ws = await seedWorkspace(api.ds, 'Outbox', ['admin']);
  admin = new HttpClient(api.url);
  await admin.signIn(ws.users['admin']!.email, PASSWORD);
  outbox = api.app.get(WritebackOutboxService);
  drain = api.app.get(WritebackDrainService);
  // No Temporal here: the drain runs in this process (the workflow has its own test).
  vi.spyOn(outbox, 'kick').mockImplementation(() => undefined);
  vi.spyOn(api.app.get(CrmSyncService), 'connected').mockImplementation(() => undefined);
  conns.hubspot = await connect('hubspot');
  conns.salesforce = await connect('salesforce');
}, 120_000);
afterAll(async () => {
  await api?.close();
  await Promise.all([hubspot?.close(), salesforce?.close()]);
});

describe('queueing', () => {
  it('coalesces changes per CRM record: the newest values are written, once', async () => {
    const [a, b] = await people(2, 'hubspot');
    const [c] = await people(1, 'salesforce');
    await outbox.enqueue(ws.workspaceId, [{ profileId: a!.profileId, values: scored('Aware', 10) }]);
    await outbox.enqueue(ws.workspaceId, [{ profileId: a!.profileId, values: scored('Evaluation', 40) }]);
    // Within one call, the later change of a person wins.
    await outbox.enqueue(ws.workspaceId, [
      { profileId: b!.profileId, values: scored('Aware', 5) },
      { profileId: c!.profileId, values: scored('Aware', 5) },
      {
        profileId: b!.profileId,
        values: scored('Purchase intent', 77, ['Trial started', 'Asked for a quote']),
      },
      { profileId: c!.profileId, values: scored('Purchase intent', 81) },
    ]);
    const [n] = await api.ds.query(
      `SELECT count(*)::int AS n FROM crm_writeback_outbox WHERE workspace_id = $1 AND state = 'pending'`,
      [ws.workspaceId],
    );
    expect(n.n).toBe(3);

    const before = hubspot.counters.count(BATCH_UPDATE);
    expect(await drain.drainNow(ws.workspaceId, FAST)).toMatchObject({ sent: 3, failed: 0, due: 0 });
    expect(hubspot.counters.count(BATCH_UPDATE)).toBe(before + 1);
    expect(hsProp(a!.recordId, 'cairn_journey_stage')).toBe('Evaluation');
    expect(hsProp(a!.recordId, 'cairn_dropoff_risk')).toBe('40');
    expect(hsProp(b!.recordId, 'cairn_top_reasons')).toBe('Trial started\nAsked for a quote');
    expect(sfField('Contact', c!.recordId, 'Cairn_Dropoff_Risk__c')).toBe(81);
    for (const p of [a!, b!]) expect(hubspot.counters.writes('contacts', p.recordId)).toBe(1);
    expect(salesforce.counters.writes('Contact', c!.recordId)).toBe(1);
  });

  it("takes a re-scored person's stage and reasons from scoring, in its transaction, and wakes the drain", async () => {
    const [p] = await people(1, 'hubspot');
    const kick = vi.mocked(outbox.kick);
    kick.mockClear();
    const changes = await api.app.get(ScoringService).rescore(ws.workspaceId, [p!.profileId]);
    expect(changes.map((c) => c.profileId)).toEqual([p!.profileId]);
    const [row] = await api.ds.query(
      `SELECT state, values FROM crm_writeback_outbox WHERE workspace_id = $1 AND profile_id = $2`,
      [ws.workspaceId, p!.profileId],
    );
    expect(row.state).toBe('pending');
    expect(row.values).toMatchObject({
      stage: changes[0]!.stage.label,
      risk: null,
      reasons: changes[0]!.reasons,
    });
    expect(kick).toHaveBeenCalledWith(ws.workspaceId);

    await drain.drainNow(ws.workspaceId, FAST);
    expect(hsProp(p!.recordId, 'cairn_journey_stage')).toBe(changes[0]!.stage.label);
    // Scoring again with nothing new changes nothing, so nothing more is queued or written.
    expect(await api.app.get(ScoringService).rescore(ws.workspaceId, [p!.profileId])).toEqual([]);
    await drain.drainNow(ws.workspaceId, FAST);
    expect(hubspot.counters.writes('contacts', p!.recordId)).toBe(1);
  });

  it('sends only changes: equal content (a new scoring time alone) is not sent again', async () => {
    const [a, b] = await people(2, 'hubspot');
    await outbox.enqueue(ws.workspaceId, [
      { profileId: a!.profileId, values: scored('Aware', 20) },
      { profileId: b!.profileId, values: scored('Aware', 20) },
    ]);
    await drain.drainNow(ws.workspaceId, FAST);
    const calls = hubspot.counters.count(BATCH_UPDATE);

    // Rescored to the same result: nothing queued, nothing sent.
    expect(
      await outbox.enqueue(ws.workspaceId, [{ profileId: a!.profileId, values: scored('Aware', 20.2) }]),
    ).toBe(0);
    // Changed and changed back before the drain ran: the CRM already holds it, nothing sent.
    await outbox.enqueue(ws.workspaceId, [{ profileId: b!.profileId, values: scored('Evaluation', 60) }]);
    await outbox.enqueue(ws.workspaceId, [{ profileId: b!.profileId, values: scored('Aware', 20) }]);
    expect(await drain.drainNow(ws.workspaceId, FAST)).toMatchObject({ sent: 0, due: 0 });
    expect(hubspot.counters.count(BATCH_UPDATE)).toBe(calls);

    // A real change goes out.
    expect(
      await outbox.enqueue(ws.workspaceId, [{ profileId: a!.profileId, values: scored('Evaluation', 35) }]),
    ).toBe(1);
    expect(await drain.drainNow(ws.workspaceId, FAST)).toMatchObject({ sent: 1 });
    expect(hsProp(a!.recordId, 'cairn_journey_stage')).toBe('Evaluation');
    expect(hubspot.counters.writes('contacts', a!.recordId)).toBe(2);
    expect(hubspot.counters.writes('contacts', b!.recordId)).toBe(1);
  });

  it('never writes for people who opted out, whether before queueing or after', async () => {
    const [before, after, fine] = await people(3, 'hubspot');
    await api.ds.query(`UPDATE profiles SET consent = 'denied' WHERE id = $1`, [before!.profileId]);
    expect(
      await outbox.enqueue(ws.workspaceId, [
        { profileId: before!.profileId, values: scored('Aware', 1) },
        { profileId: after!.profileId, values: scored('Aware', 2) },
        { profileId: fine!.profileId, values: scored('Aware', 3) },
      ]),
    ).toBe(2);
    await api.ds.query(`UPDATE profiles SET consent = 'denied' WHERE id = $1`, [after!.profileId]);
    expect(await drain.drainNow(ws.workspaceId, FAST)).toMatchObject({ sent: 1, due: 0 });
    for (const p of [before!, after!]) {
      expect(hubspot.counters.writes('contacts', p.recordId)).toBe(0);
      expect(hsProp(p.recordId, 'cairn_journey_stage')).toBeNull();
    }
    expect((await rows(conns.hubspot)).get(after!.recordId)?.state).toBe('cancelled');
    expect(hsProp(fine!.recordId, 'cairn_dropoff_risk')).toBe('3');
  });
});

describe('failures', () => {
  it('honours Retry-After through a 429 storm: the connection waits, then everything goes once', async () => {
    const list = await people(250, 'hubspot');
    await outbox.enqueue(
      ws.workspaceId,
      list.map((p, i) => ({ profileId: p.profileId, values: scored('Evaluation', i % 100) })),
    );
    hubspot.faults.rateLimitStorm(2, { retryAfterSeconds: 2 });
    try {
      const r = await drain.drainNow(ws.workspaceId, FAST);
      expect(r).toMatchObject({ sent: 250, due: 0 });
    } finally {
      hubspot.faults.reset();
    }
    const calls = hubspot.counters.requests({ key: BATCH_UPDATE });
    const limited = calls.filter((c) => c.status === 429);
    expect(limited).toHaveLength(2);
    // After a 429 nothing new goes out until Retry-After has passed; only calls the other lanes already had in
    // flight land in between, right after it.
    for (const l of limited) {
      const between = calls.filter(
        (c) => c.seq > l.seq && c.status !== 429 && c.at.getTime() - l.at.getTime() < 1_950,
      );
      expect(between.length).toBeLessThanOrEqual(HUBSPOT_LANES - 1);
      for (const c of between) expect(c.at.getTime() - l.at.getTime()).toBeLessThan(1_000);
    }
    expect(calls.filter((c) => c.status !== 429).length).toBeGreaterThanOrEqual(3);
    for (const [i, p] of list.entries()) {
      expect(hubspot.counters.writes('contacts', p.recordId)).toBe(1);
      expect(hsProp(p.recordId, 'cairn_dropoff_risk')).toBe(String(i % 100));
    }
  });

  it('gets everything through 10 % server errors, each record written once', async () => {
    const hs = await people(2_000, 'hubspot');
    const sf = await people(1_500, 'salesforce');
    await outbox.enqueue(
      ws.workspaceId,
      [...hs, ...sf].map((p, i) => ({ profileId: p.profileId, values: scored('Aware', i % 90) })),
    );
    hubspot.faults.setErrorRate(0.1, 500);
    salesforce.faults.setErrorRate(0.1, 503);
    let r;
    try {
      r = await drain.drainNow(ws.workspaceId, FAST);
    } finally {
      hubspot.faults.reset();
      salesforce.faults.reset();
    }
    expect(r).toMatchObject({ sent: 3_500, due: 0 });
    expect(hubspot.faults.current.injectedErrors + salesforce.faults.current.injectedErrors).toBeGreaterThan(
      0,
    );
    for (const p of hs) expect(hubspot.counters.writes('contacts', p.recordId)).toBe(1);
    for (const p of sf) expect(salesforce.counters.writes('Contact', p.recordId)).toBe(1);
    const states = [...(await rows(conns.hubspot)).values(), ...(await rows(conns.salesforce)).values()];
    expect(states.filter((s) => s.state === 'pending')).toEqual([]);
  });

  it('refreshes tokens that expire mid-drain, in both CRMs', async () => {
    const hs = await people(300, 'hubspot');
    const sf = await people(450, 'salesforce');
    await outbox.enqueue(
      ws.workspaceId,
      [...hs, ...sf].map((p) => ({ profileId: p.profileId, values: scored('Evaluation', 50) })),
    );
    const refreshes = () =>
      hubspot.counters.count('POST /oauth/v1/token', 200) +
      salesforce.counters.count('POST /services/oauth2/token', 200);
    const before = refreshes();
    let expired = 0;
    const r = await drain.drainNow(ws.workspaceId, {
      ...FAST,
      afterWrite: async () => {
        if (expired++ === 0) {
          hubspot.faults.expireAccessTokens();
          salesforce.faults.expireAccessTokens();
        }
      },
    });
    expect(r).toMatchObject({ sent: 750, failed: 0, due: 0 });
    expect(refreshes()).toBeGreaterThan(before);
    for (const p of hs) expect(hubspot.counters.writes('contacts', p.recordId)).toBe(1);
    for (const p of sf) expect(salesforce.counters.writes('Contact', p.recordId)).toBe(1);
  });

  it('keeps rows pending when the refresh token is revoked mid-drain, and sends them once connected again', async () => {
    const list = await people(250, 'hubspot');
    await outbox.enqueue(
      ws.workspaceId,
      list.map((p) => ({ profileId: p.profileId, values: scored('Decision', 90) })),
    );
    // After the first batch the grant is withdrawn: the access token lapses and refreshing it is refused.
    let batches = 0;
    const r = await drain.drainNow(ws.workspaceId, {
      ...FAST,
      afterWrite: async () => {
        if (batches++ === 0) {
          hubspot.faults.revokeRefreshTokens();
          hubspot.faults.expireAccessTokens();
        }
      },
    });
    // What was in flight (a batch per lane: 100, 100 and 50 rows, finishing in any order) went through; the
    // rest waits.
    expect(r.sent).toBeGreaterThanOrEqual(50);
    expect(r.sent).toBeLessThan(250);
    expect(r).toMatchObject({ due: 0, waitMs: null });
    const [c] = await api.ds.query(`SELECT status FROM crm_connections WHERE id = $1`, [conns.hubspot]);
    expect(c.status).toBe('needs_reauth');
    const state = await rows(conns.hubspot);
    const waiting = list.filter((p) => state.get(p.recordId)?.state === 'pending');
    expect(waiting).toHaveLength(250 - r.sent);
    expect(waiting.every((p) => state.get(p.recordId)!.attempts === 0)).toBe(true);
    for (const p of waiting) expect(hubspot.counters.writes('contacts', p.recordId)).toBe(0);

    expect(await connect('hubspot')).toBe(conns.hubspot);
    expect(await drain.drainNow(ws.workspaceId, FAST)).toMatchObject({ sent: 250 - r.sent, due: 0 });
    for (const p of list) {
      expect(hubspot.counters.writes('contacts', p.recordId)).toBe(1);
      expect(hsProp(p.recordId, 'cairn_journey_stage')).toBe('Decision');
    }
  });

  it('loses nothing when a drain dies between the CRM write and marking sent', async () => {
    const list = await people(400, 'hubspot');
    await outbox.enqueue(
      ws.workspaceId,
      list.map((p) => ({ profileId: p.profileId, values: scored('Evaluation', 61) })),
    );
    const crashed: string[] = [];
    await expect(
      drain.drainNow(ws.workspaceId, {
        ...FAST,
        afterWrite: async (_c, written) => {
          crashed.push(...written.map((w) => w.recordId));
          throw new Error('worker killed');
        },
      }),
    ).rejects.toThrow('worker killed');
    // Each lane had a batch in flight when the drain died.
    expect(crashed.length).toBeGreaterThanOrEqual(100);
    expect(crashed.length).toBeLessThanOrEqual(HUBSPOT_LANES * 100);
    // The dead drain's claims hold until their lease runs out; the rest is sent meanwhile.
    expect(await drain.drainWorkspace(ws.workspaceId, FAST)).toMatchObject({
      sent: 400 - crashed.length,
      due: 0,
    });
    await api.ds.query(
      `UPDATE crm_writeback_outbox SET claimed_until = now() - interval '1 second'
        WHERE connection_id = $1 AND claim_token IS NOT NULL`,
      [conns.hubspot],
    );
    expect(await drain.drainNow(ws.workspaceId, FAST)).toMatchObject({ sent: crashed.length, due: 0 });
    const state = await rows(conns.hubspot);
    for (const p of list) {
      expect(state.get(p.recordId)?.state).toBe('sent');
      expect(hsProp(p.recordId, 'cairn_dropoff_risk')).toBe('61');
      // The batches in flight when the drain died were sent again, with the same values: harmless.
      expect(hubspot.counters.writes('contacts', p.recordId)).toBe(crashed.includes(p.recordId) ? 2 : 1);
    }
  });

  it('clears again what a drain wrote for a person erased while it was in flight', async () => {
    const [p] = await people(1, 'hubspot');
    await outbox.enqueue(ws.workspaceId, [{ profileId: p!.profileId, values: scored('Evaluation', 44) }]);
    await drain.drainNow(ws.workspaceId, {
      ...FAST,
      afterWrite: async () => {
        expect(hsProp(p!.recordId, 'cairn_dropoff_risk')).toBe('44');
        const erased = await admin.post(`/api/workspaces/${ws.workspaceId}/privacy/erasures`, {
          profileId: p!.profileId,
        });
        expect(erased.status).toBe(201);
      },
    });
    expect(hsProp(p!.recordId, 'cairn_dropoff_risk')).toBeNull();
    expect(hsProp(p!.recordId, 'cairn_journey_stage')).toBeNull();
    expect((await rows(conns.hubspot)).has(p!.recordId)).toBe(false);
  });
});

describe('Salesforce Bulk API 2.0', () => {
  it('writes through ingest jobs above the threshold, Contacts and Leads, and clears with #N/A', async () => {
    const contacts = await people(2_300, 'salesforce');
    const leads = await people(200, 'salesforce', 'Lead');
    const jobs = salesforce.counters.count('POST /services/data/:version/jobs/ingest');
    const collections = salesforce.counters.count(COLLECTIONS);
    const all = [...contacts, ...leads];
    await outbox.enqueue(
      ws.workspaceId,
      all.map((p, i) => ({
        profileId: p.profileId,
        values:
          i === 0 ? null : scored('Evaluation', i % 100, ['Pricing, twice', 'Said "later"\nthen went quiet']),
      })),
    );
    expect(await drain.drainNow(ws.workspaceId, FAST)).toMatchObject({ sent: 2_500, failed: 0, due: 0 });
    expect(salesforce.counters.count('POST /services/data/:version/jobs/ingest')).toBe(jobs + 2);
    expect(salesforce.counters.count(COLLECTIONS)).toBe(collections);
    expect(sfField('Contact', contacts[7]!.recordId, 'Cairn_Top_Reasons__c')).toBe(
      'Pricing, twice\nSaid "later"\nthen went quiet',
    );
    expect(sfField('Lead', leads[3]!.recordId, 'Cairn_Dropoff_Risk__c')).toBe(2_303 % 100);
    expect(sfField('Contact', contacts[0]!.recordId, 'Cairn_Journey_Stage__c')).toBeNull();
    for (const p of contacts) expect(salesforce.counters.writes('Contact', p.recordId)).toBe(1);
    for (const p of leads) expect(salesforce.counters.writes('Lead', p.recordId)).toBe(1);
  });
});

describe('planner statistics', () => {
  const stats = async () =>
    (
      await api.ds.query(
        `SELECT n_mod_since_analyze::int AS changed, COALESCE(last_analyze, 'epoch') AS analysed
           FROM pg_stat_user_tables WHERE relid = 'crm_writeback_outbox'::regclass`,
      )
    )[0] as { changed: number; analysed: Date };

  it('analyses the outbox before a pass when a bulk enqueue outran autovacuum', async () => {
    await api.ds.transaction(async (em) => {
      await em.query(`SELECT pg_stat_force_next_flush()`);
      await em.query(
        `INSERT INTO crm_writeback_outbox (workspace_id, connection_id, object, record_id, state, values, values_key)
         SELECT $1, $2, 'Contact', 'bulk-' || g, 'sent', '{}', 'k' FROM generate_series(1, 6000) AS g`,
        [ws.workspaceId, conns.salesforce],
      );
    });
    await vi.waitFor(async () => expect((await stats()).changed).toBeGreaterThanOrEqual(6000), {
      timeout: 15_000,
    });
    const before = await stats();
    await drain.drainWorkspace(ws.workspaceId, FAST);
    const after = await stats();
    expect(after.changed).toBe(0);
    expect(new Date(after.analysed).getTime()).toBeGreaterThan(new Date(before.analysed).getTime());
    // Fresh statistics are left alone.
    await drain.drainWorkspace(ws.workspaceId, FAST);
    expect((await stats()).analysed).toEqual(after.analysed);
    await api.ds.query(`DELETE FROM crm_writeback_outbox WHERE record_id LIKE 'bulk-%'`);
  });
});
