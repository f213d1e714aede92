import { Analytics } from '@segment/analytics-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScoreChanges, type ScoreChange } from '../../src/modules/scoring/score-changes';
import { ScoringService } from '../../src/modules/scoring/scoring.service';
import { PASSWORD, seedWorkspace, startTestApi, type TestApi } from '../support/api';
import { HttpClient } from '../support/http-client';

let api: TestApi;
let ws: Awaited<ReturnType<typeof seedWorkspace>>;
let admin: HttpClient;
let sales: HttpClient;
let writeKey: string;
/** A second workspace whose Segment source receives the events Cairn sends out. */
let receiver: string;
const published: ScoreChange[] = [];

const q = <T = any>(sql: string, params: unknown[] = []): Promise<T[]> => api.ds.query(sql, params);

beforeAll(async () => {
  api = await startTestApi();
  ws = await seedWorkspace(api.ds, 'Scored', ['admin', 'sales']);
  admin = new HttpClient(api.url);
  await admin.signIn(ws.users['admin']!.email, PASSWORD);
  sales = new HttpClient(api.url);
  await sales.signIn(ws.users['sales']!.email, PASSWORD);
  writeKey = (await admin.post(`/api/workspaces/${ws.workspaceId}/sources`, { name: 'Web' })).body.writeKey;
  const other = await seedWorkspace(api.ds, 'Receiver', ['admin']);
  receiver = other.workspaceId;
  const otherAdmin = new HttpClient(api.url);
  await otherAdmin.signIn(other.users['admin']!.email, PASSWORD);
  const receiverKey = (await otherAdmin.post(`/api/workspaces/${receiver}/sources`, { name: 'From Cairn' }))
    .body.writeKey;
  await admin.put(`/api/workspaces/${ws.workspaceId}/outbound/segment`, {
    writeKey: receiverKey,
    host: api.url,
    enabled: true,
  });
  api.app.get(ScoreChanges).subscribe('test', async (_ws, changes) => {
    published.push(...changes);
  });
});
afterAll(() => api?.close());

async function send(calls: (a: Analytics) => void) {
  const analytics = new Analytics({ writeKey, host: api.url, flushAt: 50, flushInterval: 20 });
  calls(analytics);
  await analytics.closeAndFlush();
  await api.eventsResolved();
}

