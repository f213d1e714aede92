import { Analytics } from '@segment/analytics-node';
import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, seedWorkspace, startTestApi, type TestApi } from '../support/api';
import { HttpClient } from '../support/http-client';

let api: TestApi;
let ws: Awaited<ReturnType<typeof seedWorkspace>>;
let admin: HttpClient;
let writeKey: string;
let sourceId: string;

const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

async function post(path: string, body: unknown, key = writeKey, headers: Record<string, string> = {}) {
  const res = await fetch(`${api.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: basic(key), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => undefined)) as any };
}

// What PostgreSQL holds once the inbox has been resolved: a 200 means durable, the events follow moments later.
const q = async <T = any>(sql: string, params: unknown[] = []): Promise<T[]> => {
  await api.eventsResolved();
  return api.ds.query(sql, params);
};

beforeAll(async () => {
  api = await startTestApi();
  ws = await seedWorkspace(api.ds, 'Tracked', ['admin', 'marketer']);
  admin = new HttpClient(api.url);
  await admin.signIn(ws.users['admin']!.email, PASSWORD);
  const created = await admin.post(`/api/workspaces/${ws.workspaceId}/sources`, { name: 'Website' });
  expect(created.status).toBe(201);
  writeKey = created.body.writeKey;
  sourceId = created.body.id;
});
afterAll(() => api?.close());

describe('the real @segment/analytics-node client', () => {
  it('delivers identify, track, page and group calls that land as one profile with its account', async () => {
    const analytics = new Analytics({ writeKey, host: api.url, flushAt: 20, flushInterval: 50 });
    const errors: unknown[] = [];
    analytics.on('error', (e) => errors.push(e));
    const anonymousId = `anon-${randomUUID()}`;
    analytics.page({ anonymousId, name: 'Pricing', properties: { url: 'https://acme.com/pricing' } });
    analytics.page({ anonymousId, name: 'Docs', properties: { url: 'https://acme.com/docs/start' } });
    analytics.identify({
      anonymousId,
      userId: 'user-ann',
      traits: { email: 'Ann@Initech.com', plan: 'trial' },
    });
    analytics.track({ userId: 'user-ann', event: 'Trial Started', properties: { seats: 3 } });
    analytics.group({
      userId: 'user-ann',
      groupId: 'initech',
      traits: { name: 'Initech', website: 'https://www.initech.com' },
    });
    await analytics.closeAndFlush({ timeout: 10_000 });
    expect(errors).toEqual([]);

    const events = await q(
      `SELECT type, canonical_event, category, intent, profile_id FROM events WHERE workspace_id = $1 AND (anonymous_id = $2 OR user_id = 'user-ann') ORDER BY "timestamp"`,
      [ws.workspaceId, anonymousId],
    );
    expect(events.map((e) => [e.type, e.canonical_event, e.category, e.intent])).toEqual([
      ['page', 'Viewed Pricing', 'pricing', 'evaluation'],
      ['page', 'Read Docs', 'docs', 'educational'],
      ['identify', null, null, null],
      ['track', 'Trial Started', 'product', 'purchase'],
      ['group', null, null, null],
    ]);
    expect(new Set(events.map((e) => e.profile_id)).size).toBe(1);
    const [profile] = await q(
      `SELECT p.email, p.traits, a.name AS account, a.domain FROM profiles p LEFT JOIN accounts a ON a.id = p.account_id WHERE p.id = $1`,
      [events[0].profile_id],
    );
    expect(profile).toMatchObject({ email: 'ann@initech.com', account: 'Initech', domain: 'initech.com' });
    expect(profile.traits).toMatchObject({ plan: 'trial' });
    const identities = await q(`SELECT kind, value FROM identities WHERE profile_id = $1 ORDER BY kind`, [
      events[0].profile_id,
    ]);
    expect(identities).toEqual([
      { kind: 'anonymous_id', value: anonymousId },
      { kind: 'email', value: 'ann@initech.com' },
      { kind: 'user_id', value: 'user-ann' },
    ]);
    const accounts = await admin.get(`/api/workspaces/${ws.workspaceId}/accounts`);
    const initech = accounts.body.find((a: { name: string }) => a.name === 'Initech');
    expect(initech).toMatchObject({ domain: 'initech.com', groupId: 'initech', people: 1 });
    const detail = await admin.get(`/api/workspaces/${ws.workspaceId}/accounts/${initech.id}`);
    expect(detail.body.members).toEqual([
      expect.objectContaining({ id: events[0].profile_id, email: 'ann@initech.com' }),
    ]);
  });

  it('stores each messageId once, also across requests', async () => {
    const messageId = `dup-${randomUUID()}`;
    const msg = { type: 'track', event: 'Signed Up', userId: 'dup-user', messageId };
    const first = await post('/v1/batch', { batch: [msg, msg] });
    const second = await post('/v1/batch', { batch: [msg] });
    expect(first.body).toMatchObject({ success: true, accepted: 1, duplicates: 1 });
    // A repeat of an earlier request is known only when resolved, in the transaction that writes the events.
    expect(second.body).toMatchObject({ accepted: 1, duplicates: 0 });
    const rows = await q(`SELECT count(*)::int AS n FROM events WHERE message_id = $1`, [messageId]);
    expect(rows[0].n).toBe(1);
  });
});

describe('Segment limits and answers', () => {
  it('refuses an unknown write key with 401, in the header or in the body', async () => {
    expect((await post('/v1/track', { event: 'X', userId: 'u' }, 'cw_nope')).status).toBe(401);
    const res = await fetch(`${api.url}/v1/track`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ writeKey: 'cw_nope', event: 'X', userId: 'u' }),
    });
    expect(res.status).toBe(401);
    const ok = await fetch(`${api.url}/v1/track`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ writeKey, event: 'Body Key', userId: 'u-body' }),
    });
    expect(ok.status).toBe(200);
  });

  it('answers malformed JSON with 400 and says why', async () => {
    const res = await post('/v1/batch', '{"batch": [');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('events.invalid_json');
    expect(res.body.error.message).toMatch(/not valid JSON/);
  });

  it('enforces 500 KB per batch and 2,500 messages per batch, naming the limit', async () => {
    const big = {
      batch: Array.from({ length: 20 }, (_, i) => ({
        type: 'track',
        event: 'X',
        userId: `u${i}`,
        properties: { pad: 'x'.repeat(30_000) },
      })),
    };
    const tooBig = await post('/v1/batch', big);
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.error.message).toMatch(/limit is 512000 \(500 KB\)/);
    const many = {
      batch: Array.from({ length: 2501 }, (_, i) => ({ type: 'track', event: 'X', userId: `u${i}` })),
    };
    const tooMany = await post('/v1/batch', many);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toMatch(/limit is 2500/);
    const rows = await q(`SELECT count(*)::int AS n FROM events WHERE user_id = 'u2500'`);
    expect(rows[0].n).toBe(0);
  });

  it('stores the valid messages of a batch and records the invalid ones with their reason', async () => {
    const res = await post('/v1/batch', {
      batch: [
        { type: 'track', event: 'Good One', userId: 'mixed-user' },
        { type: 'track', userId: 'mixed-user' },
        { type: 'track', event: 'Huge', userId: 'mixed-user', properties: { pad: 'x'.repeat(33_000) } },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(1);
    expect(res.body.rejected.map((r: { index: number }) => r.index)).toEqual([1, 2]);
    const rejections = await q(
      `SELECT reason FROM event_rejections WHERE workspace_id = $1 ORDER BY id DESC LIMIT 2`,
      [ws.workspaceId],
    );
    expect(rejections.map((r) => r.reason).join(' | ')).toMatch(
      /track needs a non-empty event name[\s\S]*32 KB|32 KB[\s\S]*track needs/,
    );
  });

  it('answers an invalid single call with 400 naming the field', async () => {
    const res = await post('/v1/identify', { traits: { email: 'x@y.z' } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'events.invalid_message',
      message: 'userId or anonymousId is required',
    });
  });

  it('corrects the sender clock skew', async () => {
    const receivedBefore = Date.now();
    const sentAt = new Date(receivedBefore + 3_600_000); // sender's clock is an hour fast
    const original = new Date(sentAt.getTime() - 10_000); // event happened 10 s before sending
    const messageId = `skew-${randomUUID()}`;
    await post('/v1/batch', {
      sentAt: sentAt.toISOString(),
      batch: [
        { type: 'track', event: 'Skewed', userId: 'skew', messageId, timestamp: original.toISOString() },
      ],
    });
    const [row] = await q(`SELECT "timestamp", received_at FROM events WHERE message_id = $1`, [messageId]);
    const expected = new Date(row.received_at).getTime() - 10_000;
    expect(new Date(row.timestamp).getTime()).toBe(expected);
    expect(Math.abs(new Date(row.timestamp).getTime() - receivedBefore)).toBeLessThan(60_000);
  });

  it('stops accepting a rotated or revoked key at once', async () => {
    const created = await admin.post(`/api/workspaces/${ws.workspaceId}/sources`, { name: 'Temp' });
    const oldKey = created.body.writeKey;
    expect((await post('/v1/track', { event: 'A', userId: 'r' }, oldKey)).status).toBe(200);
    const rotated = await admin.post(`/api/workspaces/${ws.workspaceId}/sources/${created.body.id}/rotate`);
    expect(rotated.status).toBe(200);
    expect((await post('/v1/track', { event: 'B', userId: 'r' }, oldKey)).status).toBe(401);
    expect((await post('/v1/track', { event: 'C', userId: 'r' }, rotated.body.writeKey)).status).toBe(200);
    expect((await admin.delete(`/api/workspaces/${ws.workspaceId}/sources/${created.body.id}`)).status).toBe(
      204,
    );
    expect((await post('/v1/track', { event: 'D', userId: 'r' }, rotated.body.writeKey)).status).toBe(401);
  });

  it('keeps write keys out of the database and shows them once', async () => {
    const rows = await q(
      `SELECT write_key_hash, write_key_hint, webhook_secret_enc FROM segment_sources WHERE id = $1`,
      [sourceId],
    );
    expect(rows[0].write_key_hash).not.toContain(writeKey);
    expect(JSON.stringify(rows)).not.toContain(writeKey);
    const list = await admin.get(`/api/workspaces/${ws.workspaceId}/sources`);
    expect(JSON.stringify(list.body)).not.toContain(writeKey);
  });
});

describe('identity resolution', () => {
  it('merges two profiles when an alias joins them, moving their events and recording it', async () => {
    await post('/v1/batch', {
      batch: [
        { type: 'track', event: 'Viewed A', anonymousId: 'device-1' },
        { type: 'track', event: 'Viewed B', userId: 'bob' },
      ],
    });
    const before = await q(
      `SELECT DISTINCT profile_id FROM events WHERE anonymous_id = 'device-1' OR user_id = 'bob'`,
    );
    expect(before).toHaveLength(2);
    await post('/v1/alias', { previousId: 'device-1', userId: 'bob' });
    const after = await q(
      `SELECT DISTINCT profile_id FROM events WHERE anonymous_id = 'device-1' OR user_id = 'bob'`,
    );
    expect(after).toHaveLength(1);
    const merges = await q(
      `SELECT from_profile_id, into_profile_id FROM profile_merges WHERE workspace_id = $1`,
      [ws.workspaceId],
    );
    expect(merges.some((m) => m.into_profile_id === after[0].profile_id)).toBe(true);
    const [loser] = await q(`SELECT merged_into FROM profiles WHERE id = $1`, [
      merges.at(-1).from_profile_id,
    ]);
    expect(loser.merged_into).toBe(after[0].profile_id);
  });

  it('resolves concurrent requests about the same new people to one profile each', async () => {
    const run = randomUUID().slice(0, 8);
    const people = [0, 1, 2, 3, 4, 5, 6, 7].map((p) => ({
      anonymousId: `race-${run}-anon-${p}`,
      userId: `race-${run}-user-${p}`,
      email: `race-${run}-${p}@example.com`,
    }));
    // Each request links two of a person's three identifiers, so only a shared view of earlier commits
    // (identity locks, then lookup) keeps every person in one profile.
    const requests = Array.from({ length: 96 }, (_, n) => {
      const p = people[n % people.length]!;
      const pair = n % 3;
      return post('/v1/batch', {
        batch: [
          pair === 0
            ? { type: 'track', event: 'Race', anonymousId: p.anonymousId, userId: p.userId }
            : pair === 1
              ? { type: 'identify', userId: p.userId, traits: { email: p.email } }
              : { type: 'identify', anonymousId: p.anonymousId, traits: { email: p.email } },
        ],
      });
    });
    for (const res of await Promise.all(requests)) expect(res.status).toBe(200);
    const rows = await q<{ value: string; profile_id: string; merged_into: string | null }>(
      `SELECT i.value, i.profile_id, p.merged_into FROM identities i JOIN profiles p ON p.id = i.profile_id
        WHERE i.workspace_id = $1 AND i.value LIKE $2`,
      [ws.workspaceId, `race-${run}-%`],
    );
    expect(rows).toHaveLength(24);
    expect(rows.every((r) => r.merged_into === null)).toBe(true);
    for (const p of people) {
      const ids = rows.filter((r) => Object.values(p).includes(r.value)).map((r) => r.profile_id);
      expect(new Set(ids).size).toBe(1);
    }
    const events = await q<{ profiles: number; n: number }>(
      `SELECT count(DISTINCT e.profile_id)::int AS profiles, count(*)::int AS n
         FROM events e JOIN profiles p ON p.id = e.profile_id
        WHERE e.workspace_id = $1 AND (e.user_id LIKE $2 OR e.anonymous_id LIKE $2) AND p.merged_into IS NULL`,
      [ws.workspaceId, `race-${run}-%`],
    );
    expect(events[0]).toEqual({ profiles: 8, n: 96 });
    // Merging duplicates afterwards would also end in one profile each; none may have been made.
    const merges = await q(`SELECT 1 FROM profile_merges WHERE into_profile_id = ANY($1::uuid[])`, [
      rows.map((r) => r.profile_id),
    ]);
    expect(merges).toHaveLength(0);
  });

  it('records denied consent on the profile', async () => {
    await post('/v1/identify', {
      userId: 'private-pat',
      context: { consent: { categoryPreferences: { Analytics: false } } },
    });
    const [p] = await q(
      `SELECT p.consent FROM profiles p JOIN identities i ON i.profile_id = p.id WHERE i.kind = 'user_id' AND i.value = 'private-pat'`,
    );
    expect(p.consent).toBe('denied');
  });

  it('keeps workspaces apart: the same userId in another workspace is another person', async () => {
    const other = await seedWorkspace(api.ds, 'Other', ['admin']);
    const c = new HttpClient(api.url);
    await c.signIn(other.users['admin']!.email, PASSWORD);
    const otherKey = (await c.post(`/api/workspaces/${other.workspaceId}/sources`, { name: 'W' })).body
      .writeKey;
    await post('/v1/track', { event: 'Hello', userId: 'user-ann' }, otherKey);
    const profiles = await q(
      `SELECT DISTINCT workspace_id FROM identities WHERE kind = 'user_id' AND value = 'user-ann'`,
    );
    expect(profiles.map((p) => p.workspace_id).sort()).toEqual([ws.workspaceId, other.workspaceId].sort());
    // And one workspace's marketer cannot list the other's sources.
    const marketer = new HttpClient(api.url);
    await marketer.signIn(ws.users['marketer']!.email, PASSWORD);
    expect((await marketer.get(`/api/workspaces/${other.workspaceId}/sources`)).status).toBe(404);
  });
});

describe('Segment webhook destination', () => {
  it('accepts single and batched deliveries signed with the source secret, and refuses bad signatures', async () => {
    const { body } = await admin.get(`/api/workspaces/${ws.workspaceId}/sources/${sourceId}/webhook-secret`);
    const secret: string = body.secret;
    const sign = (payload: string) => createHmac('sha1', secret).update(payload).digest('hex');
    const single = JSON.stringify({
      type: 'track',
      event: 'Webinar Attended',
      userId: 'hook-user',
      messageId: `wh-${randomUUID()}`,
    });
    const ok = await post(`/v1/webhook/${sourceId}`, single, writeKey, { 'x-signature': sign(single) });
    expect(ok.status).toBe(200);
    expect(ok.body.accepted).toBe(1);
    const batch = JSON.stringify([
      { type: 'track', event: 'Email Opened', userId: 'hook-user' },
      { type: 'page', name: 'Blog', userId: 'hook-user', properties: { url: 'https://a.co/blog/x' } },
    ]);
    expect(
      (await post(`/v1/webhook/${sourceId}`, batch, writeKey, { 'x-signature': sign(batch) })).body.accepted,
    ).toBe(2);
    const forged = await post(`/v1/webhook/${sourceId}`, batch, writeKey, {
      'x-signature': sign(batch + ' '),
    });
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('events.bad_signature');
    const rows = await q(
      `SELECT canonical_event FROM events WHERE user_id = 'hook-user' ORDER BY canonical_event`,
    );
    expect(rows.map((r) => r.canonical_event)).toEqual([
      'Email Opened',
      'Read Blog Post',
      'Webinar Attended',
    ]);
  });
});
