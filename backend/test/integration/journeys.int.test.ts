import { definitionToCanvas, type CanvasGraph, type JourneyDefinition } from '@cairn/workflows';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, seedWorkspace, startTestApi, type TestApi } from '../support/api';
import { HttpClient } from '../support/http-client';

let api: TestApi;
let a: Awaited<ReturnType<typeof seedWorkspace>>;
let b: Awaited<ReturnType<typeof seedWorkspace>>;
const clients = new Map<string, HttpClient>();

async function as(role: 'admin' | 'marketer' | 'sales', ws = a) {
  const key = `${ws.workspaceId}:${role}`;
  if (!clients.has(key)) {
    const c = new HttpClient(api.url);
    await c.signIn(ws.users[role]!.email, PASSWORD);
    clients.set(key, c);
  }
  return clients.get(key)!;
}

const base = () => `/api/workspaces/${a.workspaceId}`;

function journey(subject = 'Hi {{first_name}}'): JourneyDefinition {
  return {
    version: 1,
    trigger: { kind: 'stage_transition', from: 'evaluation', to: 'purchase_intent' },
    settings: { entry: { policy: 'once' }, maxSendsPerWeek: 2, quietHours: null, sendRatePerMinute: null },
    entryNodeId: 'wait',
    nodes: {
      wait: { kind: 'wait', mode: 'duration', durationMs: 86_400_000, next: { next: 'risk' } },
      risk: {
        kind: 'branch',
        paths: [{ id: 'high', match: 'all', conditions: [{ subject: 'risk', op: 'gte', value: 0.6 }] }],
        next: { high: 'mail' },
      },
      mail: { kind: 'send_email', content: { source: 'inline', subject, body: '<p>Hello</p>' }, next: {} },
    },
  };
}

