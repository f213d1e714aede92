import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, seedWorkspace, startTestApi, type TestApi } from '../support/api';
import { HttpClient } from '../support/http-client';
import { trackBatch } from '../support/tracking';

let api: TestApi;
let ws: Awaited<ReturnType<typeof seedWorkspace>>;
let admin: HttpClient;
let marketer: HttpClient;
let sales: HttpClient;
let writeKey: string;
const base = () => `/api/workspaces/${ws.workspaceId}`;

async function track(batch: unknown[], key = writeKey) {
  const result = await trackBatch(api.url, key, batch);
  await api.eventsResolved();
  return result;
}

beforeAll(async () => {
  api = await startTestApi();
  ws = await seedWorkspace(api.ds, 'Journeys', ['admin', 'marketer', 'sales']);
  admin = new HttpClient(api.url);
  marketer = new HttpClient(api.url);
  sales = new HttpClient(api.url);
  await admin.signIn(ws.users['admin']!.email, PASSWORD);
  await marketer.signIn(ws.users['marketer']!.email, PASSWORD);
  await sales.signIn(ws.users['sales']!.email, PASSWORD);
  writeKey = (await admin.post(`${base()}/sources`, { name: 'Site' })).body.writeKey;
  await track([
    {
      type: 'page',
      anonymousId: 'v-1',
      name: 'Pricing',
      properties: { url: 'https://acme.com/pricing' },
      timestamp: '2026-11-20T10:00:00Z',
    },
    {
      type: 'identify',
      anonymousId: 'v-1',
      userId: 'carla',
      traits: { email: 'carla@globex.com', name: 'Carla Diaz' },
      timestamp: '2026-11-20T10:01:00Z',
    },
    { type: 'track', userId: 'carla', event: 'Demo Requested', timestamp: '2026-11-20T10:02:00Z' },
    {
      type: 'page',
      anonymousId: 'v-2',
      name: 'Blog',
      properties: { url: 'https://acme.com/blog/a' },
      timestamp: '2026-11-21T09:00:00Z',
    },
    { type: 'track', userId: 'x', timestamp: '2026-11-21T09:00:00Z' },
  ]);
});
afterAll(() => api?.close());

describe('event debugger', () => {
  it('shows the latest events with their mapping, newest first, and the rejected ones with reasons', async () => {
    const recent = await marketer.get(`${base()}/events/recent?limit=10`);
    expect(recent.status).toBe(200);
    expect(recent.body.map((e: { canonicalEvent: string }) => e.canonicalEvent)).toEqual([
      'Read Blog Post',
      'Demo Requested',
      null,
      'Viewed Pricing',
    ]);
    const rejected = await marketer.get(`${base()}/events/rejections`);
    expect(rejected.body[0].reason).toBe('track needs a non-empty event name');
    expect(rejected.body[0].payload).toContain('"userId":"x"');
    expect((await sales.get(`${base()}/events/recent`)).status).toBe(403);
  });
});

describe('profiles', () => {
  it('lists people, finds them by email or id, and shows one with identities and timeline', async () => {
    const all = await sales.get(`${base()}/profiles`);
    expect(all.status).toBe(200);
    expect(all.body).toHaveLength(2);
    const found = await sales.get(`${base()}/profiles?q=globex`);
    expect(found.body).toHaveLength(1);
    expect(found.body[0]).toMatchObject({
      email: 'carla@globex.com',
      name: 'Carla Diaz',
      consent: 'unknown',
    });
    expect((await sales.get(`${base()}/profiles?q=v-2`)).body).toHaveLength(1);

    const id = found.body[0].id;
    const profile = await sales.get(`${base()}/profiles/${id}`);
    expect(profile.body.identities.map((i: { kind: string }) => i.kind).sort()).toEqual([
      'anonymous_id',
      'email',
      'user_id',
    ]);
    expect(profile.body.firstSeenAt).toBe('2026-11-20T10:00:00.000Z');
    const timeline = await sales.get(`${base()}/profiles/${id}/events?limit=2`);
    expect(timeline.body.map((e: { type: string }) => e.type)).toEqual(['track', 'identify']);
    const older = await sales.get(
      `${base()}/profiles/${id}/events?before=${encodeURIComponent(timeline.body[1].timestamp)}`,
    );
    expect(older.body.map((e: { canonicalEvent: string }) => e.canonicalEvent)).toEqual(['Viewed Pricing']);
    expect((await sales.get(`${base()}/profiles/00000000-0000-4000-8000-000000000009`)).status).toBe(404);
    expect((await sales.get(`${base()}/profiles/${id}/events?before=yesterday`)).status).toBe(400);
  });
});

