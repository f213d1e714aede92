import {
  assignmentKey,
  assignVariant,
  definitionToCanvas,
  inHoldout,
  type JourneyDefinition,
  type JourneyNode,
  type JourneySignal,
  type RandomSplitNode,
} from '@cairn/workflows';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JourneyActionsService } from '../../src/modules/journeys/journey-actions.service';
import { createJourneyActivities, JourneyRunService } from '../../src/modules/journeys/journey-run.service';
import { JourneyTriggerRouter } from '../../src/modules/journeys/journey-trigger-router';
import { JourneysService } from '../../src/modules/journeys/journeys.service';
import { startJourneyHarness, until, type JourneyHarness } from '../support/journey-harness';

/**
 * The journey interpreter on a real Temporal dev server and a real database, driven the way production drives
 * it: journeys published through the service, prospects routed in by the trigger router. Tests run at once
 * (the dev server does not skip time and an "until" wait times out after a minute at the least).
 */

const SEC = 1000;
const STAGE_UP: JourneySignal = { kind: 'stage_changed', from: 'evaluation', to: 'purchase_intent' };

let h: JourneyHarness;
let ds: DataSource;
let client: Client;
let userId: string;
let journeys: JourneysService;
let router: JourneyTriggerRouter;
let worker: { stop(): Promise<void> } | null = null;

const startWorker = () => h.startWorker(createJourneyActivities(h.ctx.get(JourneyRunService)));

beforeAll(async () => {
  h = await startJourneyHarness('journeys');
  ({ ds, client, userId } = h);
  journeys = h.ctx.get(JourneysService);
  router = h.ctx.get(JourneyTriggerRouter);
  worker = await startWorker();
});

afterAll(async () => {
  await h?.close();
});

// ------------------------------------------------------------------------------------------------ helpers

async function prospect(
  workspaceId: string,
  opts: { consent?: string; stage?: string; risk?: number; name?: string } = {},
) {
  const id = randomUUID();
  const email = `p-${id.slice(0, 8)}@prospects.test`;
  await ds.query(
    `INSERT INTO profiles (id, workspace_id, email, traits, consent, first_seen_at, last_seen_at)
     VALUES ($1, $2, $3, $4, $5, now(), now())`,
    [id, workspaceId, email, JSON.stringify({ firstName: opts.name ?? 'Ada' }), opts.consent ?? 'granted'],
  );
  await ds.query(
    `INSERT INTO profile_stages (profile_id, workspace_id, stage, stage_index, entered_at, reason)
     VALUES ($1, $2, $3, 3, now(), 'test')`,
    [id, workspaceId, opts.stage ?? 'purchase_intent'],
  );
  if (opts.risk !== undefined) {
    await ds.query(
      `INSERT INTO profile_scores (profile_id, workspace_id, risk, scored_at) VALUES ($1, $2, $3, now())`,
      [id, workspaceId, opts.risk],
    );
  }
  return id;
}

const email = (subject: string, next: Record<string, string> = {}): JourneyNode => ({
  kind: 'send_email',
  content: { source: 'inline', subject, body: `<p>Hi {{first_name}}: ${subject}</p>` },
  next,
});

function definition(
  entryNodeId: string,
  nodes: Record<string, JourneyNode>,
  settings: Partial<JourneyDefinition['settings']> = {},
): JourneyDefinition {
  return {
    version: 1,
    trigger: { kind: 'stage_transition', from: 'evaluation', to: 'purchase_intent' },
    settings: {
      entry: { policy: 'once' },
      maxSendsPerWeek: null,
      quietHours: null,
      sendRatePerMinute: null,
      ...settings,
    },
    entryNodeId,
    nodes,
  };
}

async function publish(workspaceId: string, def: JourneyDefinition, journeyId?: string) {
  const id =
    journeyId ?? (await journeys.create(workspaceId, userId, { name: `J ${randomUUID().slice(0, 6)}` }));
  await journeys.saveDraft(workspaceId, id, { graph: definitionToCanvas(def) });
  const published = await journeys.publish(workspaceId, id, userId);
  return { journeyId: id, versionId: published.version.id, changes: published.changes };
}

