/**
 * Every insights view on small hand-built workspaces whose numbers can be worked out on paper: seven journeys
 * through three stages for the funnel, paths, attribution, time to drop-off and what changed, and sixty people
 * with webinar / setup touchpoints for moments that matter.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wilsonInterval } from '../../src/insights/wilson';
import { EventPartitions } from '../../src/modules/events/event-partitions';
import { SummaryService } from '../../src/modules/insights/summary.service';
import { PASSWORD, seedWorkspace, startTestApi, type TestApi } from '../support/api';
import { HttpClient } from '../support/http-client';

let api: TestApi;
let marketer: HttpClient;
let sales: HttpClient;
let journeys: string;
let momentsWs: string;
const AS_OF = '2026-06-01T00:00:00.000Z';
const id: Record<string, string> = {};

const day = (d: string, h = 12) => `2026-${d}T${String(h).padStart(2, '0')}:00:00Z`;

async function person(workspaceId: string, traits: Record<string, unknown> = {}): Promise<string> {
  const pid = randomUUID();
  await api.ds.query(
    `INSERT INTO profiles (id, workspace_id, traits, first_seen_at, last_seen_at) VALUES ($1, $2, $3, now(), now())`,
    [pid, workspaceId, JSON.stringify(traits)],
  );
  return pid;
}

interface Ev {
  at: string;
  type?: string;
  event?: string;
  category?: string;
  context?: Record<string, unknown>;
  properties?: Record<string, unknown>;
}

async function events(workspaceId: string, profileId: string, list: Ev[]) {
  await new EventPartitions(api.ds).ensureFor(list.map((e) => new Date(e.at)));
  for (const e of list) {
    await api.ds.query(
      `INSERT INTO events (workspace_id, message_id, profile_id, type, event, canonical_event, category, "timestamp",
                           received_at, properties, context)
       VALUES ($1, $2, $3, $4, $5, $5, $6, $7, now(), $8, $9)`,
      [
        workspaceId,
        randomUUID(),
        profileId,
        e.type ?? 'track',
        e.event ?? null,
        e.category ?? null,
        e.at,
        JSON.stringify(e.properties ?? {}),
        JSON.stringify(e.context ?? {}),
      ],
    );
  }
}

async function visits(workspaceId: string, profileId: string, list: [string, string][]) {
  let from: string | null = null;
  for (const [stage, at] of list) {
    await api.ds.query(
      `INSERT INTO stage_transitions (workspace_id, profile_id, from_stage, to_stage, reason, at) VALUES ($1, $2, $3, $4, 'test', $5)`,
      [workspaceId, profileId, from, stage, at],
    );
    from = stage;
  }
  const [stage, at] = list[list.length - 1]!;
  await api.ds.query(
    `INSERT INTO profile_stages (profile_id, workspace_id, stage, stage_index, entered_at, reason) VALUES ($1, $2, $3, $4, $5, 'test')`,
    [profileId, workspaceId, stage, ['aware', 'engaged', 'evaluating'].indexOf(stage), at],
  );
}

async function settings(workspaceId: string, stages: { key: string; label: string }[], horizonDays: number) {
  await api.ds.query(
    `INSERT INTO intelligence_settings (workspace_id, stages, goal, horizon_days, min_precision, retrain_cron)
     VALUES ($1, $2, $3, $4, 0.5, '0 3 * * *')`,
    [
      workspaceId,
      JSON.stringify(stages),
      JSON.stringify({ kind: 'event', event: 'Trial Started' }),
      horizonDays,
    ],
  );
}

const google = {
  context: { page: { referrer: 'https://www.google.com/search?q=cairn', url: 'https://acme.com/' } },
};
const linkedin = { context: { campaign: { source: 'LinkedIn', medium: 'social' } } };
const newsletter = { context: { campaign: { source: 'newsletter', medium: 'email' } } };

/**
 * Seven journeys (asOf 1 June; drop-off = 30 days quiet, so before 2 May):
 *   P1 google     aware 04-01 → engaged 04-03 → evaluating 04-06, Trial Started 04-08   converted
 *   P2 google     aware 04-02 → engaged 04-04, last seen 04-05                           dropped at engaged
 *   P3 linkedin   aware 04-03 → engaged 04-07 → evaluating 04-09, Trial Started 04-10   converted
 *   P4 linkedin   aware 04-05, one visit                                                dropped at aware
 *   P5 direct     aware 05-20, last seen 05-25                                          active at aware
 *   P6 google     aware 04-10 → engaged 04-11, newsletter click 04-20, last seen 05-28  active at engaged
 *   P7 newsletter aware 04-12 → engaged 04-13 → evaluating 04-15, Trial Started 04-16   converted
 */