async function create(name = `Journey ${randomUUID().slice(0, 6)}`) {
  const res = await (await as('marketer')).post(`${base()}/journeys`, { name });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

async function save(id: string, graph: CanvasGraph, baseRevision?: number) {
  return (await as('marketer')).request('PUT', `${base()}/journeys/${id}/draft`, { graph, baseRevision });
}

beforeAll(async () => {
  api = await startTestApi();
  a = await seedWorkspace(api.ds, 'Journeys A', ['admin', 'marketer', 'sales']);
  b = await seedWorkspace(api.ds, 'Journeys B', ['marketer']);
});
afterAll(() => api?.close());

describe('the safety gate on risk triggers', () => {
  it('refuses to act on a risk threshold the active model is not precise enough at, and says why', async () => {
    const id = await create();
    const def = {
      ...journey(),
      trigger: { kind: 'risk_crossing' as const, threshold: 0.7, direction: 'up' as const },
    };
    const noModel = await save(id, definitionToCanvas(def), 1);
    expect(noModel.body.errors).toEqual([
      expect.objectContaining({
        nodeId: 'trigger',
        message: expect.stringMatching(/No model is active yet/),
      }),
    ]);

    // A model whose drop-off predictions at ≥ 70 % were right 64 % of the time, at ≥ 80 % 90 % of the time.
    const thresholds = Array.from({ length: 19 }, (_, i) => ({
      threshold: (i + 1) / 20,
      precision: (i + 1) / 20 >= 0.8 ? 0.9 : 0.64,
      recall: 0.5,
      flaggedRate: 0.1,
    }));
    await api.ds.query(
      `INSERT INTO models (workspace_id, version, status, decision, artifact, metrics)
       VALUES ($1, 1, 'active', 'test', '{}', $2)`,
      [a.workspaceId, JSON.stringify({ risk: { thresholds }, reference: [] })],
    );
    const tooLoose = await save(id, definitionToCanvas(def), 2);
    expect(tooLoose.body.errors[0].message).toMatch(
      /only 64% of people flagged by model v1 did drop off; the workspace requires 80%/,
    );
    const strict = { ...def, trigger: { ...def.trigger, threshold: 0.85 } };
    expect((await save(id, definitionToCanvas(strict), 3)).body.errors).toEqual([]);
    // Acting when risk falls is not gated: nothing is sent on a false alarm.
    await api.ds.query(`DELETE FROM models WHERE workspace_id = $1`, [a.workspaceId]);
    const down = { ...def, trigger: { ...def.trigger, direction: 'down' as const } };
    expect((await save(id, definitionToCanvas(down), 4)).body.errors).toEqual([]);
  });
});

describe('journeys API', () => {
  it('lets marketers and admins build journeys and sales only read them', async () => {
    const id = await create('Roles');
    const sales = await as('sales');
    expect((await sales.get(`${base()}/journeys`)).status).toBe(200);
    expect((await sales.get(`${base()}/journeys/${id}`)).status).toBe(200);
    expect((await sales.get(`${base()}/journeys/${id}/stats`)).status).toBe(200);
    expect((await sales.post(`${base()}/journeys`, { name: 'Nope' })).status).toBe(403);
    expect(
      (await sales.request('PUT', `${base()}/journeys/${id}/draft`, { graph: { nodes: [], edges: [] } }))
        .status,
    ).toBe(403);
    expect((await sales.post(`${base()}/journeys/${id}/publish`)).status).toBe(403);
    expect((await sales.post(`${base()}/journeys/${id}/archive`)).status).toBe(403);
    const admin = await as('admin');
    expect((await admin.post(`${base()}/journeys/${id}/archive`)).status).toBe(200);
    // Another workspace's journey is not there at all.
    const other = await as('marketer', b);
    expect((await other.get(`/api/workspaces/${b.workspaceId}/journeys/${id}`)).status).toBe(404);
    expect((await other.get(`${base()}/journeys/${id}`)).status).toBe(404);
  });

  it('starts a journey as a draft with a trigger, and saves unfinished drafts with errors tied to nodes', async () => {
    const id = await create();
    const detail = await (await as('marketer')).get(`${base()}/journeys/${id}`);
    expect(detail.body).toMatchObject({
      status: 'draft',
      currentVersion: null,
      draftRevision: 1,
      versions: [],
    });
    expect(detail.body.draft.nodes).toEqual([expect.objectContaining({ id: 'trigger', type: 'trigger' })]);
    expect(detail.body.errors).toEqual([
      expect.objectContaining({ nodeId: 'trigger', code: 'trigger_not_connected' }),
    ]);

    const graph = definitionToCanvas(journey());
    const mail = graph.nodes.find((n) => n.id === 'mail')!;
    mail.data = { content: { source: 'inline', subject: '', body: 'Hi {{first name}}' } };
    graph.nodes.push({ id: 'orphan', type: 'exit', position: { x: 0, y: 500 }, data: {} });
    const saved = await save(id, graph, 1);
    expect(saved.status).toBe(200);
    expect(saved.body.revision).toBe(2);
    const byNode = (nodeId: string) =>
      saved.body.errors.filter((e: { nodeId?: string }) => e.nodeId === nodeId);
    expect(byNode('mail').map((e: { message: string }) => e.message)).toEqual([
      'content.subject: cannot be empty',
      expect.stringContaining('is not a merge field'),
    ]);
    expect(byNode('orphan')).toEqual([expect.objectContaining({ code: 'unreachable' })]);

    // Publishing refuses with the same node-tied errors.
    const refused = await (await as('marketer')).post(`${base()}/journeys/${id}/publish`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('journeys.invalid_draft');
    expect(refused.body.error.details.errors.map((e: { nodeId?: string }) => e.nodeId)).toEqual(
      expect.arrayContaining(['mail', 'orphan']),
    );
    const preview = await (await as('marketer')).get(`${base()}/journeys/${id}/publish-preview`);
    expect(preview.body).toMatchObject({ ok: false, nextVersion: 1 });

    // An edit from a stale revision is a conflict, not a silent overwrite; an unreadable graph is a 400.
    expect((await save(id, graph, 1)).status).toBe(409);
    const garbage = await (
      await as('marketer')
    ).request('PUT', `${base()}/journeys/${id}/draft`, {
      graph: { nodes: 'x', edges: [] },
    });
    expect(garbage.status).toBe(400);
    expect(garbage.body.error.code).toBe('validation.failed');
  });

  it('publishes immutable versions and says what changed since the last one', async () => {
    const id = await create('Versions');
    const m = await as('marketer');
    expect((await save(id, definitionToCanvas(journey()))).status).toBe(200);
    const first = await m.post(`${base()}/journeys/${id}/publish`);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ version: 1, previousVersion: null });
    expect(first.body.effect).toContain('live');

    expect((await save(id, definitionToCanvas(journey('Last chance, {{first_name}}')))).status).toBe(200);
    const preview = await m.get(`${base()}/journeys/${id}/publish-preview`);
    expect(preview.body).toMatchObject({ ok: true, nextVersion: 2 });
    expect(preview.body.changes).toEqual([
      { kind: 'step_changed', nodeId: 'mail', summary: 'Changed Send email “mail”: content.subject' },
    ]);
    const second = await m.post(`${base()}/journeys/${id}/publish`);
    expect(second.body).toMatchObject({ version: 2, previousVersion: 1, changes: preview.body.changes });
    expect(second.body.effect).toBe(
      'People already inside stay on version 1 until they finish; new entrants get version 2.',
    );

    const detail = await m.get(`${base()}/journeys/${id}`);
    expect(detail.body).toMatchObject({ status: 'active', currentVersion: 2, errors: [] });
    expect(detail.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const v1 = detail.body.versions[1];
    const version = await m.get(`${base()}/journeys/${id}/versions/${v1.id}`);
    expect(version.body.definition.nodes.mail.content.subject).toBe('Hi {{first_name}}');
    await expect(
      api.ds.query(`UPDATE journey_versions SET definition = '{}' WHERE id = $1`, [v1.id]),
    ).rejects.toThrow(/immutable/);

    const list = await m.get(`${base()}/journeys`);
    expect(list.body.find((j: { id: string }) => j.id === id)).toMatchObject({
      status: 'active',
      currentVersion: 2,
      inside: 0,
    });
  });

  it('pauses, resumes and archives, saying what happens to people inside', async () => {
    const id = await create('Lifecycle');
    const m = await as('marketer');
    expect((await m.post(`${base()}/journeys/${id}/pause`)).status).toBe(409);
    await save(id, definitionToCanvas(journey()));
    await m.post(`${base()}/journeys/${id}/publish`);
    const paused = await m.post(`${base()}/journeys/${id}/pause`);
    expect(paused.status).toBe(200);
    expect(paused.body).toEqual({
      status: 'paused',
      inside: 0,
      signalled: 0,
      effect: '0 people inside wait at their current step until you resume; no one new enters.',
    });
    expect((await m.post(`${base()}/journeys/${id}/pause`)).status).toBe(409);
    const resumed = await m.post(`${base()}/journeys/${id}/resume`);
    expect(resumed.body.effect).toContain('go on from the step they were waiting at');
    const archived = await m.post(`${base()}/journeys/${id}/archive`);
    expect(archived.body).toMatchObject({ status: 'archived' });
    expect(archived.body.effect).toContain('leave the journey now');
    expect((await save(id, definitionToCanvas(journey()))).status).toBe(409);
    expect((await m.post(`${base()}/journeys/${id}/publish`)).status).toBe(409);
  });

  it('reports per-node stats and the holdout comparison with its interval', async () => {
    const id = await create('Stats');
    const m = await as('marketer');
    await save(id, definitionToCanvas(journey()));
    const published = await m.post(`${base()}/journeys/${id}/publish`);
    const versionId = published.body.versionId;
    const profiles: string[] = [];
    for (let i = 0; i < 6; i++) {
      const pid = randomUUID();
      profiles.push(pid);
      await api.ds.query(
        `INSERT INTO profiles (id, workspace_id, first_seen_at, last_seen_at) VALUES ($1, $2, now(), now())`,
        [pid, a.workspaceId],
      );
      const [e] = await api.ds.query(
        `INSERT INTO journey_enrollments (workspace_id, journey_id, version_id, profile_id, workflow_id, entry, status,
                                          current_node_id, arm, converted_at)
         VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8, $9) RETURNING id`,
        [
          a.workspaceId,
          id,
          versionId,
          pid,
          `journey-${versionId}-${pid}`,
          i < 2 ? 'active' : 'completed',
          i < 2 ? 'wait' : null,
          i % 2 ? 'control' : 'treatment',
          i === 0 || i === 2 || i === 3 ? new Date() : null,
        ],
      );
      await api.ds.query(
        `INSERT INTO journey_steps (enrollment_id, node_id, visit, journey_id, version_id) VALUES ($1, 'wait', 1, $2, $3)`,
        [e.id, id, versionId],
      );
    }
    const stats = await m.get(`${base()}/journeys/${id}/stats?versionId=${versionId}`);
    expect(stats.status).toBe(200);
    expect(stats.body.nodes).toEqual([{ nodeId: 'wait', entered: 6, waiting: 2, converted: 3, actions: {} }]);
    expect(stats.body.totals).toEqual({ enrolled: 6, inside: 2, converted: 3 });
    expect(stats.body.holdout.treatment).toEqual({ enrolled: 3, converted: 2, rate: 2 / 3 });
    expect(stats.body.holdout.control).toEqual({ enrolled: 3, converted: 1, rate: 1 / 3 });
    const uplift = stats.body.holdout.uplift;
    expect(uplift.estimate).toBeCloseTo(1 / 3, 10);
    expect(uplift.lower).toBeLessThan(uplift.estimate);
    expect(uplift.upper).toBeGreaterThan(uplift.estimate);
  });
});

describe('email templates and the sandbox mailbox', () => {
  it('previews with a real prospect, test-sends to the mailbox and checks template references', async () => {
    const m = await as('marketer');
    const [account] = await api.ds.query(
      `INSERT INTO accounts (workspace_id, name, domain) VALUES ($1, 'Acme', 'acme.test') RETURNING id`,
      [a.workspaceId],
    );
    const pid = randomUUID();
    await api.ds.query(
      `INSERT INTO profiles (id, workspace_id, account_id, email, traits, first_seen_at, last_seen_at)
       VALUES ($1, $2, $3, 'grace@acme.test', '{"firstName": "Grace <3"}', now(), now())`,
      [pid, a.workspaceId, account.id],
    );
    const bad = await m.post(`${base()}/email-templates`, {
      name: 'Bad',
      subject: 'Hi {{first name}}',
      body: 'x',
    });
    expect(bad.status).toBe(400);
    const created = await m.post(`${base()}/email-templates`, {
      name: 'Welcome',
      subject: 'Welcome, {{first_name}}',
      body: '<p>{{first_name}} from {{account.name}} — {{plan}}</p>',
    });
    expect(created.status).toBe(201);
    const preview = await m.post(`${base()}/email-templates/preview`, {
      subject: created.body.subject,
      body: created.body.body,
      profileId: pid,
    });
    expect(preview.body).toEqual({
      to: 'grace@acme.test',
      subject: 'Welcome, Grace <3',
      html: '<p>Grace &lt;3 from Acme — </p>',
      missing: ['plan'],
    });
    const sent = await m.post(`${base()}/email-templates/test-send`, {
      subject: created.body.subject,
      body: created.body.body,
      profileId: pid,
      templateId: created.body.id,
      to: 'me@cairn.test',
    });
    expect(sent.status).toBe(201);
    const sales = await as('sales');
    expect(
      (await sales.post(`${base()}/email-templates/test-send`, { subject: 's', body: 'b', to: 'x@y.test' }))
        .status,
    ).toBe(403);
    const mailbox = await sales.get(`${base()}/mailbox`);
    expect(mailbox.status).toBe(200);
    expect(mailbox.body[0]).toMatchObject({
      id: sent.body.emailId,
      kind: 'test',
      to: 'me@cairn.test',
      subject: '[Test] Welcome, Grace <3',
      adapter: 'sandbox',
      status: 'delivered',
    });
    expect((await sales.get(`${base()}/mailbox/${sent.body.emailId}`)).body.html).toContain('Grace &lt;3');

    // A send step naming a template that does not exist is an error on that step.
    const id = await create('Templates');
    const def = journey();
    def.nodes['mail'] = {
      kind: 'send_email',
      content: { source: 'template', templateId: randomUUID() },
      next: {},
    };
    const saved = await save(id, definitionToCanvas(def));
    expect(saved.body.errors).toEqual([
      expect.objectContaining({ nodeId: 'mail', message: expect.stringContaining('no email template') }),
    ]);
    def.nodes['mail'] = {
      kind: 'send_email',
      content: { source: 'template', templateId: created.body.id },
      next: {},
    };
    expect((await save(id, definitionToCanvas(def))).body.errors).toEqual([]);
  });

  it('makes webhook signing secrets shown once', async () => {
    const m = await as('marketer');
    const made = await m.post(`${base()}/journey-secrets`, { name: 'billing-hook' });
    expect(made.status).toBe(201);
    expect(made.body.secret).toMatch(/^whsec_/);
    const list = await m.get(`${base()}/journey-secrets`);
    expect(list.body).toEqual([{ name: 'billing-hook', createdAt: expect.any(String) }]);
    expect((await (await as('sales')).get(`${base()}/journey-secrets`)).status).toBe(403);
  });
});
