import {
  completeConsent,
  startHubSpotSandbox,
  startSalesforceSandbox,
  type HubSpotSandbox,
  type SalesforceSandbox,
} from '@cairn/sandbox';
import {
  definitionToCanvas,
  journeyWorkflowId,
  type JourneyDefinition,
  type JourneyEnrollmentRef,
  type JourneyNode,
} from '@cairn/workflows';
import { ApplicationFailure } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { REDACT } from '../../src/common/logging/logger';
import { WritebackOutboxService } from '../../src/modules/connections/writeback-outbox.service';
import { CrmSyncService } from '../../src/modules/crm-sync/crm-sync.service';
import { JourneyRunService } from '../../src/modules/journeys/journey-run.service';
import { JourneysRepository } from '../../src/modules/journeys/journeys.repository';
import { JourneysService } from '../../src/modules/journeys/journeys.service';
import { verifyWebhook } from '../../src/modules/journeys/webhook-signing';
import { PASSWORD, seedWorkspace, startTestApi, type TestApi } from '../support/api';
import { HttpClient } from '../support/http-client';

/**
 * Journey actions other than email, run the way the interpreter's `journeyAction` activity runs them
 * (`JourneyRunService.action`, which turns a transient failure into a retryable Temporal failure) for a real
 * enrolment of a published journey. The CRMs are the HubSpot and Salesforce emulators connected through OAuth
 * and pulled by a real sync; Slack and webhook receivers are local HTTP servers standing in for the outside
 * world; Segment is Cairn's own /v1/batch of a second workspace.
 */

let hubspot: HubSpotSandbox;
let salesforce: SalesforceSandbox;
let api: TestApi;
let ws: Workspace;
let bare: Workspace;
let receiver: string;
let admin: HttpClient;
let marketer: HttpClient;
let run: JourneyRunService;
let repo: JourneysRepository;
const conns = { hubspot: '', salesforce: '' };
/** Every line the API logged during the run. */
const logs: string[] = [];

const q = <T = any>(sql: string, params: unknown[] = []): Promise<T[]> => api.ds.query(sql, params);

// ------------------------------------------------------------------------------- stand-ins for the outside

interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local HTTP server answering with `answer`; it keeps every request it got. */
async function standIn(answer: (r: Received) => { status: number; body: string }) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(r);
      const a = answer(r);
      res.writeHead(a.status, { 'content-type': 'text/plain; charset=utf-8' }).end(a.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    host: new URL(base).host,
    received,
    to: (path: string) => received.filter((r) => r.path === path),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Slack's incoming webhooks as Slack answers them: 200 "ok" for a JSON message with text, 400 "invalid_payload"
 * for what it cannot read, "no_text" without text, 404 "no_service" for a removed webhook, and 500 when it is
 * down. The "refusing" hook answers invalid_payload to anything (as Slack does to a payload its app rejects).
 * The last part of each path is the webhook's secret token.
 */
const SLACK_HOOKS: Record<string, 'live' | 'refusing' | 'removed' | 'down'> = {
  '/services/T0CAIRN/B0SALES/xoxLiveSecretToken1': 'live',
  '/services/T0CAIRN/B0SALES/xoxRefusingToken22': 'refusing',
  '/services/T0CAIRN/B0GONE/xoxRemovedToken333': 'removed',
  '/services/T0CAIRN/B0DOWN/xoxDownToken4444': 'down',
};
let slack: Awaited<ReturnType<typeof standIn>>;

function answerLikeSlack(r: Received) {
  const hook = SLACK_HOOKS[r.path];
  if (r.method !== 'POST' || !hook || hook === 'removed') return { status: 404, body: 'no_service' };
  if (hook === 'down') return { status: 500, body: 'rollup_error' };
  let payload: { text?: unknown };
  try {
    if (!String(r.headers['content-type']).startsWith('application/json')) throw new Error('not JSON');
    payload = JSON.parse(r.body);
  } catch {
    return { status: 400, body: 'invalid_payload' };
  }
  if (hook === 'refusing') return { status: 400, body: 'invalid_payload' };
  if (typeof payload.text !== 'string' || !payload.text) return { status: 400, body: 'no_text' };
  return { status: 200, body: 'ok' };
}

/** A customer's webhook receiver; `/flaky` fails twice (503, then 429) before it accepts. */
let hooks: Awaited<ReturnType<typeof standIn>>;
let flaky = 0;
function answerLikeAReceiver(r: Received) {
  switch (r.path) {
    case '/ok':
      return { status: 204, body: '' };
    case '/flaky':
      flaky++;
      return flaky === 1
        ? { status: 503, body: 'busy' }
        : flaky === 2
          ? { status: 429, body: 'slow down' }
          : { status: 200, body: '{"received":true}' };
    case '/unprocessable':
      return { status: 422, body: '{"error":"unknown profile"}' };
    default:
      return { status: 500, body: 'internal error' };
  }
}

// ------------------------------------------------------------------------------------------------ journeys

interface Published {
  workspaceId: string;
  journeyId: string;
  versionId: string;
  definition: JourneyDefinition;
}

const SETTINGS: JourneyDefinition['settings'] = {
  entry: { policy: 'once' },
  maxSendsPerWeek: null,
  quietHours: null,
  sendRatePerMinute: null,
};

/** A step as written in `chain`, without its pointer to the next one. */
type Step = JourneyNode extends infer N ? (N extends JourneyNode ? Omit<N, 'next'> : never) : never;

/** A journey whose steps run one after the other, in the order given. */
function chain(steps: [string, Step][]): JourneyDefinition {
  const nodes: Record<string, JourneyNode> = {};
  steps.forEach(([id, node], i) => {
    const next = steps[i + 1];
    nodes[id] = { ...node, next: next ? { next: next[0] } : {} } as JourneyNode;
  });
  return {
    version: 1,
    trigger: { kind: 'event', event: 'Pricing Viewed', filters: [] },
    settings: SETTINGS,
    entryNodeId: steps[0]![0],
    nodes,
  };
}

type Workspace = Awaited<ReturnType<typeof seedWorkspace>>;

/** A journey that was never published: only its draft. */
function draft(workspace: Workspace, name: string): Promise<string> {
  return api.app
    .get(JourneysService)
    .create(workspace.workspaceId, workspace.users['marketer']!.id, { name });
}

/** Creates and publishes a journey through the service, as the canvas does. */
async function publish(
  workspace: Workspace,
  definition: JourneyDefinition,
  name: string,
): Promise<Published> {
  const journeys = api.app.get(JourneysService);
  const userId = workspace.users['marketer']!.id;
  const journeyId = await draft(workspace, name);
  await journeys.saveDraft(workspace.workspaceId, journeyId, { graph: definitionToCanvas(definition) });
  const published = await journeys.publish(workspace.workspaceId, journeyId, userId);
  return { workspaceId: workspace.workspaceId, journeyId, versionId: published.version.id, definition };
}

/** Enrols a person the way the router does (the entry rules, in the repository), without starting a workflow. */
async function enrol(journey: Published, profileId: string): Promise<JourneyEnrollmentRef> {
  const r = await repo.enroll({
    workspaceId: journey.workspaceId,
    journeyId: journey.journeyId,
    versionId: journey.versionId,
    profileId,
    workflowId: journeyWorkflowId(journey.versionId, profileId),
    entry: journey.definition.settings.entry,
    trigger: { kind: 'event', event: 'Pricing Viewed', properties: {} },
  });
  if (!r.enrolled) throw new Error(`not enrolled: ${r.reason}`);
  return {
    workspaceId: journey.workspaceId,
    journeyId: journey.journeyId,
    versionId: journey.versionId,
    profileId,
    enrollmentId: r.enrollmentId,
    entry: r.entry,
  };
}

/** The person's latest enrolment in the journey, or a new one. */
async function enrollmentOf(profileId: string, journey: Published = actions): Promise<JourneyEnrollmentRef> {
  const [row] = await q(
    `SELECT id, entry FROM journey_enrollments WHERE journey_id = $1 AND profile_id = $2 ORDER BY entry DESC LIMIT 1`,
    [journey.journeyId, profileId],
  );
  if (row) {
    return {
      workspaceId: journey.workspaceId,
      journeyId: journey.journeyId,
      versionId: journey.versionId,
      profileId,
      enrollmentId: row.id,
      entry: row.entry,
    };
  }
  return enrol(journey, profileId);
}

/** The idempotency key the interpreter gives a step: `<workflowId>:<nodeId>`, `:v<n>` from the second visit. */
const keyOf = (e: JourneyEnrollmentRef, nodeId: string, visit = 1) =>
  `${journeyWorkflowId(e.versionId, e.profileId)}:${nodeId}${visit > 1 ? `:v${visit}` : ''}`;

/**
 * Runs a step of the enrolment's published version as the activity does. `node` replaces parts of the step:
 * only the Slack and webhook URLs, which the schema holds to https://hooks.slack.com and https, and which
 * point at the local stand-ins here.
 */
async function act(
  e: JourneyEnrollmentRef,
  nodeId: string,
  opts: { visit?: number; node?: Partial<Record<string, unknown>> } = {},
) {
  const { definition } = await run.load(e.versionId);
  const node = { ...definition.nodes[nodeId]!, ...opts.node } as JourneyNode;
  return run.action({
    enrollment: e,
    key: keyOf(e, nodeId, opts.visit),
    nodeId,
    node,
    settings: definition.settings,
  });
}

async function actionRow(key: string) {
  const [row] = await q(
    `SELECT kind, status, detail, result, attempts, enrollment_id AS "enrollmentId", completed_at AS "completedAt"
       FROM journey_actions WHERE idempotency_key = $1`,
    [key],
  );
  return row;
}

/** The activity's failure, which must be a retryable Temporal failure of the journeys' transient type. */
async function transientFailure(attempt: Promise<unknown>): Promise<string> {
  let error: unknown;
  try {
    await attempt;
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ApplicationFailure);
  expect(error).toMatchObject({ type: 'JourneyActionTransient', nonRetryable: false });
  return (error as ApplicationFailure).message;
}

// ------------------------------------------------------------------------------------------------- people

async function connect(provider: 'hubspot' | 'salesforce'): Promise<string> {
  const started = await admin.post(`/api/workspaces/${ws.workspaceId}/connections/${provider}/authorize`);
  const consent = await completeConsent(started.body.authorizeUrl);
  const back = new URL(consent.location);
  const res = await admin.request('GET', `${back.pathname}${back.search}`);
  expect(res.headers.get('location')).toContain(`connected=${provider}`);
  const list = await admin.get(`/api/workspaces/${ws.workspaceId}/connections`);
  return list.body.connections.find((c: { provider: string }) => c.provider === provider).id;
}

async function profileOf(connectionId: string, objectType: string, externalId: string): Promise<string> {
  const [row] = await q(
    `SELECT profile_id AS id FROM crm_objects WHERE connection_id = $1 AND object_type = $2 AND external_id = $3`,
    [connectionId, objectType, externalId],
  );
  expect(row?.id).toBeTruthy();
  return row.id;
}

/** A person Cairn only knows from tracking: no CRM record. */
async function trackedPerson(workspaceId: string, traits: Record<string, unknown>, consent = 'granted') {
  const id = randomUUID();
  await q(
    `INSERT INTO profiles (id, workspace_id, email, traits, consent, first_seen_at, last_seen_at)
     VALUES ($1, $2, $3, $4, $5, now(), now())`,
    [id, workspaceId, `t-${id.slice(0, 8)}@visitors.test`, JSON.stringify(traits), consent],
  );
  return id;
}

const hs = {
  owner: { id: '' },
  contact: { id: '' },
  profile: '',
};
const sf = { owner: '', contact: '', profile: '' };
let actions: Published;
let bareJourney: Published;
/** The journey the `to-live` step enrols people in. */
let liveTarget: Published;

beforeAll(async () => {
  [hubspot, salesforce, slack, hooks] = await Promise.all([
    startHubSpotSandbox({ seed: 'journey-actions' }),
    startSalesforceSandbox({ seed: 'journey-actions' }),
    standIn(answerLikeSlack),
    standIn(answerLikeAReceiver),
  ]);
  const logger = pino(
    { level: 'trace', name: 'test', redact: { paths: REDACT, censor: '[redacted]' } },
    { write: (line: string) => void logs.push(line) },
  );
  api = await startTestApi(
    {
      HUBSPOT_CLIENT_ID: hubspot.app.clientId,
      HUBSPOT_CLIENT_SECRET: hubspot.app.clientSecret,
      HUBSPOT_API_URL: hubspot.baseUrl,
      HUBSPOT_AUTHORIZE_URL: `${hubspot.baseUrl}/oauth/authorize`,
      SALESFORCE_CLIENT_ID: salesforce.app.clientId,
      SALESFORCE_CLIENT_SECRET: salesforce.app.clientSecret,
      SALESFORCE_LOGIN_URL: salesforce.baseUrl,
    },
    { logger },
  );
  run = api.app.get(JourneyRunService);
  repo = api.app.get(JourneysRepository);
  // No Temporal here: syncs run in this process and nothing is scheduled.
  vi.spyOn(api.app.get(CrmSyncService), 'connected').mockImplementation(() => undefined);
  vi.spyOn(api.app.get(WritebackOutboxService), 'kick').mockImplementation(() => undefined);

  ws = await seedWorkspace(api.ds, 'Journey actions', ['admin', 'marketer']);
  bare = await seedWorkspace(api.ds, 'No connections', ['marketer']);
  const other = await seedWorkspace(api.ds, 'Segment receiver', ['admin']);
  receiver = other.workspaceId;
  admin = new HttpClient(api.url);
  await admin.signIn(ws.users['admin']!.email, PASSWORD);
  marketer = new HttpClient(api.url);
  await marketer.signIn(ws.users['marketer']!.email, PASSWORD);

  // The CRMs: a contact with an owner and a company in each, pulled by a real sync.
  hs.owner = hubspot.store.addOwner({ email: 'olive@seller.test', firstName: 'Olive', lastName: 'Owner' });
  const company = hubspot.store.create('companies', { name: 'Acme', domain: 'acme.test' });
  hs.contact = hubspot.store.create('contacts', {
    email: 'grace@acme.test',
    firstname: 'Grace',
    lastname: 'Hopper',
    jobtitle: 'Engineer',
    hubspot_owner_id: hs.owner.id,
  });
  hubspot.store.associate('contacts', hs.contact.id, 'companies', company.id);
  sf.owner = salesforce.store.insert('User', {
    Username: 'sam@seller.test',
    FirstName: 'Sam',
    LastName: 'Seller',
    Email: 'sam@seller.test',
    Alias: 'sam',
    IsActive: true,
  }).id;
  const account = salesforce.store.insert('Account', { Name: 'Initech', Website: 'initech.test' });
  sf.contact = salesforce.store.insert('Contact', {
    FirstName: 'Linus',
    LastName: 'Lumbergh',
    Email: 'linus@initech.test',
    Title: 'Manager',
    AccountId: account.id,
    OwnerId: sf.owner,
  }).id;
  conns.hubspot = await connect('hubspot');
  conns.salesforce = await connect('salesforce');
  const sync = api.app.get(CrmSyncService);
  for (const c of [conns.hubspot, conns.salesforce]) {
    expect(await sync.syncNow(ws.workspaceId, c, { maxBackoffMs: 500 })).toMatchObject({
      state: 'completed',
    });
  }
  hs.profile = await profileOf(conns.hubspot, 'contacts', hs.contact.id);
  sf.profile = await profileOf(conns.salesforce, 'Contact', sf.contact);
  // What tracking and scoring added: traits, the stage, the risk.
  await q(`UPDATE profiles SET traits = traits || $2 WHERE id = $1`, [
    hs.profile,
    JSON.stringify({ firstName: 'Grace', plan: 'Pro' }),
  ]);
  await q(`UPDATE profiles SET traits = traits || $2 WHERE id = $1`, [
    sf.profile,
    JSON.stringify({ firstName: 'Linus', plan: 'Team' }),
  ]);
  await q(
    `INSERT INTO profile_stages (profile_id, workspace_id, stage, stage_index, entered_at, reason)
     VALUES ($1, $2, 'evaluation', 2, now(), 'test')`,
    [hs.profile, ws.workspaceId],
  );
  await q(
    `INSERT INTO profile_scores (profile_id, workspace_id, risk, scored_at) VALUES ($1, $2, 0.42, now())`,
    [hs.profile, ws.workspaceId],
  );

  // Segment outbound to a second workspace's source, as online-scoring.int.test.ts does.
  const otherAdmin = new HttpClient(api.url);
  await otherAdmin.signIn(other.users['admin']!.email, PASSWORD);
  const receiverKey = (await otherAdmin.post(`/api/workspaces/${receiver}/sources`, { name: 'From Cairn' }))
    .body.writeKey;
  expect(
    (
      await admin.put(`/api/workspaces/${ws.workspaceId}/outbound/segment`, {
        writeKey: receiverKey,
        host: api.url,
        enabled: true,
      })
    ).status,
  ).toBe(200);

  // Journeys another journey's step enrols people in: one never published, one paused, one live.
  const welcome = chain([['welcome', { kind: 'segment_event', event: 'Welcome', properties: {} }]]);
  const draftTarget = await draft(ws, 'Never published');
  const pausedTarget = await publish(ws, welcome, 'Paused');
  await api.app.get(JourneysService).control(ws.workspaceId, pausedTarget.journeyId, 'pause');
  liveTarget = await publish(ws, welcome, 'Live');

  actions = await publish(
    ws,
    chain([
      [
        'task',
        {
          kind: 'crm_task',
          subject: 'Call {{first_name}} about {{account.name}}',
          notes: '{{name}} <{{email}}> looked at pricing; plan {{plan}}.',
          dueInDays: 3,
        },
      ],
      ['title', { kind: 'crm_set_field', field: 'jobtitle', value: 'Champion' }],
      ['clear-title', { kind: 'crm_set_field', field: 'jobtitle', value: null }],
      ['sf-title', { kind: 'crm_set_field', field: 'Title', value: 'Champion' }],
      ['bad-field', { kind: 'crm_set_field', field: 'no_such_property', value: 7 }],
      [
        'slack',
        {
          kind: 'slack',
          webhookUrl: 'https://hooks.slack.com/services/T0CAIRN/B0SALES/xoxLiveSecretToken1',
          text: ':fire: {{first_name}} ({{email}}) at {{account.name}} is on pricing. <https://app.cairn.test|Open in Cairn>',
        },
      ],
      ['slack-channel', { kind: 'slack', channel: '#sales', text: '{{first_name}} is on pricing' }],
      ['hook', { kind: 'webhook', url: 'https://hooks.customer.test/cairn', secretRef: 'crm-hook' }],
      ['unsigned-hook', { kind: 'webhook', url: 'https://hooks.customer.test/open' }],
      ['lost-secret-hook', { kind: 'webhook', url: 'https://hooks.customer.test/x', secretRef: 'gone' }],
      [
        'segment',
        {
          kind: 'segment_event',
          event: 'Journey Milestone Reached',
          properties: { milestone: 'pricing', score: 3, vip: true, note: null },
        },
      ],
      ['to-draft', { kind: 'enroll_journey', journeyId: draftTarget }],
      ['to-paused', { kind: 'enroll_journey', journeyId: pausedTarget.journeyId }],
      ['to-live', { kind: 'enroll_journey', journeyId: liveTarget.journeyId }],
    ]),
    'Actions',
  );
  bareJourney = await publish(
    bare,
    chain([
      ['task', { kind: 'crm_task', subject: 'Call {{first_name}}', dueInDays: 1 }],
      ['segment', { kind: 'segment_event', event: 'Journey Milestone Reached', properties: {} }],
    ]),
    'Actions without connections',
  );
}, 120_000);

afterAll(async () => {
  await api?.close();
  await Promise.all([hubspot?.close(), salesforce?.close(), slack?.close(), hooks?.close()]);
});

// ------------------------------------------------------------------------------------------------- tests

describe('crm_task', () => {
  it('creates a HubSpot task for the record owner, on the contact, with merge fields filled — once per key', async () => {
    const e = await enrol(actions, hs.profile);
    const before = hubspot.store.list('tasks').length;
    const creates = hubspot.counters.count('POST /crm/v3/objects/:objectType');
    const result = await act(e, 'task');
    const tasks = hubspot.store.list('tasks');
    expect(tasks).toHaveLength(before + 1);
    const task = tasks.at(-1)!;
    expect(result).toEqual({ status: 'done', detail: `HubSpot task ${task.id} for owner ${hs.owner.id}` });
    expect(task.properties).toMatchObject({
      hs_task_subject: 'Call Grace about Acme',
      hs_task_body: 'Grace Hopper <grace@acme.test> looked at pricing; plan Pro.',
      hs_task_status: 'NOT_STARTED',
      hubspot_owner_id: hs.owner.id,
    });
    const due = Date.parse(task.properties['hs_timestamp']!);
    expect(Math.abs(due - (Date.now() + 3 * 86_400_000))).toBeLessThan(60_000);
    expect(hubspot.store.associationsOf('tasks', task.id, 'contacts')).toEqual([
      { toObjectId: hs.contact.id, types: [{ category: 'HUBSPOT_DEFINED', typeId: 204, label: null }] },
    ]);
    expect(await actionRow(keyOf(e, 'task'))).toMatchObject({
      kind: 'crm_task',
      status: 'done',
      attempts: 1,
      enrollmentId: e.enrollmentId,
      completedAt: expect.any(Date),
    });

    // The same key again (a retried activity, a replayed workflow): nothing new in HubSpot.
    expect(await act(e, 'task')).toEqual({ ...result, replayed: true });
    expect(hubspot.store.list('tasks')).toHaveLength(before + 1);
    expect(hubspot.counters.count('POST /crm/v3/objects/:objectType')).toBe(creates + 1);
    expect((await actionRow(keyOf(e, 'task'))).attempts).toBe(2);
  });

  it('creates a Salesforce Task for the record owner, on the contact (WhoId), due in N days', async () => {
    const e = await enrol(actions, sf.profile);
    const before = salesforce.store.all('Task').length;
    const result = await act(e, 'task');
    const tasks = salesforce.store.all('Task');
    expect(tasks).toHaveLength(before + 1);
    const task = tasks.at(-1)!;
    expect(result).toEqual({ status: 'done', detail: `Salesforce Task ${task.id} for owner ${sf.owner}` });
    expect(task.fields).toMatchObject({
      Subject: 'Call Linus about Initech',
      Description: 'Linus Lumbergh <linus@initech.test> looked at pricing; plan Team.',
      WhoId: sf.contact,
      OwnerId: sf.owner,
      Status: 'Not Started',
      ActivityDate: new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10),
    });
    expect(await act(e, 'task')).toMatchObject({ status: 'done', replayed: true });
    expect(salesforce.store.all('Task')).toHaveLength(before + 1);
  });

  it('retries while the CRM is down and then creates the task once', async () => {
    const e = await enrollmentOf(hs.profile);
    const before = hubspot.store.list('tasks').length;
    hubspot.faults.onlyFor(/\/crm\/v3\/objects\/tasks/).failNext(1, 503);
    try {
      expect(await transientFailure(act(e, 'task', { visit: 2 }))).toMatch(/^the CRM call failed/);
    } finally {
      hubspot.faults.reset();
    }
    expect(hubspot.store.list('tasks')).toHaveLength(before);
    expect(await actionRow(keyOf(e, 'task', 2))).toMatchObject({
      status: 'pending',
      detail: expect.stringMatching(/^attempt failed: the CRM call failed/),
    });
    // Temporal's retry: the same key, now through.
    expect(await act(e, 'task', { visit: 2 })).toMatchObject({ status: 'done' });
    expect(hubspot.store.list('tasks')).toHaveLength(before + 1);
    expect(await actionRow(keyOf(e, 'task', 2))).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('skips, saying why: no record in the CRM, a connection that needs authorising again, no connection', async () => {
    const hsTasks = hubspot.store.list('tasks').length;
    const sfTasks = salesforce.store.all('Task').length;

    const stranger = await trackedPerson(ws.workspaceId, { firstName: 'Ada' });
    const e1 = await enrol(actions, stranger);
    expect(await act(e1, 'task')).toEqual({
      status: 'skipped',
      detail: 'skipped: this prospect has no record in the connected CRM',
    });

    // Grace's record is in HubSpot, whose grant lapsed (Salesforce is still fine).
    const e2 = await enrollmentOf(hs.profile);
    const [{ status }] = await q(`SELECT status FROM crm_connections WHERE id = $1`, [conns.hubspot]);
    await q(`UPDATE crm_connections SET status = 'needs_reauth' WHERE id = $1`, [conns.hubspot]);
    try {
      expect(await act(e2, 'task', { visit: 3 })).toEqual({
        status: 'skipped',
        detail: 'skipped: the CRM connection needs to be authorised again',
      });
    } finally {
      await q(`UPDATE crm_connections SET status = $2 WHERE id = $1`, [conns.hubspot, status]);
    }

    const elsewhere = await trackedPerson(bare.workspaceId, { firstName: 'Bo' });
    const e3 = await enrol(bareJourney, elsewhere);
    expect(await act(e3, 'task')).toEqual({ status: 'skipped', detail: 'skipped: no CRM connection' });

    expect(await actionRow(keyOf(e3, 'task'))).toMatchObject({ status: 'skipped', attempts: 1 });
    expect(hubspot.store.list('tasks')).toHaveLength(hsTasks);
    expect(salesforce.store.all('Task')).toHaveLength(sfTasks);
  });
});

describe('crm_set_field', () => {
  it('sets the field on the HubSpot contact and on the Salesforce contact, and clears it with null', async () => {
    const grace = await enrollmentOf(hs.profile);
    const linus = await enrollmentOf(sf.profile);
    expect(hubspot.store.get('contacts', hs.contact.id)!.properties['jobtitle']).toBe('Engineer');
    expect(await act(grace, 'title')).toEqual({
      status: 'done',
      detail: `HubSpot contact ${hs.contact.id}: jobtitle set`,
    });
    expect(hubspot.store.get('contacts', hs.contact.id)!.properties['jobtitle']).toBe('Champion');
    expect(hubspot.counters.writes('contacts', hs.contact.id)).toBe(1);
    expect(await act(grace, 'title')).toMatchObject({ replayed: true });
    expect(hubspot.counters.writes('contacts', hs.contact.id)).toBe(1);

    expect(await act(grace, 'clear-title')).toMatchObject({ status: 'done' });
    expect(hubspot.store.get('contacts', hs.contact.id)!.properties['jobtitle'] ?? null).toBeNull();

    expect(salesforce.store.get('Contact', sf.contact)!.fields['Title']).toBe('Manager');
    expect(await act(linus, 'sf-title')).toEqual({
      status: 'done',
      detail: `Salesforce Contact ${sf.contact}: Title set`,
    });
    expect(salesforce.store.get('Contact', sf.contact)!.fields['Title']).toBe('Champion');
  });

  it('records a field the CRM refuses as failed, for good: no retry, nothing written', async () => {
    const grace = await enrollmentOf(hs.profile);
    const patches = hubspot.counters.count('PATCH /crm/v3/objects/:objectType/:objectId');
    const result = await act(grace, 'bad-field');
    expect(result.status).toBe('failed');
    expect(result.detail).toMatch(/^failed: the CRM refused: .*no_such_property/);
    expect(await act(grace, 'bad-field')).toEqual({ ...result, replayed: true });
    expect(hubspot.counters.count('PATCH /crm/v3/objects/:objectType/:objectId')).toBe(patches + 1);
    expect(hubspot.store.get('contacts', hs.contact.id)!.properties['no_such_property']).toBeUndefined();
  });
});

describe('slack', () => {
  const live = () => ({ webhookUrl: `${slack.base}/services/T0CAIRN/B0SALES/xoxLiveSecretToken1` });

  it('posts the rendered text to the incoming webhook, escaping what prospects wrote, once per key', async () => {
    // A visitor who gave a "name" that would ping the whole channel and a company that is a disguised link.
    const mallory = await trackedPerson(ws.workspaceId, { firstName: '<!channel> Mal & co' });
    const [account] = await q(
      `INSERT INTO accounts (workspace_id, name, domain) VALUES ($1, '<https://evil.test|Reset password>', 'evil.test')
       RETURNING id`,
      [ws.workspaceId],
    );
    await q(`UPDATE profiles SET account_id = $2 WHERE id = $1`, [mallory, account.id]);
    const e = await enrol(actions, mallory);
    const result = await act(e, 'slack', { node: live() });
    expect(result).toEqual({ status: 'done', detail: `POST ${slack.host}: 200` });
    const [posted, ...more] = slack.to('/services/T0CAIRN/B0SALES/xoxLiveSecretToken1');
    expect(more).toEqual([]);
    expect(posted!.headers).toMatchObject({
      'content-type': 'application/json',
      'idempotency-key': keyOf(e, 'slack'),
      'user-agent': 'Cairn-Journeys/1',
    });
    const email = `t-${mallory.slice(0, 8)}@visitors.test`;
    expect(JSON.parse(posted!.body)).toEqual({
      text:
        `:fire: &lt;!channel&gt; Mal &amp; co (${email}) at &lt;https://evil.test|Reset password&gt; is on pricing. ` +
        '<https://app.cairn.test|Open in Cairn>',
    });

    expect(await act(e, 'slack', { node: live() })).toEqual({ ...result, replayed: true });
    expect(slack.to('/services/T0CAIRN/B0SALES/xoxLiveSecretToken1')).toHaveLength(1);
  });

  it("fails without retrying on Slack's 4xx (invalid_payload, no_service), and retries when Slack is down", async () => {
    const e = await enrollmentOf(hs.profile);
    const refusing = `${slack.base}/services/T0CAIRN/B0SALES/xoxRefusingToken22`;
    expect(await act(e, 'slack', { node: { webhookUrl: refusing }, visit: 2 })).toEqual({
      status: 'failed',
      detail: `failed: POST ${slack.host} answered 400: invalid_payload`,
    });
    const removed = `${slack.base}/services/T0CAIRN/B0GONE/xoxRemovedToken333`;
    expect(await act(e, 'slack', { node: { webhookUrl: removed }, visit: 3 })).toEqual({
      status: 'failed',
      detail: `failed: POST ${slack.host} answered 404: no_service`,
    });
    // Failed for good: Temporal is not asked to retry, and the key is closed.
    expect(await act(e, 'slack', { node: { webhookUrl: removed }, visit: 3 })).toMatchObject({
      status: 'failed',
      replayed: true,
    });
    expect(slack.to('/services/T0CAIRN/B0SALES/xoxRefusingToken22')).toHaveLength(1);
    expect(slack.to('/services/T0CAIRN/B0GONE/xoxRemovedToken333')).toHaveLength(1);

    const down = `${slack.base}/services/T0CAIRN/B0DOWN/xoxDownToken4444`;
    expect(await transientFailure(act(e, 'slack', { node: { webhookUrl: down }, visit: 4 }))).toBe(
      `POST ${slack.host}: 500`,
    );
    expect(await actionRow(keyOf(e, 'slack', 4))).toMatchObject({ status: 'pending' });
  });

  it('skips a step that names a channel: there is no Slack connection, only incoming webhooks', async () => {
    const e = await enrollmentOf(hs.profile);
    const requests = slack.received.length;
    expect(await act(e, 'slack-channel')).toEqual({
      status: 'skipped',
      detail: 'skipped: no Slack connection to post to #sales; use an incoming-webhook URL',
    });
    expect(slack.received).toHaveLength(requests);
  });

  it("never writes a webhook's secret token to the action records or the logs", async () => {
    const rows = await q(`SELECT detail, result::text AS result FROM journey_actions WHERE kind = 'slack'`);
    expect(rows.length).toBeGreaterThanOrEqual(5);
    const stored = JSON.stringify(rows);
    const lines = logs.join('\n');
    for (const token of [
      'xoxLiveSecretToken1',
      'xoxRefusingToken22',
      'xoxRemovedToken333',
      'xoxDownToken4444',
    ]) {
      expect(stored).not.toContain(token);
      expect(lines).not.toContain(token);
    }
  });
});

describe('webhook', () => {
  let secret: string;
  const at = (path: string) => ({ url: `${hooks.base}${path}` });

  beforeAll(async () => {
    const made = await marketer.post(`/api/workspaces/${ws.workspaceId}/journey-secrets`, {
      name: 'crm-hook',
    });
    expect(made.status).toBe(201);
    secret = made.body.secret;
  });

  it('posts the step and the prospect, signed with the workspace secret the receiver verifies — once per key', async () => {
    const e = await enrollmentOf(hs.profile);
    const result = await act(e, 'hook', { node: at('/ok') });
    expect(result).toEqual({ status: 'done', detail: `POST ${hooks.host}: 204` });
    const [got, ...more] = hooks.to('/ok');
    expect(more).toEqual([]);
    const signature = String(got!.headers['x-cairn-signature']);
    const timestamp = String(got!.headers['x-cairn-timestamp']);
    const now = Math.floor(Date.now() / 1000);
    expect(verifyWebhook(secret, got!.body, { signature, timestamp }, now)).toBe(true);
    // The signature binds the secret and the exact body.
    expect(verifyWebhook(`${secret}x`, got!.body, { signature, timestamp }, now)).toBe(false);
    expect(verifyWebhook(secret, `${got!.body} `, { signature, timestamp }, now)).toBe(false);
    expect(got!.headers['idempotency-key']).toBe(keyOf(e, 'hook'));
    const [account] = await q(`SELECT id FROM accounts WHERE workspace_id = $1 AND domain = 'acme.test'`, [
      ws.workspaceId,
    ]);
    expect(JSON.parse(got!.body)).toEqual({
      type: 'journey.step',
      idempotencyKey: keyOf(e, 'hook'),
      journeyId: actions.journeyId,
      versionId: actions.versionId,
      nodeId: 'hook',
      profileId: hs.profile,
      prospect: {
        email: 'grace@acme.test',
        stage: 'evaluation',
        risk: 0.42,
        traits: expect.objectContaining({ firstName: 'Grace', plan: 'Pro' }),
        account: expect.objectContaining({ id: account.id, name: 'Acme', domain: 'acme.test' }),
      },
    });

    expect(await act(e, 'hook', { node: at('/ok') })).toEqual({ ...result, replayed: true });
    expect(hooks.to('/ok')).toHaveLength(1);

    // Without a secret the payload goes unsigned.
    expect(await act(e, 'unsigned-hook', { node: at('/ok') })).toMatchObject({ status: 'done' });
    expect(hooks.to('/ok')[1]!.headers['x-cairn-signature']).toBeUndefined();
  });

  it('retries a 5xx or 429 under the same key until accepted, closes a 4xx at once, fails after the retries', async () => {
    const e = await enrollmentOf(sf.profile);
    expect(await transientFailure(act(e, 'hook', { node: at('/flaky') }))).toBe(`POST ${hooks.host}: 503`);
    expect(await transientFailure(act(e, 'hook', { node: at('/flaky') }))).toBe(`POST ${hooks.host}: 429`);
    expect(await act(e, 'hook', { node: at('/flaky') })).toEqual({
      status: 'done',
      detail: `POST ${hooks.host}: 200`,
    });
    const tries = hooks.to('/flaky');
    expect(tries).toHaveLength(3);
    const now = Math.floor(Date.now() / 1000);
    for (const t of tries) {
      expect(t.headers['idempotency-key']).toBe(keyOf(e, 'hook'));
      const headers = {
        signature: String(t.headers['x-cairn-signature']),
        timestamp: String(t.headers['x-cairn-timestamp']),
      };
      expect(verifyWebhook(secret, t.body, headers, now)).toBe(true);
    }
    expect(await actionRow(keyOf(e, 'hook'))).toMatchObject({ status: 'done', attempts: 3 });

    // A 4xx is the receiver saying no: failed, not retried.
    expect(await act(e, 'hook', { node: at('/unprocessable'), visit: 2 })).toEqual({
      status: 'failed',
      detail: `failed: POST ${hooks.host} answered 422: {"error":"unknown profile"}`,
    });
    expect(await act(e, 'hook', { node: at('/unprocessable'), visit: 2 })).toMatchObject({ replayed: true });
    expect(hooks.to('/unprocessable')).toHaveLength(1);

    // Always 500: each attempt throws for Temporal to retry; when its attempts run out the workflow closes the
    // key as failed, and a replay does not call again.
    for (let i = 0; i < 2; i++) {
      expect(await transientFailure(act(e, 'hook', { node: at('/broken'), visit: 3 }))).toBe(
        `POST ${hooks.host}: 500`,
      );
    }
    await run.actions.markFailed(keyOf(e, 'hook', 3), `POST ${hooks.host}: 500`);
    expect(await act(e, 'hook', { node: at('/broken'), visit: 3 })).toEqual({
      status: 'failed',
      detail: `failed after retries: POST ${hooks.host}: 500`,
      replayed: true,
    });
    expect(hooks.to('/broken')).toHaveLength(2);
  });

  it('fails a signed step whose secret does not exist, without calling the receiver', async () => {
    const e = await enrollmentOf(hs.profile);
    const requests = hooks.received.length;
    expect(await act(e, 'lost-secret-hook', { node: at('/ok') })).toEqual({
      status: 'failed',
      detail: 'failed: no workspace secret named "gone"',
    });
    expect(hooks.received).toHaveLength(requests);
  });

  it('keeps the secret sealed: never listed, stored, recorded or logged', async () => {
    const list = await marketer.get(`/api/workspaces/${ws.workspaceId}/journey-secrets`);
    expect(list.body).toEqual([{ name: 'crm-hook', createdAt: expect.any(String) }]);
    expect(list.text).not.toContain(secret);
    const [row] = await q(`SELECT secret_enc FROM journey_secrets WHERE workspace_id = $1`, [ws.workspaceId]);
    expect(row.secret_enc).not.toContain(secret.slice('whsec_'.length));
    const records = JSON.stringify(await q(`SELECT detail, result FROM journey_actions`));
    expect(records).not.toContain(secret);
    for (const r of hooks.received) {
      expect(r.body).not.toContain(secret);
      expect(JSON.stringify(r.headers)).not.toContain(secret);
    }
    // The capture works (the secret's own request is in it), and the secret is not.
    expect(logs.some((l) => l.includes('/journey-secrets'))).toBe(true);
    expect(logs.join('\n')).not.toContain(secret);
  });
});

describe('segment_event', () => {
  async function received(event: string) {
    return q(
      `SELECT anonymous_id AS "anonymousId", properties FROM events WHERE workspace_id = $1 AND event = $2`,
      [receiver, event],
    );
  }

  it('sends the event with its properties through Segment, once per key', async () => {
    const e = await enrollmentOf(hs.profile);
    const result = await act(e, 'segment');
    expect(result).toEqual({ status: 'done', detail: 'Segment event "Journey Milestone Reached" sent' });
    await expect.poll(() => received('Journey Milestone Reached')).toHaveLength(1);
    const [event] = await received('Journey Milestone Reached');
    expect(event).toEqual({
      anonymousId: hs.profile,
      properties: {
        milestone: 'pricing',
        score: 3,
        vip: true,
        note: null,
        journeyId: actions.journeyId,
        nodeId: 'segment',
        cairnProfileId: hs.profile,
      },
    });
    expect(await act(e, 'segment')).toEqual({ ...result, replayed: true });
    // A second send would have been accepted before `act` returned: nothing more arrived.
    expect(await received('Journey Milestone Reached')).toHaveLength(1);
  });

  it('skips people who opted out, and workspaces without Segment outbound', async () => {
    const optedOut = await trackedPerson(ws.workspaceId, { firstName: 'No' });
    const e = await enrol(actions, optedOut);
    await q(`UPDATE profiles SET consent = 'denied' WHERE id = $1`, [optedOut]);
    expect(await act(e, 'segment')).toEqual({ status: 'skipped', detail: 'skipped: opted out' });
    const elsewhere = await trackedPerson(bare.workspaceId, {});
    const e2 = await enrol(bareJourney, elsewhere);
    expect(await act(e2, 'segment')).toEqual({
      status: 'skipped',
      detail: 'skipped: Segment outbound is not set up',
    });
    expect(await received('Journey Milestone Reached')).toHaveLength(1);
  });
});

describe('enroll_journey (the cases that never reach Temporal)', () => {
  it('skips, saying why, when the other journey is not live, the person opted out or is inside already', async () => {
    const e = await enrollmentOf(hs.profile);
    expect(await act(e, 'to-draft')).toEqual({
      status: 'skipped',
      detail: 'skipped: not enrolled (not_active)',
    });
    expect(await act(e, 'to-paused')).toEqual({
      status: 'skipped',
      detail: 'skipped: not enrolled (not_active)',
    });
    // Grace is on the live journey's path already (its workflow is elsewhere).
    await enrol(liveTarget, hs.profile);
    expect(await act(e, 'to-live')).toEqual({ status: 'skipped', detail: 'skipped: not enrolled (inside)' });

    const optedOut = await trackedPerson(ws.workspaceId, {}, 'denied');
    const e2 = await enrol(actions, optedOut);
    expect(await act(e2, 'to-live')).toEqual({
      status: 'skipped',
      detail: 'skipped: not enrolled (opted_out)',
    });
    const [n] = await q(`SELECT count(*)::int AS n FROM journey_enrollments WHERE profile_id = $1`, [
      optedOut,
    ]);
    expect(n.n).toBe(1);
  });
});

describe('a prospect erased while inside the journey', () => {
  it('skips their next step instead of failing on the enrolment that went with them', async () => {
    const gone = await trackedPerson(ws.workspaceId, {});
    const e = await enrol(actions, gone);
    // Erasure deletes the profile; their enrolment and steps go with it.
    await q(`DELETE FROM profiles WHERE id = $1`, [gone]);
    await run.step(e, 'segment', 1);
    expect(await act(e, 'segment')).toEqual({
      status: 'skipped',
      detail: 'skipped: the prospect no longer exists',
    });
    expect(await actionRow(keyOf(e, 'segment'))).toMatchObject({ status: 'skipped', enrollmentId: null });
  });
});
