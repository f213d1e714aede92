import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeEntries } from '../../src/modules/events/inbox-entry';
import { parseMessage } from '../../src/modules/segment/segment-message';
import { PASSWORD, seedWorkspace, startTestApi, type TestApi } from '../support/api';
import { HttpClient } from '../support/http-client';

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

async function track(batch: unknown[]) {
  const res = await fetch(`${api.url}/v1/batch`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
    },
    body: JSON.stringify({ batch }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { accepted: number };
}

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
  await q(`INSERT INTO event_inbox (workspace_id, events, entries) VALUES ($1, $2, $3)`, [
    ws.workspaceId,
    entries.length,
    encodeEntries(entries),
  ]);
}

async function eventually<T>(probe: () => Promise<T | false>): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const found = await probe();
    if (found) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('not reached within 5 s');
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
    expect(await eventually(async () => (await eventsNamed('Left Behind')) === 2)).toBe(true);
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
    expect(await eventually(async () => (await eventsNamed('Accepted Before Erasure')) === 1)).toBe(true);
    await eventually(async () => (await q(`SELECT count(*)::int AS n FROM event_inbox`))[0].n === 0);
    expect(await q(`SELECT count(*)::int AS n FROM identities WHERE value = 'erin'`)).toEqual([{ n: 0 }]);
    expect(
      await q(`SELECT user_id FROM events WHERE workspace_id = $1 AND event = 'Accepted Before Erasure'`, [
        ws.workspaceId,
      ]),
    ).toEqual([{ user_id: 'frank' }]);
  });
});
