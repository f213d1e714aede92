import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeEntries } from '../../src/modules/events/inbox-entry';
import { parseMessage } from '../../src/modules/segment/segment-message';
import { PASSWORD, seedWorkspace, startTestApi, type TestApi } from '../support/api';
import { HttpClient } from '../support/http-client';
import { trackBatch } from '../support/tracking';
import { until } from '../support/until';

let api: TestApi;
let ws: Awaited<ReturnType<typeof seedWorkspace>>;
let admin: HttpClient;
let writeKey: string;

const q = (sql: string, params: unknown[] = []) => api.ds.query(sql, params);

beforeAll(async () => {
  api = await startTestApi();
  ws = await seedWorkspace(api.ds, 'Resolved', ['admin']);
  admin = new HttpClient(api.url);
  await admin.signIn(ws.users['admin']!.email, PASSWORD);
  writeKey = (await admin.post(`/api/workspaces/${ws.workspaceId}/sources`, { name: 'Web' })).body.writeKey;
});
afterAll(() => api?.close());

const track = (batch: unknown[]) => trackBatch(api.url, writeKey, batch);

/** An inbox row as another API process (or one killed after acknowledging) leaves it. */
async function leaveInInbox(raw: Record<string, unknown>[]) {
  const receivedAt = new Date();
  const entries = raw.map((r) => {
    const parsed = parseMessage(r, { receivedAt });
    if (!parsed.ok) throw new Error(parsed.reason);
    return {
      sourceId: null,
      message: parsed.message,
      mapping: { canonicalEvent: null, category: null, intent: null },
    };
  });
  const [row] = await q(
    `INSERT INTO event_inbox (workspace_id, events, entries) VALUES ($1, $2, $3) RETURNING id`,
    [ws.workspaceId, entries.length, encodeEntries(entries)],
  );
  return row.id as string;
}

const eventsNamed = async (event: string) =>
  (
    await q(`SELECT count(*)::int AS n FROM events WHERE workspace_id = $1 AND event = $2`, [
      ws.workspaceId,
      event,
    ])
  )[0].n as number;

describe('the event resolver', () => {
  it('resolves what another process left in the inbox without being told', async () => {
    await leaveInInbox([
      { type: 'track', userId: 'left-1', event: 'Left Behind' },
      { type: 'track', userId: 'left-2', event: 'Left Behind' },
    ]);
    expect(await until(async () => (await eventsNamed('Left Behind')) === 2)).toBe(true);
    expect(await q(`SELECT count(*)::int AS n FROM event_inbox`)).toEqual([{ n: 0 }]);
    const people = await q(
      `SELECT count(DISTINCT profile_id)::int AS n FROM events WHERE workspace_id = $1 AND event = 'Left Behind'`,
      [ws.workspaceId],
    );
    expect(people).toEqual([{ n: 2 }]);
  });

  it('sets aside a message the database refuses, with the reason, and stores the rest of its batch', async () => {
    const res = await track([
      { type: 'track', userId: 'nul-1', event: 'Around Poison' },
      { type: 'track', userId: 'nul-2', event: 'Poison', properties: { note: 'a\u0000b' } },
      { type: 'track', userId: 'nul-3', event: 'Around Poison' },
    ]);
    expect(res.accepted).toBe(3);
    await api.eventsResolved();
    expect(await eventsNamed('Around Poison')).toBe(2);
    expect(await eventsNamed('Poison')).toBe(0);
    const [rejection] = await q(
      `SELECT reason, payload FROM event_rejections WHERE workspace_id = $1 ORDER BY id DESC LIMIT 1`,
      [ws.workspaceId],
    );
    expect(rejection.reason).toMatch(/^accepted but could not be stored: .*Unicode/);
    expect(rejection.payload).toContain('nul-2');
    expect(await q(`SELECT count(*)::int AS n FROM event_inbox`)).toEqual([{ n: 0 }]);
  });

  it('does not bring back a person erased while their messages waited in the inbox', async () => {
    await track([{ type: 'identify', userId: 'erin', traits: { email: 'erin@initech.com' } }]);
    await api.eventsResolved();
    const erased = await admin.post(`/api/workspaces/${ws.workspaceId}/privacy/erasures`, { userId: 'erin' });
    expect(erased.status).toBe(201);
    await leaveInInbox([
      { type: 'track', userId: 'erin', event: 'Accepted Before Erasure' },
      { type: 'track', userId: 'frank', event: 'Accepted Before Erasure' },
    ]);
    expect(await until(async () => (await eventsNamed('Accepted Before Erasure')) === 1)).toBe(true);
    await until(async () => (await q(`SELECT count(*)::int AS n FROM event_inbox`))[0].n === 0);
    expect(await q(`SELECT count(*)::int AS n FROM identities WHERE value = 'erin'`)).toEqual([{ n: 0 }]);
    expect(
      await q(`SELECT user_id FROM events WHERE workspace_id = $1 AND event = 'Accepted Before Erasure'`, [
        ws.workspaceId,
      ]),
    ).toEqual([{ user_id: 'frank' }]);
  });

  it('keeps resolving while requests never pause, and catches up when they stop', async () => {
    const senders = 8;
    let sent = 0;
    let streaming = true;
    let resolvedMidStream = -1;
    const send = async () => {
      while (streaming) {
        const batch = Array.from({ length: 100 }, (_, i) => ({
          type: 'track',
          anonymousId: `stream-${i}`,
          event: 'Stream',
        }));
        const { accepted } = await track(batch);
        sent += accepted;
      }
    };
    const sending = Promise.all(Array.from({ length: senders }, send));
    await new Promise((r) => setTimeout(r, 2_500));
    resolvedMidStream = await eventsNamed('Stream');
    streaming = false;
    await sending;
    // Giving way to acknowledgements never means standing still: at least a batch a second goes through.
    expect(resolvedMidStream).toBeGreaterThan(0);
    await api.eventsResolved();
    expect(await eventsNamed('Stream')).toBe(sent);
  });

  it('shows its members what waits to be resolved, and only their workspace', async () => {
    const other = await seedWorkspace(api.ds, 'Elsewhere', ['admin']);
    const otherAdmin = new HttpClient(api.url);
    await otherAdmin.signIn(other.users['admin']!.email, PASSWORD);
    // A row another resolver is working on stays waiting until its transaction ends: hold one like that.
    const holder = api.ds.createQueryRunner();
    await holder.connect();
    try {
      for (;;) {
        const id = await leaveInInbox([
          { type: 'track', userId: 'held-1', event: 'Held' },
          { type: 'track', userId: 'held-2', event: 'Held' },
        ]);
        await holder.startTransaction();
        const held = await holder.query(`SELECT id FROM event_inbox WHERE id = $1 FOR UPDATE SKIP LOCKED`, [
          id,
        ]);
        if (held.length) break;
        await holder.rollbackTransaction();
      }
      const inbox = await admin.get(`/api/workspaces/${ws.workspaceId}/events/inbox`);
      expect(inbox.status).toBe(200);
      expect(inbox.body.waiting).toBe(2);
      expect(Date.now() - Date.parse(inbox.body.oldestReceivedAt)).toBeLessThan(60_000);
      const metrics = await (await fetch(`${api.url}/metrics`)).text();
      expect(metrics).toMatch(/^cairn_event_inbox_events 2$/m);
      expect(metrics).toMatch(/^cairn_event_inbox_lag_seconds \d/m);
      expect((await otherAdmin.get(`/api/workspaces/${other.workspaceId}/events/inbox`)).body).toEqual({
        waiting: 0,
        oldestReceivedAt: null,
      });
      expect((await otherAdmin.get(`/api/workspaces/${ws.workspaceId}/events/inbox`)).status).toBe(404);
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
    }
    await until(
      async () => (await admin.get(`/api/workspaces/${ws.workspaceId}/events/inbox`)).body.waiting === 0,
    );
  });
});