async function seedJourneys(ws: string) {
  await settings(
    ws,
    [
      { key: 'aware', label: 'Aware' },
      { key: 'engaged', label: 'Engaged' },
      { key: 'evaluating', label: 'Evaluating' },
    ],
    14,
  );
  id['p1'] = await person(ws, { plan: 'Pro', region: 'EMEA', company_size: 120 });
  await events(ws, id['p1'], [
    { at: day('04-01'), type: 'page', event: 'Home', ...google },
    { at: day('04-03'), event: 'Webinar Attended', category: 'webinar' },
    { at: day('04-08'), event: 'Trial Started' },
  ]);
  await visits(ws, id['p1'], [
    ['aware', day('04-01')],
    ['engaged', day('04-03')],
    ['evaluating', day('04-06')],
  ]);
  id['p2'] = await person(ws, { plan: 'Starter', region: 'EMEA' });
  await events(ws, id['p2'], [
    { at: day('04-02'), type: 'page', event: 'Home', ...google },
    { at: day('04-05'), event: 'Pricing Viewed', category: 'pricing' },
  ]);
  await visits(ws, id['p2'], [
    ['aware', day('04-02')],
    ['engaged', day('04-04')],
  ]);
  id['p3'] = await person(ws, { plan: 'Pro', region: 'NA' });
  await events(ws, id['p3'], [
    { at: day('04-03'), type: 'page', event: 'Home', ...linkedin },
    { at: day('04-10'), event: 'Trial Started' },
  ]);
  await visits(ws, id['p3'], [
    ['aware', day('04-03')],
    ['engaged', day('04-07')],
    ['evaluating', day('04-09')],
  ]);
  id['p4'] = await person(ws, { plan: 'Starter', region: 'NA' });
  await events(ws, id['p4'], [{ at: day('04-05'), type: 'page', event: 'Home', ...linkedin }]);
  await visits(ws, id['p4'], [['aware', day('04-05')]]);
  id['p5'] = await person(ws);
  await events(ws, id['p5'], [
    { at: day('05-20'), type: 'page', event: 'Home' },
    { at: day('05-25'), type: 'page', event: 'Docs', category: 'docs' },
  ]);
  await visits(ws, id['p5'], [['aware', day('05-20')]]);
  id['p6'] = await person(ws, { plan: 'Pro', region: 'EMEA' });
  await events(ws, id['p6'], [
    { at: day('04-10'), type: 'page', event: 'Home', ...google },
    { at: day('04-20'), type: 'page', event: 'Blog', ...newsletter },
    { at: day('05-28'), type: 'page', event: 'Docs', category: 'docs' },
  ]);
  await visits(ws, id['p6'], [
    ['aware', day('04-10')],
    ['engaged', day('04-11')],
  ]);
  id['p7'] = await person(ws, { plan: 'Pro', region: 'NA' });
  await events(ws, id['p7'], [
    { at: day('04-12'), type: 'page', event: 'Home', ...newsletter },
    { at: day('04-16'), event: 'Trial Started' },
  ]);
  await visits(ws, id['p7'], [
    ['aware', day('04-12')],
    ['engaged', day('04-13')],
    ['evaluating', day('04-15')],
  ]);
}

/**
 * Sixty people first seen on 1 March. Thirty attended a webinar on day 1 (15 of them converted); twenty of those
 * also completed setup twice on day 2 (all 15 converters among them). Of the thirty without a webinar, ten
 * completed setup twice (3 converted) and 2 others converted. So: webinar 15/30 vs 5/30 (lift 3), setup 18/30 vs
 * 2/30 (lift 9), webinar + setup within 5 days 15/20 vs 5/40 (lift 6).
 */