describe('online scoring', () => {
  it('moves a person through the stages as their events arrive, storing each transition with its reason', async () => {
    const scoring = api.app.get(ScoringService);
    await send((a) =>
      a.page({ userId: 'ada', name: 'Blog', properties: { url: 'https://acme.test/blog/one' } }),
    );
    expect(await scoring.drainQueue()).toBe(1);
    const [profile] = await q(`SELECT profile_id AS id FROM identities WHERE value = 'ada'`);

    await send((a) => {
      a.page({ userId: 'ada', name: 'Pricing', properties: { url: 'https://acme.test/pricing' } });
      a.page({ userId: 'ada', name: 'Compare', properties: { url: 'https://acme.test/compare/x-vs-y' } });
    });
    // A burst of events queues the person once.
    expect(await q(`SELECT * FROM scoring_queue`)).toHaveLength(1);
    expect(await scoring.drainQueue()).toBe(1);
    await send((a) => a.track({ userId: 'ada', event: 'Demo Requested' }));
    await scoring.drainQueue();

    const transitions = await q(
      `SELECT from_stage, to_stage, reason FROM stage_transitions WHERE profile_id = $1 ORDER BY id`,
      [profile.id],
    );
    expect(transitions).toEqual([
      { from_stage: null, to_stage: 'aware', reason: 'Last active today' },
      {
        from_stage: 'aware',
        to_stage: 'evaluation',
        reason: '2 evaluation actions in the last 30 days; Viewed pricing 1 time in 30 days',
      },
      {
        from_stage: 'evaluation',
        to_stage: 'purchase_intent',
        reason: '1 purchase action in the last 30 days',
      },
    ]);
    // Without a trained model there is no risk yet, and the stage's reason stands in.
    const [score] = await q(`SELECT risk, reasons FROM profile_scores WHERE profile_id = $1`, [profile.id]);
    expect(score).toEqual({ risk: null, reasons: ['1 purchase action in the last 30 days'] });
    // Journeys and write-back are handed the change and the events that caused it. (The receiving workspace's
    // people, made by Cairn's own outbound events, are scored alongside: only Ada's changes are looked at.)
    const last = published.filter((c) => c.profileId === profile.id).at(-1)!;
    expect(last).toMatchObject({
      profileId: profile.id,
      stage: { from: 'evaluation', to: 'purchase_intent' },
      events: [{ event: 'Demo Requested' }],
    });

    // Other tools hear of each stage change through Segment (here: a second workspace's source in Cairn).
    await expect
      .poll(() =>
        q(`SELECT properties FROM events WHERE workspace_id = $1 AND event = 'Journey Stage Changed'`, [
          receiver,
        ]),
      )
      .toHaveLength(2);
    const sent = await q(
      `SELECT properties->>'to_stage' AS "to" FROM events WHERE workspace_id = $1 ORDER BY "timestamp"`,
      [receiver],
    );
    expect(sent.map((r) => r.to)).toEqual(['evaluation', 'purchase_intent']);

    const stages = await sales.get(`/api/workspaces/${ws.workspaceId}/intelligence/stages`);
    expect(stages.body.find((s: { key: string }) => s.key === 'purchase_intent').people).toBe(1);
    // The prospect list names the stage as the (default) stage rules do.
    const list = await sales.get(`/api/workspaces/${ws.workspaceId}/profiles?q=ada`);
    expect(list.body[0]).toMatchObject({ stage: 'purchase_intent', stageLabel: 'Purchase intent' });
  });

  it('never scores an opted-out person', async () => {
    await send((a) =>
      a.page({
        userId: 'bo',
        name: 'Pricing',
        properties: { url: 'https://acme.test/pricing' },
        context: { consent: { categoryPreferences: { analytics: false, advertising: false } } } as never,
      }),
    );
    await q(
      `UPDATE profiles SET consent = 'denied' WHERE id = (SELECT profile_id FROM identities WHERE value = 'bo')`,
    );
    await api.app.get(ScoringService).drainQueue();
    expect(
      await q(
        `SELECT * FROM profile_stages WHERE profile_id = (SELECT profile_id FROM identities WHERE value = 'bo')`,
      ),
    ).toEqual([]);
  });
});

describe('intelligence settings and the safety gate', () => {
  const url = () => `/api/workspaces/${ws.workspaceId}/intelligence`;

  it('validates stages and goal, and lets only marketers and admins change them', async () => {
    const current = (await admin.get(`${url()}/settings`)).body;
    expect(current.stages.map((s: { key: string }) => s.key)).toEqual([
      'aware',
      'engaged',
      'evaluation',
      'purchase_intent',
    ]);
    const { features: _features, ...body } = current;
    const twoStages = await admin.put(`${url()}/settings`, { ...body, stages: body.stages.slice(0, 2) });
    expect(twoStages.status).toBe(400);
    expect(twoStages.body.error.message).toMatch(/at least 3 stages/);
    const badGoal = await admin.put(`${url()}/settings`, { ...body, goal: { kind: 'stage', stage: 'nope' } });
    expect(badGoal.body.error.message).toMatch(/goal.stage: "nope" is not one of the stages/);
    expect((await sales.put(`${url()}/settings`, body)).status).toBe(403);
    const saved = await admin.put(`${url()}/settings`, { ...body, horizonDays: 21 });
    expect(saved.status).toBe(200);
    expect((await admin.get(`${url()}/settings`)).body.horizonDays).toBe(21);
  });

  it('refuses automatic action without an active model, and says why', async () => {
    const gate = await sales.get(`${url()}/model/gate?threshold=0.7`);
    expect(gate.body).toMatchObject({ allowed: false, precision: null, minPrecision: 0.8 });
    expect(gate.body.reason).toMatch(/No model is active/);
    expect((await sales.get(`${url()}/model/gate?threshold=7`)).status).toBe(400);
    const card = await sales.get(`${url()}/model`);
    expect(card.body).toMatchObject({ active: null, versions: [], retrainCron: '0 3 * * 1' });
  });
});