async function emails(profileId: string): Promise<string[]> {
  const rows: { subject: string }[] = await ds.query(
    `SELECT subject FROM sent_emails WHERE profile_id = $1 ORDER BY created_at`,
    [profileId],
  );
  return rows.map((r) => r.subject);
}

async function enrollment(journeyId: string, profileId: string) {
  const [row] = await ds.query(
    `SELECT id, status, arm, current_node_id AS "nodeId", converted_at AS "convertedAt",
            converted_node_id AS "convertedNodeId", finish_reason AS reason, closed_at AS "closedAt",
            version_id AS "versionId", workflow_id AS "workflowId", entry
       FROM journey_enrollments WHERE journey_id = $1 AND profile_id = $2 ORDER BY entry DESC LIMIT 1`,
    [journeyId, profileId],
  );
  return row;
}

/** A workspace of its own per test: every journey here has the same trigger. */
async function space() {
  const [ws] = await ds.query(`INSERT INTO workspaces (name) VALUES ('Journeys') RETURNING id`);
  const workspaceId: string = ws.id;
  return {
    workspaceId,
    prospect: (opts: Parameters<typeof prospect>[1] = {}) => prospect(workspaceId, opts),
    publish: (def: JourneyDefinition, journeyId?: string) => publish(workspaceId, def, journeyId),
    enter: (profileId: string, signals: JourneySignal[] = [STAGE_UP]) =>
      router.route(workspaceId, profileId, signals),
  };
}

// ------------------------------------------------------------------------------------------------- tests