async function seedMoments(ws: string) {
  await settings(ws, [], 14);
  for (let i = 0; i < 60; i++) {
    const webinar = i < 30;
    const k = webinar ? i : i - 30;
    const setup = webinar ? k < 20 : k < 10;
    const converts = webinar ? k < 15 : k < 3 || k === 10 || k === 11;
    const p = await person(ws);
    const at = (d: number, h: number) => new Date(Date.UTC(2026, 2, 1 + d, h)).toISOString();
    const list: Ev[] = [{ at: at(0, 9), type: 'page', event: 'Home' }];
    if (webinar) list.push({ at: at(1, 10), event: 'Webinar Attended' });
    if (setup)
      list.push({ at: at(2, 10), event: 'Setup Completed' }, { at: at(2, 11), event: 'Setup Completed' });
    if (converts) list.push({ at: at(3, 10), event: 'Trial Started' });
    await events(ws, p, list);
  }
}

beforeAll(async () => {
  api = await startTestApi();
  const seeded = await seedWorkspace(api.ds, 'Insights', ['marketer', 'sales']);
  journeys = seeded.workspaceId;
  marketer = new HttpClient(api.url);
  sales = new HttpClient(api.url);
  await marketer.signIn(seeded.users['marketer']!.email, PASSWORD);
  await sales.signIn(seeded.users['sales']!.email, PASSWORD);
  [{ id: momentsWs }] = await api.ds.query(`INSERT INTO workspaces (name) VALUES ('Moments') RETURNING id`);
  await api.ds.query(`INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, 'marketer')`, [
    momentsWs,
    seeded.users['marketer']!.id,
  ]);
  await seedJourneys(journeys);
  await seedMoments(momentsWs);
});
afterAll(() => api?.close());

const view = async (ws: string, name: string, query: Record<string, string> = {}, client = marketer) => {
  const qs = new URLSearchParams({ asOf: AS_OF, ...query });
  const res = await client.get(`/api/workspaces/${ws}/insights/${name}?${qs}`);
  expect(res.status, res.text).toBe(200);
  return res.body;
};