describe('a sustained overload', () => {
  let slow: TestApi;
  let key: string;
  let workspaceId: string;

  beforeAll(async () => {
    // A lag bound of 50 ms: the overload is reached within the test's first second.
    slow = await startTestApi({ CAIRN_INGEST_MAX_LAG_SECONDS: '0.05' });
    const seeded = await seedWorkspace(slow.ds, 'Overloaded', ['admin']);
    workspaceId = seeded.workspaceId;
    const client = new HttpClient(slow.url);
    await client.signIn(seeded.users['admin']!.email, PASSWORD);
    key = (await client.post(`/api/workspaces/${workspaceId}/sources`, { name: 'Web' })).body.writeKey;
  });
  afterAll(() => slow?.close());

  it('slows acknowledgements to the pace of resolution instead of growing the inbox', async () => {
    let streaming = true;
    let sent = 0;
    let mostWaiting = 0;
    const send = async (sender: number) => {
      while (streaming) {
        await trackBatch(
          slow.url,
          key,
          Array.from({ length: 100 }, (_, i) => ({
            type: 'page',
            anonymousId: `s${sender}-${i}`,
            properties: { url: 'https://acme.com/pricing' },
          })),
        );
        sent += 100;
      }
    };
    const sending = Promise.all(Array.from({ length: 8 }, (_, i) => send(i)));
    const until = Date.now() + 3_000;
    while (Date.now() < until) {
      const [row] = await slow.ds.query(
        `SELECT COALESCE(sum(events), 0)::int AS n FROM event_inbox WHERE workspace_id = $1`,
        [workspaceId],
      );
      mostWaiting = Math.max(mostWaiting, row.n);
      await new Promise((r) => setTimeout(r, 100));
    }
    streaming = false;
    await sending;
    // Eight senders acknowledged at full speed would leave tens of thousands waiting after three seconds; paced,
    // the inbox holds about what is being resolved and what was admitted against it.
    expect(sent).toBeGreaterThan(4_000);
    expect(mostWaiting).toBeLessThan(8_000);
    await slow.eventsResolved();
    const [stored] = await slow.ds.query(`SELECT count(*)::int AS n FROM events WHERE workspace_id = $1`, [
      workspaceId,
    ]);
    expect(stored.n).toBe(sent);
  });
});