describe('taxonomy', () => {
  it('starts on the defaults, previews a draft without saving, then saves it for new events', async () => {
    const initial = await marketer.get(`${base()}/taxonomy`);
    expect(initial.body.isDefault).toBe(true);
    const draft = [
      {
        matchKind: 'url',
        pattern: '*/blog*',
        canonicalEvent: 'Read Article',
        category: 'content',
        intent: 'educational',
      },
      ...initial.body.rules,
    ];
    const preview = await marketer.post(`${base()}/taxonomy/preview`, { rules: draft });
    expect(preview.status).toBe(200);
    const blog = preview.body.find((r: { url: string }) => r.url?.includes('/blog'));
    expect(blog.current.canonicalEvent).toBe('Read Blog Post');
    expect(blog.proposed).toEqual({
      canonicalEvent: 'Read Article',
      category: 'content',
      intent: 'educational',
    });
    expect((await marketer.get(`${base()}/taxonomy`)).body.isDefault).toBe(true);

    const bad = await marketer.request('PUT', `${base()}/taxonomy`, {
      rules: [{ ...draft[0], intent: 'curiosity' }],
    });
    expect(bad.status).toBe(400);
    const saved = await marketer.request('PUT', `${base()}/taxonomy`, { rules: draft });
    expect(saved.status).toBe(200);
    expect(saved.body.isDefault).toBe(false);
    expect(saved.body.rules[0].canonicalEvent).toBe('Read Article');
    await track([{ type: 'page', anonymousId: 'v-3', properties: { url: 'https://acme.com/blog/b' } }]);
    const [row] = await api.ds.query(
      `SELECT canonical_event, category FROM events WHERE anonymous_id = 'v-3'`,
    );
    expect(row).toEqual({ canonical_event: 'Read Article', category: 'content' });
    expect((await sales.request('PUT', `${base()}/taxonomy`, { rules: draft })).status).toBe(403);
  });
});

describe('erasure', () => {
  it('deletes a person everywhere, logs it, and keeps their later events out', async () => {
    const target = (await admin.get(`${base()}/profiles?q=carla`)).body[0];
    expect((await marketer.post(`${base()}/privacy/erasures`, { email: 'carla@globex.com' })).status).toBe(
      403,
    );
    expect(
      (await admin.post(`${base()}/privacy/erasures`, { email: 'carla@globex.com', userId: 'carla' })).status,
    ).toBe(400);
    const erased = await admin.post(`${base()}/privacy/erasures`, { email: 'Carla@Globex.com' });
    expect(erased.status).toBe(201);
    expect(erased.body).toMatchObject({
      profileId: target.id,
      status: 'completed',
      requestedBy: ws.users['admin']!.email,
      deleted: { events: 3, identities: 3, profiles: 1 },
    });
    const left = await api.ds.query(
      `SELECT (SELECT count(*)::int FROM events WHERE profile_id = $1) AS events,
              (SELECT count(*)::int FROM identities WHERE profile_id = $1) AS identities,
              (SELECT count(*)::int FROM profiles WHERE id = $1) AS profiles`,
      [target.id],
    );
    expect(left[0]).toEqual({ events: 0, identities: 0, profiles: 0 });
    expect((await admin.get(`${base()}/profiles/${target.id}`)).status).toBe(404);

    const again = await track([
      { type: 'track', userId: 'carla', event: 'Came Back' },
      { type: 'track', userId: 'dora', event: 'New Here' },
    ]);
    expect(again.accepted).toBe(1);
    const carla = await api.ds.query(`SELECT count(*)::int AS n FROM identities WHERE value = 'carla'`);
    expect(carla[0].n).toBe(0);

    const log = await admin.get(`${base()}/privacy/erasures`);
    expect(log.body[0]).toMatchObject({ id: erased.body.id, requestedBy: ws.users['admin']!.email });
    expect(JSON.stringify(log.body)).not.toContain('carla@globex.com');
    expect((await admin.post(`${base()}/privacy/erasures`, { email: 'nobody@x.io' })).status).toBe(404);
  });
});