describe('insights views on hand-built journeys', () => {
  it('funnel: reach, Wilson step conversion, drop-off and median days per stage', async () => {
    const f = await view(journeys, 'funnel');
    expect(f.meta).toMatchObject({ people: 7, goal: 'Trial Started', horizonDays: 14, inactiveDays: 30 });
    const steps = f.overall.steps;
    expect(steps.map((s: { label: string }) => s.label)).toEqual([
      'Aware',
      'Engaged',
      'Evaluating',
      'Converted (Trial Started)',
    ]);
    expect(steps.map((s: { reached: number }) => s.reached)).toEqual([7, 5, 3, 3]);
    expect(steps.map((s: { droppedHere: number }) => s.droppedHere)).toEqual([1, 1, 0, 0]);
    expect(steps.map((s: { stillHere: number }) => s.stillHere)).toEqual([1, 1, 0, 0]);
    // Days in Aware: 2, 2, 4, 1, 1 → 2; in Engaged: 3, 2, 2 → 2; nobody left Evaluating.
    expect(steps.map((s: { medianDays: number | null }) => s.medianDays)).toEqual([2, 2, null, null]);
    expect(steps[0].conversion).toBeNull();
    const w = wilsonInterval(3, 5);
    expect(steps[2].conversion.estimate).toBeCloseTo(0.6, 12);
    expect(steps[2].conversion.lower).toBeCloseTo(w.lower, 12);
    expect(steps[2].conversion.lower).toBeCloseTo(0.2307, 3);
    expect(steps[2].conversion.upper).toBeCloseTo(0.8824, 3);
    expect(steps[3].conversion.estimate).toBe(1);
    expect(f.headline).toBe(
      'The biggest drop is from Engaged to Evaluating: 60% (95% CI 23%–88%) move on, so 2 people stop there.',
    );
  });

  it('funnel split by channel and filtered by plan', async () => {
    const f = await view(journeys, 'funnel', { split: 'channel' });
    const reach = Object.fromEntries(
      f.segments.map((s: { segment: string; steps: { reached: number }[] }) => [
        s.segment,
        s.steps.map((x) => x.reached),
      ]),
    );
    expect(reach).toEqual({
      'google / organic': [3, 3, 1, 1],
      'linkedin / social': [2, 1, 1, 1],
      'newsletter / email': [1, 1, 1, 1],
      '(direct)': [1, 0, 0, 0],
    });
    const pro = await view(journeys, 'funnel', { plan: 'Pro' });
    expect(pro.overall.steps.map((s: { reached: number }) => s.reached)).toEqual([4, 4, 3, 3]);
    expect(pro.meta.filters.plan).toBe('Pro');
    const april = await view(journeys, 'funnel', { from: '2026-04-03', to: '2026-04-10' });
    // P3, P4, P6 were first seen 3–10 April.
    expect(april.overall.people).toBe(3);
  });

  it('paths: a Sankey of (step, state) nodes from first touch to outcome, the rest grouped', async () => {
    const p = await view(journeys, 'paths', { top: '3' });
    const total = (kind: string) =>
      p.nodes
        .filter((n: { kind: string }) => n.kind === kind)
        .reduce((s: number, n: { value: number }) => s + n.value, 0);
    expect(total('outcome')).toBe(7);
    expect(p.paths).toHaveLength(3);
    expect(p.otherPeople).toBe(4);
    expect(p.nodes.find((n: { state: string }) => n.state === 'Other paths').value).toBe(4);
    const outcomes = Object.fromEntries(
      p.nodes
        .filter((n: { kind: string }) => n.kind === 'outcome')
        .map((n: { state: string; value: number }) => [n.state, n.value]),
    );
    expect(outcomes).toEqual({ Converted: 3, 'Dropped off': 2, 'Still active': 2 });

    const all = await view(journeys, 'paths');
    const node = (id: string) => all.nodes.findIndex((n: { id: string }) => n.id === id);
    const link = all.links.find(
      (l: { source: number; target: number }) =>
        l.source === node('0|google / organic') && l.target === node('1|Aware'),
    );
    expect(link.value).toBe(3);
    expect(all.otherPeople).toBe(0);
    expect(
      all.nodes
        .filter((n: { kind: string }) => n.kind === 'outcome')
        .every((n: { step: number }) => n.step === 4),
    ).toBe(true);
    expect(all.headline).toBe(
      'The most common path is (direct) → Aware → Still active (1 person, 14%). The most common path to conversion is google / organic → Aware → Engaged → Evaluating → Converted (1 person).',
    );

    const touch = await view(journeys, 'paths', { by: 'touchpoint' });
    expect(touch.by).toBe('touchpoint');
    expect(touch.nodes.some((n: { state: string }) => n.state === 'webinar')).toBe(true);
  });

  it('attribution: Markov removal effects beside first, last and linear touch', async () => {
    const a = await view(journeys, 'attribution');
    expect(a.journeys).toBe(7);
    expect(a.conversions).toBe(3);
    expect(a.baseline).toBeCloseTo(3 / 7, 12);
    const by = Object.fromEntries(a.channels.map((c: { channel: string }) => [c.channel, c]));
    // google reaches conversion with probability 1/2 directly or through newsletter; removing it leaves 1.5 of 3.
    expect(by['google / organic'].removalEffect).toBeCloseTo(0.5, 12);
    expect(by['linkedin / social'].removalEffect).toBeCloseTo(1 / 3, 12);
    expect(by['newsletter / email'].removalEffect).toBeCloseTo(1 / 3, 12);
    expect(by['(direct)'].removalEffect).toBeCloseTo(0, 12);
    expect(by['google / organic'].markov).toBeCloseTo(9 / 7, 12);
    expect(by['linkedin / social'].markov).toBeCloseTo(6 / 7, 12);
    for (const c of ['google / organic', 'linkedin / social', 'newsletter / email']) {
      expect(by[c]).toMatchObject({ firstTouch: 1, lastTouch: 1, linear: 1 });
    }
    expect(a.channels[0].channel).toBe('google / organic');
    expect(a.headline).toMatch(
      /^google \/ organic matters most: without it, 50% of conversions would be lost/,
    );
    const q = Object.fromEntries(a.quality.map((c: { channel: string }) => [c.channel, c]));
    expect(q['google / organic']).toMatchObject({ people: 3, conversions: 1, medianDaysToConvert: 7 });
    expect(q['google / organic'].conversionRate.estimate).toBeCloseTo(1 / 3, 12);
  });

  it('time to drop-off: Kaplan–Meier by segment with a log-rank test', async () => {
    const d = await view(journeys, 'dropoff');
    expect(d.split).toBe('channel');
    // Whole days: P4 dropped at 0, P2 at 3; censored: P7 4, P1 7, P3 7, P5 12, P6 51 (10 April noon → 1 June).
    expect(d.overall.people).toBe(7);
    expect(d.overall.droppedOff).toBe(2);
    expect(d.overall.points).toEqual([
      { day: 0, survival: 1, lower: 1, upper: 1, atRisk: 7 },
      expect.objectContaining({ day: 0, atRisk: 7 }),
      expect.objectContaining({ day: 3, atRisk: 6 }),
      expect.objectContaining({ day: 51, atRisk: 1 }),
    ]);
    expect(d.overall.points[1].survival).toBeCloseTo(6 / 7, 12);
    expect(d.overall.points[2].survival).toBeCloseTo(5 / 7, 12);
    expect(d.overall.medianDays).toBeNull();
    const linkedin = d.segments.find((s: { segment: string }) => s.segment === 'linkedin / social');
    expect(linkedin).toMatchObject({ people: 2, droppedOff: 1 });
    expect(d.logRank.df).toBeGreaterThanOrEqual(1);
    expect(d.logRank.pValue).toBeGreaterThan(0);
    expect(d.headline).toMatch(/^Fewer than half of prospects have dropped off so far: 29% by day 51\./);
  });

  it('what changed: stage mix against the previous 30 days, drift and drop-off anomalies', async () => {
    const c = await view(journeys, 'changes');
    const mix = Object.fromEntries(c.stageMix.rows.map((r: { stage: string }) => [r.stage, r]));
    // Previous period 2 April – 2 May: 5 into aware, 5 into engaged, 3 into evaluating; current: P5 into aware.
    expect(mix['aware']).toMatchObject({ current: 1, previous: 5, currentShare: 1 });
    expect(mix['aware'].previousShare).toBeCloseTo(5 / 13, 12);
    expect(mix['engaged']).toMatchObject({ current: 0, previous: 5 });
    expect(mix['evaluating']).toMatchObject({ current: 0, previous: 3 });
    expect(c.stageMix.psi).toBeGreaterThan(0.25);
    expect(c.findings[0]).toBe('Aware made up 100% of stage entries in the last 30 days, up from 38%.');
    expect(c.drift.features.every((f: { status: string }) => f.status === 'unknown')).toBe(true);
    expect(c.drift.currentPeople).toBe(1);
    const anomalies = Object.fromEntries(c.anomalies.stages.map((s: { stage: string }) => [s.stage, s]));
    expect(anomalies['engaged']).toMatchObject({ currentActive: 2, currentDropped: 1, previousActive: 0 });
    expect(anomalies['evaluating']).toMatchObject({
      currentActive: 3,
      currentDropped: 0,
      previousActive: 1,
      previousDropped: 0,
      pValue: 1,
      flagged: false,
    });
  });

  it('overview answers the five questions, each with its evidence, and sales may read it', async () => {
    const o = await view(journeys, 'overview', {}, sales);
    expect(o.answers.map((a: { id: string }) => a.id)).toEqual([
      'dropoff',
      'behaviours',
      'channels',
      'changes',
      'segment',
    ]);
    const dropoff = o.answers[0];
    expect(dropoff.answer).toContain('Engaged to Evaluating');
    expect(dropoff.evidence.view).toBe('funnel');
    expect(o.answers[3].answer).toBe('Aware made up 100% of stage entries in the last 30 days, up from 38%.');
    for (const a of o.answers) expect(a.question).toMatch(/\?$/);
  });

  it('keeps workspaces apart and rejects a bad date range', async () => {
    const other = await view(momentsWs, 'funnel');
    expect(other.overall).toBeNull();
    const res = await marketer.get(
      `/api/workspaces/${journeys}/insights/funnel?from=2026-05-01&to=2026-04-01`,
    );
    expect(res.status).toBe(400);
  });

  it('counts stage entries of people known only from the CRM, and leaves them out of a segment', async () => {
    const crmOnly = await person(journeys, { plan: 'Pro' });
    await visits(journeys, crmOnly, [['engaged', day('05-15')]]);
    try {
      // `inactiveDays` as the default: the same answer, computed afresh rather than taken from the cache.
      const all = await view(journeys, 'changes', { inactiveDays: '30' });
      const mix = Object.fromEntries(all.stageMix.rows.map((r: { stage: string }) => [r.stage, r]));
      expect(mix['engaged']).toMatchObject({ current: 1, previous: 5 });
      expect(mix['aware']).toMatchObject({ current: 1, currentShare: 0.5 });
      // P5, the one direct prospect, entered Aware in the current period; the CRM-only person has no channel.
      const direct = await view(journeys, 'changes', { inactiveDays: '30', channel: '(direct)' });
      const rows = Object.fromEntries(direct.stageMix.rows.map((r: { stage: string }) => [r.stage, r]));
      expect(rows['aware']).toMatchObject({ current: 1, previous: 0 });
      expect(rows['engaged']).toMatchObject({ current: 0, previous: 0 });
    } finally {
      await api.ds.query(`DELETE FROM profiles WHERE id = $1`, [crmOnly]);
    }
  });
});

