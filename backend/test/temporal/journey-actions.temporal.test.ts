import {
  definitionToCanvas,
  journeyWorkflowId,
  type JourneyDefinition,
  type JourneyNode,
  type JourneySignal,
  type JourneyTrigger,
  type ProspectSnapshot,
} from '@cairn/workflows';
import type { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { JourneyActionsService } from '../../src/modules/journeys/journey-actions.service';
import { createJourneyActivities, JourneyRunService } from '../../src/modules/journeys/journey-run.service';
import { JourneyTriggerRouter } from '../../src/modules/journeys/journey-trigger-router';
import { JourneysService } from '../../src/modules/journeys/journeys.service';
import { TemporalService } from '../../src/modules/temporal/temporal.module';
import { startJourneyHarness, until, type JourneyHarness } from '../support/journey-harness';

/**
 * What reaches Temporal from journey actions and triggers, on a real dev server with a real worker: the "enrol in
 * journey" step starting the prospect in another journey, and the trigger router enrolling on the triggers the
 * scoring loop does not exercise (event property filters, CRM deal stages, inactivity, entering a segment).
 * Effects are read where production leaves them: enrolments, action records and the sandbox mailbox.
 */

let h: JourneyHarness;
let ds: DataSource;
let client: Client;
let userId: string;
let journeys: JourneysService;
let router: JourneyTriggerRouter;

beforeAll(async () => {
  h = await startJourneyHarness('journey-actions');
  ({ ds, client, userId } = h);
  journeys = h.ctx.get(JourneysService);
  router = h.ctx.get(JourneyTriggerRouter);
  await h.startWorker(createJourneyActivities(h.ctx.get(JourneyRunService)));
});

afterAll(async () => {
  await h?.close();
});

// ------------------------------------------------------------------------------------------------ helpers

const email = (subject: string): JourneyNode => ({
  kind: 'send_email',
  content: { source: 'inline', subject, body: `<p>Hi {{first_name}}: ${subject}</p>` },
  next: {},
});

function definition(trigger: JourneyTrigger, entryNodeId: string, nodes: Record<string, JourneyNode>) {
  return {
    version: 1,
    trigger,
    settings: { entry: { policy: 'once' }, maxSendsPerWeek: null, quietHours: null, sendRatePerMinute: null },
    entryNodeId,
    nodes,
  } satisfies JourneyDefinition;
}

/** A workspace of its own per test: the router matches every live journey of the workspace. */
async function space() {
  const [ws] = await ds.query(`INSERT INTO workspaces (name) VALUES ('Journey actions') RETURNING id`);
  const workspaceId: string = ws.id;
  return {
    workspaceId,
    async prospect(opts: { consent?: string } = {}) {
      const id = randomUUID();
      await ds.query(
        `INSERT INTO profiles (id, workspace_id, email, traits, consent, first_seen_at, last_seen_at)
         VALUES ($1, $2, $3, '{"firstName": "Ada"}', $4, now(), now())`,
        [id, workspaceId, `p-${id.slice(0, 8)}@prospects.test`, opts.consent ?? 'granted'],
      );
      return id;
    },
    async publish(def: JourneyDefinition) {
      const journeyId = await journeys.create(workspaceId, userId, { name: `J ${randomUUID().slice(0, 6)}` });
      const saved = await journeys.saveDraft(workspaceId, journeyId, { graph: definitionToCanvas(def) });
      expect(saved.errors).toEqual([]);
      const published = await journeys.publish(workspaceId, journeyId, userId);
      return { journeyId, versionId: published.version.id as string };
    },
    route: (profileId: string, signals: JourneySignal[]) => router.route(workspaceId, profileId, signals),
  };
}

async function emails(profileId: string): Promise<string[]> {
  const rows: { subject: string }[] = await ds.query(
    `SELECT subject FROM sent_emails WHERE profile_id = $1 ORDER BY created_at`,
    [profileId],
  );
  return rows.map((r) => r.subject);
}

async function enrollments(journeyId: string, profileId: string) {
  return ds.query(
    `SELECT id, entry, status, trigger, finish_reason AS reason, closed_at IS NOT NULL AS closed
       FROM journey_enrollments WHERE journey_id = $1 AND profile_id = $2 ORDER BY entry`,
    [journeyId, profileId],
  ) as Promise<
    { id: string; entry: number; status: string; trigger: unknown; reason: string | null; closed: boolean }[]
  >;
}

async function action(key: string) {
  const [row] = await ds.query(
    `SELECT status, detail, result, attempts FROM journey_actions WHERE idempotency_key = $1`,
    [key],
  );
  return row as { status: string; detail: string; result: unknown; attempts: number } | undefined;
}

const nothing = { enrolled: [], skipped: [], forwarded: 0 };

// ------------------------------------------------------------------------------------------------- tests

describe('the "enrol in journey" step', () => {
  it('starts the prospect in the other published journey, once per key', async () => {
    const { workspaceId, prospect, publish, route } = await space();
    const welcome = await publish(
      definition({ kind: 'stage_transition', from: 'any', to: 'customer' }, 'hello', {
        hello: email('Welcome aboard'),
      }),
    );
    const trial = await publish(
      definition({ kind: 'event', event: 'Trial Started', filters: [] }, 'handoff', {
        handoff: { kind: 'enroll_journey', journeyId: welcome.journeyId, next: {} },
      }),
    );
    const p = await prospect();
    const routed = await route(p, [{ kind: 'event', event: 'Trial Started', properties: {} }]);
    expect(routed.enrolled.map((e) => e.journeyId)).toEqual([trial.journeyId]);

    // The trial journey's step enrolled them in the welcome journey, whose workflow sent its email.
    await until(async () => (await emails(p)).length > 0);
    expect(await emails(p)).toEqual(['Welcome aboard']);
    const key = `${journeyWorkflowId(trial.versionId, p)}:handoff`;
    const [entered] = await enrollments(welcome.journeyId, p);
    expect(entered).toMatchObject({ entry: 1, trigger: null });
    expect(await action(key)).toEqual({
      status: 'done',
      detail: `enrolled in journey ${welcome.journeyId}`,
      result: {
        journeyId: welcome.journeyId,
        versionId: welcome.versionId,
        enrollmentId: entered!.id,
        workflowId: journeyWorkflowId(welcome.versionId, p),
      },
      attempts: 1,
    });
    const handle = client.workflow.getHandle(journeyWorkflowId(welcome.versionId, p));
    expect((await handle.describe()).type).toBe('journeyWorkflow');

    // The activity again under the same key (a retry after a lost completion): nothing new.
    const [trialEnrollment] = await enrollments(trial.journeyId, p);
    const { definition: def } = await h.ctx.get(JourneyRunService).load(trial.versionId);
    const again = await h.ctx.get(JourneyActionsService).run({
      enrollment: {
        workspaceId,
        journeyId: trial.journeyId,
        versionId: trial.versionId,
        profileId: p,
        enrollmentId: trialEnrollment!.id,
        entry: 1,
      },
      key,
      nodeId: 'handoff',
      node: def.nodes['handoff']!,
      settings: def.settings,
    });
    expect(again).toEqual({
      status: 'done',
      detail: `enrolled in journey ${welcome.journeyId}`,
      replayed: true,
    });
    expect(await enrollments(welcome.journeyId, p)).toHaveLength(1);
  });

  it('enrols the person on the retry when Temporal did not take the start', async () => {
    const { prospect, publish, route } = await space();
    const welcome = await publish(
      definition({ kind: 'stage_transition', from: 'any', to: 'customer' }, 'hello', {
        hello: email('Welcome after all'),
      }),
    );
    const trial = await publish(
      definition({ kind: 'event', event: 'Trial Started', filters: [] }, 'handoff', {
        handoff: { kind: 'enroll_journey', journeyId: welcome.journeyId, next: {} },
      }),
    );
    // The first start of the welcome journey's workflow fails at the Temporal client, as when the frontend is down.
    const workflows = h.ctx.get(TemporalService).client.workflow;
    const signalWithStart = workflows.signalWithStart.bind(workflows);
    let refused = 0;
    const spy = vi.spyOn(workflows, 'signalWithStart').mockImplementation(((type, options) => {
      if (options.workflowId.startsWith(`journey-${welcome.versionId}-`) && refused++ === 0) {
        return Promise.reject(new Error('14 UNAVAILABLE: Connection refused'));
      }
      return signalWithStart(type, options);
    }) as typeof workflows.signalWithStart);
    try {
      const p = await prospect();
      await route(p, [{ kind: 'event', event: 'Trial Started', properties: {} }]);
      // Temporal retries the step (2 s later): this time the welcome journey starts.
      const key = `${journeyWorkflowId(trial.versionId, p)}:handoff`;
      const settled = await until(async () => {
        const a = await action(key);
        return a?.status !== 'pending' && a;
      });
      expect(settled).toMatchObject({ status: 'done', attempts: 2 });
      expect(refused).toBe(2);
      await until(async () => (await emails(p)).length > 0);
      expect(await emails(p)).toEqual(['Welcome after all']);
      expect(await enrollments(welcome.journeyId, p)).toEqual([
        expect.objectContaining({ entry: 1, reason: expect.not.stringMatching(/could not start/) }),
      ]);

      // The same for a trigger: routed again after the start failed, the person enters.
      refused = 0;
      const q = await prospect();
      const stage: JourneySignal = { kind: 'stage_changed', from: 'trial', to: 'customer' };
      await expect(route(q, [stage])).rejects.toThrow(/UNAVAILABLE/);
      expect(await enrollments(welcome.journeyId, q)).toEqual([
        expect.objectContaining({
          status: 'exited',
          closed: true,
          reason: expect.stringMatching(/could not start/),
        }),
      ]);
      const again = await route(q, [stage]);
      expect(again.enrolled.map((e) => e.journeyId)).toEqual([welcome.journeyId]);
      await until(async () => (await emails(q)).length > 0);
      expect(await emails(q)).toEqual(['Welcome after all']);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('the trigger router', () => {
  it('enrols on an event only when its properties pass every filter', async () => {
    const { prospect, publish, route } = await space();
    const demo = await publish(
      definition(
        {
          kind: 'event',
          event: 'Demo Requested',
          filters: [
            { property: 'plan', op: 'eq', value: 'enterprise' },
            { property: 'seats', op: 'gte', value: 10 },
            { property: 'utm.source', op: 'exists' },
          ],
        },
        'mail',
        { mail: email('About your demo') },
      ),
    );
    const other = await publish(
      definition({ kind: 'event', event: 'Pricing Viewed', filters: [] }, 'mail', { mail: email('Pricing') }),
    );
    const p = await prospect();
    const props = { plan: 'enterprise', seats: 12, utm: { source: 'ads' } };
    expect(
      await route(p, [
        { kind: 'event', event: 'Demo Viewed', properties: props },
        { kind: 'event', event: 'Demo Requested', properties: { ...props, plan: 'team' } },
        { kind: 'event', event: 'Demo Requested', properties: { ...props, seats: 9 } },
        { kind: 'event', event: 'Demo Requested', properties: { plan: 'enterprise', seats: 12 } },
      ]),
    ).toEqual({ ...nothing, profileId: p });
    expect(await enrollments(demo.journeyId, p)).toEqual([]);

    const matching: JourneySignal = { kind: 'event', event: 'Demo Requested', properties: props };
    const routed = await route(p, [matching]);
    expect(routed.enrolled).toEqual([
      {
        journeyId: demo.journeyId,
        versionId: demo.versionId,
        enrollmentId: expect.any(String),
        workflowId: journeyWorkflowId(demo.versionId, p),
      },
    ]);
    expect(routed.skipped).toEqual([]);
    expect(await enrollments(demo.journeyId, p)).toEqual([expect.objectContaining({ trigger: matching })]);
    expect(await enrollments(other.journeyId, p)).toEqual([]);
    await until(async () => (await emails(p)).length > 0);
    expect(await emails(p)).toEqual(['About your demo']);

    // The same event from someone who opted out enrols no one.
    const optedOut = await prospect({ consent: 'denied' });
    expect((await route(optedOut, [matching])).skipped).toEqual([
      { journeyId: demo.journeyId, reason: 'opted_out' },
    ]);
  });

  it('enrols on a CRM deal moving into the stage (from the given stage, if any), whatever the letter case', async () => {
    const { prospect, publish, route } = await space();
    const won = await publish(
      definition({ kind: 'crm_deal_stage', from: 'contractsent', to: 'closedwon' }, 'mail', {
        mail: email('Thanks for signing'),
      }),
    );
    const lost = await publish(
      definition({ kind: 'crm_deal_stage', to: 'closedlost' }, 'mail', {
        mail: email('Sorry to see you go'),
      }),
    );
    const p = await prospect();
    const deal = (from: string | null, to: string): JourneySignal => ({
      kind: 'deal_stage_changed',
      from,
      to,
    });
    expect(
      await route(p, [
        deal('appointmentscheduled', 'closedwon'),
        deal(null, 'closedwon'),
        deal('closedwon', 'ClosedWon'),
        { kind: 'stage_changed', from: 'contractsent', to: 'closedwon' },
      ]),
    ).toEqual({ ...nothing, profileId: p });

    const routed = await route(p, [deal('ContractSent', 'ClosedWon')]);
    expect(routed.enrolled.map((e) => e.journeyId)).toEqual([won.journeyId]);
    expect(await enrollments(won.journeyId, p)).toEqual([
      expect.objectContaining({ trigger: deal('ContractSent', 'ClosedWon') }),
    ]);
    // Without a "from", any move into the stage counts.
    const q = await prospect();
    expect((await route(q, [deal(null, 'closedlost')])).enrolled.map((e) => e.journeyId)).toEqual([
      lost.journeyId,
    ]);
    await until(async () => (await emails(p)).length > 0 && (await emails(q)).length > 0);
    expect(await emails(p)).toEqual(['Thanks for signing']);
    expect(await emails(q)).toEqual(['Sorry to see you go']);
  });

  it('enrols after N idle days, not before, and once', async () => {
    const { prospect, publish, route } = await space();
    const quiet = await publish(
      definition({ kind: 'inactivity', days: 14 }, 'mail', { mail: email('We miss you') }),
    );
    const p = await prospect();
    expect(await route(p, [{ kind: 'inactive', idleDays: 13 }])).toEqual({ ...nothing, profileId: p });
    const routed = await route(p, [{ kind: 'inactive', idleDays: 14 }]);
    expect(routed.enrolled.map((e) => e.journeyId)).toEqual([quiet.journeyId]);
    await until(async () => (await emails(p)).length > 0);
    expect(await emails(p)).toEqual(['We miss you']);
    await until(async () => (await enrollments(quiet.journeyId, p))[0]?.closed);
    expect((await route(p, [{ kind: 'inactive', idleDays: 30 }])).skipped).toEqual([
      { journeyId: quiet.journeyId, reason: 'once' },
    ]);
  });

  it('enrols when the prospect comes into the segment, not while in it or outside it', async () => {
    const { prospect, publish, route } = await space();
    const enterprise = await publish(
      definition(
        {
          kind: 'segment_entered',
          match: 'all',
          conditions: [
            { subject: 'trait', property: 'plan', op: 'eq', value: 'enterprise' },
            { subject: 'risk', op: 'gte', value: 0.5 },
          ],
        },
        'mail',
        { mail: email('A hand from our team') },
      ),
    );
    const snapshot = (plan: string, risk: number | null): ProspectSnapshot => ({
      stage: 'evaluation',
      risk,
      traits: { plan },
      account: null,
    });
    const inside = snapshot('enterprise', 0.7);
    const changed = (before: ProspectSnapshot | null, after: ProspectSnapshot): JourneySignal => ({
      kind: 'profile_changed',
      before,
      after,
    });
    const p = await prospect();
    expect(
      await route(p, [
        changed(inside, snapshot('enterprise', 0.9)),
        changed(null, snapshot('enterprise', 0.2)),
        changed(snapshot('team', 0.9), snapshot('enterprise', null)),
      ]),
    ).toEqual({ ...nothing, profileId: p });

    const entering = changed(snapshot('enterprise', 0.3), inside);
    const routed = await route(p, [entering]);
    expect(routed.enrolled.map((e) => e.journeyId)).toEqual([enterprise.journeyId]);
    expect(await enrollments(enterprise.journeyId, p)).toEqual([
      expect.objectContaining({ trigger: entering }),
    ]);
    // Seen for the first time already inside the segment: that is entering it too.
    const q = await prospect();
    expect((await route(q, [changed(null, inside)])).enrolled).toHaveLength(1);
    await until(async () => (await emails(p)).length > 0 && (await emails(q)).length > 0);
    expect(await emails(p)).toEqual(['A hand from our team']);
  });
});