describe.concurrent('journey interpreter', () => {
  it(
    'waits for a duration, then for an event or its timeout, taking the matching branch',
    { timeout: 120_000 },
    async () => {
      const { prospect, publish, enter } = await space();
      const { journeyId } = await publish(
        definition('pause', {
          pause: { kind: 'wait', mode: 'duration', durationMs: 1 * SEC, next: { next: 'await-demo' } },
          'await-demo': {
            kind: 'wait',
            mode: 'until',
            until: {
              type: 'event',
              event: 'Demo Booked',
              filters: [{ property: 'seats', op: 'gte', value: 5 }],
            },
            timeoutMs: 60 * SEC,
            next: { matched: 'thanks', timeout: 'nudge' },
          },
          thanks: email('Thanks for booking'),
          nudge: email('Still interested?'),
        }),
      );
      const booker = await prospect();
      const silent = await prospect();
      const routed = await enter(booker);
      expect(routed.enrolled).toHaveLength(1);
      await enter(silent);

      // Still in the duration wait: an event now is not what the "until" wait saw, so it must come later.
      await until(async () => (await enrollment(journeyId, booker))?.nodeId === 'await-demo');
      await enter(booker, [{ kind: 'event', event: 'Demo Booked', properties: { seats: 2 } }]);
      await sleep(500);
      expect(await emails(booker)).toEqual([]);
      await enter(booker, [{ kind: 'event', event: 'Demo Booked', properties: { seats: 12 } }]);
      await until(async () => (await emails(booker)).length > 0);
      expect(await emails(booker)).toEqual(['Thanks for booking']);

      // The other prospect hears nothing and leaves by the timeout after a minute.
      expect(await emails(silent)).toEqual([]);
      await until(async () => (await emails(silent)).length > 0, 90 * SEC);
      expect(await emails(silent)).toEqual(['Still interested?']);
      const done = await until(async () => {
        const e = await enrollment(journeyId, silent);
        return e?.status === 'completed' && e;
      });
      expect(done.reason).toBe('end of path');
    },
  );

  it('branches on risk and splits each prospect the same way every time they enter', async () => {
    const { prospect, publish, enter } = await space();
    const split: RandomSplitNode = {
      kind: 'random_split',
      variants: [
        { id: 'a', percentage: 50 },
        { id: 'b', percentage: 50 },
      ],
      next: { a: 'mail-a', b: 'mail-b' },
    };
    const { journeyId } = await publish(
      definition(
        'risky',
        {
          risky: {
            kind: 'branch',
            paths: [{ id: 'high', match: 'all', conditions: [{ subject: 'risk', op: 'gte', value: 0.7 }] }],
            next: { high: 'split', else: 'calm' },
          },
          split,
          'mail-a': email('Variant A'),
          'mail-b': email('Variant B'),
          calm: email('All good'),
        },
        { entry: { policy: 're_entry', afterDays: 1 } },
      ),
    );
    const people = await Promise.all(Array.from({ length: 8 }, () => prospect({ risk: 0.9 })));
    const lowRisk = await prospect({ risk: 0.1 });
    await Promise.all([...people, lowRisk].map((p) => enter(p)));
    const expected = (p: string) =>
      assignVariant(assignmentKey(journeyId, 'split', p), split) === 'a' ? 'Variant A' : 'Variant B';
    for (const p of people) {
      await until(async () => (await emails(p)).length === 1);
      expect(await emails(p)).toEqual([expected(p)]);
    }
    await until(async () => (await emails(lowRisk)).length === 1);
    expect(await emails(lowRisk)).toEqual(['All good']);
    // Both variants occur among eight people (the hash spreads them), so the split really splits.
    expect(new Set(people.map(expected)).size).toBe(2);

    // They enter again (re-entry after a day, so the first entry is moved back two days): same variants.
    for (const p of people) await until(async () => (await enrollment(journeyId, p))?.closedAt);
    await ds.query(
      `UPDATE journey_enrollments SET entered_at = now() - interval '2 days' WHERE journey_id = $1`,
      [journeyId],
    );
    const again = await Promise.all(people.map((p) => enter(p)));
    expect(again.every((r) => r.enrolled.length === 1)).toBe(true);
    for (const p of people) {
      await until(async () => (await emails(p)).length === 2);
      expect(await emails(p)).toEqual([expected(p), expected(p)]);
      expect((await enrollment(journeyId, p)).entry).toBe(2);
    }
  });

  it(
    'holds out a control group that gets nothing, and records goals for both arms',
    { timeout: 120_000 },
    async () => {
      const { workspaceId, prospect, publish, enter } = await space();
      const holdout = { kind: 'holdout' as const, percentage: 50, next: { next: 'offer' } };
      const { journeyId } = await publish(
        definition('holdout', {
          holdout,
          offer: email('Your offer', { next: 'await-purchase' }),
          'await-purchase': {
            kind: 'wait',
            mode: 'until',
            until: { type: 'event', event: 'Purchased', filters: [] },
            timeoutMs: 60 * SEC,
            next: { matched: 'won' },
          },
          won: { kind: 'goal', conversion: { type: 'event', event: 'Purchased', filters: [] }, next: {} },
        }),
      );
      const people = await Promise.all(Array.from({ length: 10 }, () => prospect()));
      await Promise.all(people.map((p) => enter(p)));
      const control = people.filter((p) => inHoldout(assignmentKey(journeyId, 'holdout', p), holdout));
      const treatment = people.filter((p) => !control.includes(p));
      expect(control.length).toBeGreaterThan(0);
      expect(treatment.length).toBeGreaterThan(0);
      for (const p of treatment)
        await until(async () => (await enrollment(journeyId, p))?.nodeId === 'await-purchase');
      for (const p of control) {
        const e = await until(async () => {
          const row = await enrollment(journeyId, p);
          return row?.status === 'completed' && row;
        });
        expect(e).toMatchObject({ arm: 'control', reason: 'holdout control', closedAt: null });
      }
      for (const p of control) expect(await emails(p)).toEqual([]);
      for (const p of treatment) expect(await emails(p)).toEqual(['Your offer']);

      // One of each arm buys: both count as conversions, the treatment one at the goal step.
      const buyers = [treatment[0]!, control[0]!];
      await Promise.all(buyers.map((p) => enter(p, [{ kind: 'event', event: 'Purchased', properties: {} }])));
      const t = await until(async () => {
        const row = await enrollment(journeyId, treatment[0]!);
        return row?.closedAt && row;
      });
      expect(t).toMatchObject({ arm: 'treatment', convertedNodeId: 'won', status: 'completed' });
      const c = await until(async () => {
        const row = await enrollment(journeyId, control[0]!);
        return row?.closedAt && row;
      });
      expect(c.convertedAt).not.toBeNull();
      expect(c.convertedNodeId).toBeNull();

      const stats = await journeys.stats(workspaceId, journeyId, null);
      expect(stats.holdout.treatment).toMatchObject({ enrolled: treatment.length, converted: 1 });
      expect(stats.holdout.control).toMatchObject({ enrolled: control.length, converted: 1 });
      expect(stats.holdout.uplift).not.toBeNull();
      expect(stats.nodes.find((n) => n.nodeId === 'won')).toMatchObject({ entered: 1, converted: 1 });
      expect(stats.nodes.find((n) => n.nodeId === 'await-purchase')).toMatchObject({
        entered: treatment.length,
        waiting: treatment.length - 1,
      });
    },
  );

  it('sends exactly once across a killed worker and a lost activity completion', async () => {
    const { prospect, publish, enter } = await space();
    const { journeyId, versionId } = await publish(
      definition('first', {
        first: email('First', { next: 'gap' }),
        gap: { kind: 'wait', mode: 'duration', durationMs: 3 * SEC, next: { next: 'second' } },
        second: email('Second'),
      }),
    );
    const p = await prospect();
    // The send of "second" is done, then its completion is lost as if the worker died before reporting it.
    const actions = h.ctx.get(JourneyActionsService);
    const run = actions.run.bind(actions);
    let secondAttempts = 0;
    actions.run = async (input) => {
      const result = await run(input);
      if (input.nodeId === 'second' && input.enrollment.journeyId === journeyId && secondAttempts++ === 0) {
        throw new Error('worker died before reporting');
      }
      return result;
    };
    try {
      await enter(p);
      await until(async () => (await emails(p)).length === 1);
      // Mid-journey (in the wait), the worker goes away; a new one takes over the same task queue.
      await worker!.stop();
      worker = null;
      await sleep(1_000);
      worker = await startWorker();
      await until(async () => (await enrollment(journeyId, p))?.closedAt, 60 * SEC);
    } finally {
      actions.run = run;
    }
    // The first attempt sent and "died"; the retry found the key done and sent nothing.
    expect(secondAttempts).toBe(2);
    expect(await emails(p)).toEqual(['First', 'Second']);
    const rows: { key: string; status: string; attempts: number }[] = await ds.query(
      `SELECT idempotency_key AS key, status, attempts FROM journey_actions WHERE journey_id = $1 ORDER BY node_id`,
      [journeyId],
    );
    const workflowId = `journey-${versionId}-${p}`;
    expect(rows).toEqual([
      { key: `${workflowId}:first`, status: 'done', attempts: 1 },
      { key: `${workflowId}:second`, status: 'done', attempts: 2 },
    ]);

    if (process.env['CAIRN_RECORD_HISTORIES'] === '1') {
      const history = await client.workflow.getHandle(workflowId).fetchHistory();
      await writeFile(join(__dirname, '../fixtures/histories/journey.json'), historyToJSON(history));
    }
  });

  it('pauses people at their current step and lets them go on when resumed', async () => {
    const { workspaceId, prospect, publish, enter } = await space();
    const { journeyId } = await publish(
      definition('hold', {
        hold: { kind: 'wait', mode: 'duration', durationMs: 1 * SEC, next: { next: 'mail' } },
        mail: email('After the pause'),
      }),
    );
    const p = await prospect();
    await enter(p);
    await until(async () => (await enrollment(journeyId, p))?.nodeId === 'hold');
    const paused = await journeys.control(workspaceId, journeyId, 'pause');
    expect(paused).toMatchObject({ status: 'paused', inside: 1, signalled: 1 });
    expect(paused.effect).toContain('wait at their current step');
    // Paused: no one new enters, and the one inside stays at the wait after it elapsed.
    const late = await prospect();
    expect((await enter(late)).enrolled).toEqual([]);
    await sleep(3 * SEC);
    expect(await emails(p)).toEqual([]);
    expect(await enrollment(journeyId, p)).toMatchObject({ status: 'active', nodeId: 'hold' });

    const resumed = await journeys.control(workspaceId, journeyId, 'resume');
    expect(resumed.status).toBe('active');
    await until(async () => (await emails(p)).length === 1);
    expect(await emails(p)).toEqual(['After the pause']);
  });

  it('takes people out when archived', async () => {
    const { workspaceId, prospect, publish, enter } = await space();
    const { journeyId } = await publish(
      definition('hold', {
        hold: { kind: 'wait', mode: 'duration', durationMs: 2 * SEC, next: { next: 'mail' } },
        mail: email('Never sent'),
      }),
    );
    const p = await prospect();
    await enter(p);
    await until(async () => (await enrollment(journeyId, p))?.nodeId === 'hold');
    const archived = await journeys.control(workspaceId, journeyId, 'archive');
    expect(archived.effect).toContain('leave the journey');
    const e = await until(async () => {
      const row = await enrollment(journeyId, p);
      return row?.closedAt && row;
    });
    expect(e).toMatchObject({ status: 'exited', reason: 'journey archived' });
    await sleep(2 * SEC);
    expect(await emails(p)).toEqual([]);
  });

  it('keeps people inside on their version when a new one is published', async () => {
    const { prospect, publish, enter } = await space();
    const v1 = definition('hold', {
      hold: { kind: 'wait', mode: 'duration', durationMs: 3 * SEC, next: { next: 'mail' } },
      mail: email('Version one'),
    });
    const first = await publish(v1);
    const early = await prospect();
    await enter(early);
    await until(async () => (await enrollment(first.journeyId, early))?.nodeId === 'hold');
    const v2 = structuredClone(v1);
    v2.nodes['mail'] = email('Version two');
    const second = await publish(v2, first.journeyId);
    expect(second.versionId).not.toBe(first.versionId);
    expect(second.changes.map((c) => c.summary)).toEqual([expect.stringContaining('content.subject')]);
    const late = await prospect();
    await enter(late);
    await until(async () => (await emails(early)).length === 1 && (await emails(late)).length === 1);
    expect(await emails(early)).toEqual(['Version one']);
    expect(await emails(late)).toEqual(['Version two']);
    expect((await enrollment(first.journeyId, early)).versionId).toBe(first.versionId);
    expect((await enrollment(first.journeyId, late)).versionId).toBe(second.versionId);
  });

  it(
    'continues as new on a long loop, keeping one key per visit and the weekly email cap',
    { timeout: 180_000 },
    async () => {
      const { workspaceId, prospect, publish, enter } = await space();
      const { journeyId, versionId } = await publish(
        definition(
          'tick',
          {
            tick: { kind: 'wait', mode: 'duration', durationMs: 1 * SEC, next: { next: 'ping' } },
            ping: email('Reminder', { next: 'tick' }),
          },
          { maxSendsPerWeek: 2 },
        ),
      );
      const p = await prospect();
      await enter(p);
      const handle = client.workflow.getHandle(`journey-${versionId}-${p}`);
      const firstRun = (await handle.describe()).runId;
      // 100 steps per run: past 52 visits of the reminder the workflow has continued as new at least once.
      await until(async () => {
        const [r] = await ds.query(
          `SELECT count(*)::int AS n FROM journey_actions WHERE journey_id = $1 AND node_id = 'ping'`,
          [journeyId],
        );
        return r.n >= 52;
      }, 150 * SEC);
      expect((await handle.describe()).runId).not.toBe(firstRun);
      await journeys.control(workspaceId, journeyId, 'archive');
      await until(async () => (await enrollment(journeyId, p))?.closedAt);
      const actions: { key: string; status: string; detail: string }[] = await ds.query(
        `SELECT idempotency_key AS key, status, detail FROM journey_actions WHERE journey_id = $1 ORDER BY created_at`,
        [journeyId],
      );
      const workflowId = `journey-${versionId}-${p}`;
      expect(actions.slice(0, 3).map((a) => a.key)).toEqual([
        `${workflowId}:ping`,
        `${workflowId}:ping:v2`,
        `${workflowId}:ping:v3`,
      ]);
      expect(new Set(actions.map((a) => a.key)).size).toBe(actions.length);
      expect(actions.filter((a) => a.status === 'done')).toHaveLength(2);
      expect(actions.slice(2).every((a) => a.status === 'skipped' && a.detail.includes('weekly cap'))).toBe(
        true,
      );
      expect(await emails(p)).toEqual(['Reminder', 'Reminder']);
      // Steps were recorded across runs without gaps.
      const [steps] = await ds.query(
        `SELECT count(*)::int AS n, max(visit) AS v FROM journey_steps WHERE node_id = 'tick' AND journey_id = $1`,
        [journeyId],
      );
      expect(steps.n).toBe(steps.v);
    },
  );

  it('re-enters a prospect whose workflow is still watching for the goal', async () => {
    const { prospect, publish, enter } = await space();
    const { journeyId, versionId } = await publish(
      definition(
        'mail',
        {
          mail: email('Welcome back', { next: 'won' }),
          won: { kind: 'goal', conversion: { type: 'event', event: 'Purchased', filters: [] }, next: {} },
        },
        { entry: { policy: 're_entry', afterDays: 1 } },
      ),
    );
    const p = await prospect();
    await enter(p);
    const first = await until(async () => {
      const e = await enrollment(journeyId, p);
      return e?.status === 'completed' && e;
    });
    expect(first.closedAt).toBeNull(); // watching for "Purchased" over the conversion window
    expect((await enter(p)).skipped).toEqual([{ journeyId, reason: 'too_soon' }]);
    await ds.query(`UPDATE journey_enrollments SET entered_at = now() - interval '2 days' WHERE id = $1`, [
      first.id,
    ]);
    expect((await enter(p)).enrolled).toHaveLength(1);
    await until(async () => (await emails(p)).length === 2);
    const rows: { entry: number; closed: boolean }[] = await ds.query(
      `SELECT entry, closed_at IS NOT NULL AS closed FROM journey_enrollments WHERE journey_id = $1 ORDER BY entry`,
      [journeyId],
    );
    expect(rows).toEqual([
      { entry: 1, closed: true },
      { entry: 2, closed: false },
    ]);
    const keys: { key: string }[] = await ds.query(
      `SELECT idempotency_key AS key FROM journey_actions WHERE journey_id = $1 ORDER BY created_at`,
      [journeyId],
    );
    const workflowId = `journey-${versionId}-${p}`;
    expect(keys.map((k) => k.key)).toEqual([`${workflowId}:mail`, `${workflowId}:mail:e2`]);
  });

  it('never enrols people who opted out, and enrols others once', async () => {
    const { prospect, publish, enter } = await space();
    const { journeyId } = await publish(definition('mail', { mail: email('Hello') }));
    const optedOut = await prospect({ consent: 'denied' });
    const r = await enter(optedOut);
    expect(r.enrolled).toEqual([]);
    expect(r.skipped).toEqual([{ journeyId, reason: 'opted_out' }]);
    const p = await prospect();
    expect((await enter(p)).enrolled).toHaveLength(1);
    await until(async () => (await enrollment(journeyId, p))?.closedAt);
    // Entry policy "once": the same transition later does not enrol again; other signals do nothing.
    expect((await enter(p)).skipped).toEqual([{ journeyId, reason: 'once' }]);
    expect((await enter(p, [{ kind: 'stage_changed', from: 'aware', to: 'engaged' }])).enrolled).toEqual([]);
    expect(await emails(p)).toEqual(['Hello']);
    expect(await emails(optedOut)).toEqual([]);
  });
});