describe('moments that matter', () => {
  it('finds over-represented touchpoints and combinations with lift, intervals and BH q-values', async () => {
    const m = await view(momentsWs, 'moments');
    expect(m.eligible).toBe(60);
    expect(m.converted).toBe(20);
    const by = Object.fromEntries(m.moments.map((x: { id: string }) => [x.id, x]));
    const webinar = by['s:e:Webinar Attended'];
    expect(webinar).toMatchObject({
      withPeople: 30,
      withConverted: 15,
      withoutPeople: 30,
      withoutConverted: 5,
    });
    expect(webinar.lift.estimate).toBeCloseTo(3, 12);
    // Katz: exp(ln 3 ± 1.96 · √(1/15 − 1/30 + 1/5 − 1/30))
    const se = Math.sqrt(1 / 15 - 1 / 30 + 1 / 5 - 1 / 30);
    expect(webinar.lift.lower).toBeCloseTo(Math.exp(Math.log(3) - 1.959964 * se), 5);
    expect(webinar.lift.upper).toBeCloseTo(Math.exp(Math.log(3) + 1.959964 * se), 5);
    expect(webinar.pValue).toBeCloseTo(0.00617, 4);
    expect(by['s:e2:Setup Completed'].lift.estimate).toBeCloseTo(9, 12);
    const combo = by['c:e2:Setup Completed+e:Webinar Attended'];
    expect(combo).toMatchObject({ kind: 'combination', withPeople: 20, withConverted: 15 });
    expect(combo.lift.estimate).toBeCloseTo(6, 12);
    // Five hypotheses (setup once and twice, webinar, two combinations): BH q = p · m / rank, and the webinar's
    // p is the largest (rank 5), so its q is its p. Setup once and twice pick out the same people, as do the two
    // combinations: each is shown once.
    expect(m.tested).toBe(5);
    expect(m.moments).toHaveLength(3);
    expect(by['s:e:Setup Completed']).toBeUndefined();
    expect(webinar.qValue).toBeCloseTo(webinar.pValue, 12);
    expect(m.moments.every((x: { significant: boolean }) => x.significant)).toBe(true);
    expect(m.headline).toBe(
      'Prospects who had “Setup Completed” at least twice converted 9.0× more often (95% CI 2.3–35, n = 30).',
    );
    expect(combo.sentence).toMatch(
      /^Prospects who had “Setup Completed” at least twice and had “Webinar Attended” within 5 days converted 6\.0× more often \(95% CI \d\.\d–\d+(\.\d)?, n = 20\)$/,
    );
    expect(m.findings).toHaveLength(3);
  });

  it('waits for the horizon: nobody is eligible before 14 days have passed', async () => {
    const m = await view(momentsWs, 'moments', { asOf: '2026-03-10T00:00:00Z' });
    expect(m.eligible).toBe(0);
    expect(m.headline).toMatch(/full 14-day horizon/);
  });
});

describe('the summary stays fresh', () => {
  it('picks up new events incrementally', async () => {
    const summary = api.app.get(SummaryService);
    const p8 = await person(journeys, { plan: 'Pro' });
    await events(journeys, p8, [{ at: day('05-29'), type: 'page', event: 'Home', ...linkedin }]);
    await visits(journeys, p8, [['aware', day('05-29')]]);
    await summary.refresh(journeys, false);
    const f = await view(journeys, 'funnel');
    expect(f.overall.steps[0].reached).toBe(8);
    await api.ds.query(`UPDATE profiles SET consent = 'denied', updated_at = now() WHERE id = $1`, [p8]);
    await summary.refresh(journeys, false);
    expect((await view(journeys, 'funnel')).overall.steps[0].reached).toBe(7);
  });
});
