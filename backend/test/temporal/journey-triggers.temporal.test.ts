import {
  definitionToCanvas,
  SCHEDULE_IDS,
  WORKFLOW_TYPES,
  type InactivitySweepResult,
  type JourneyDefinition,
  type JourneyNode,
  type JourneyTrigger,
} from '@cairn/workflows';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createJourneySweepActivities,
  JourneyInactivitySweep,
} from '../../src/modules/journeys/journey-inactivity';
import { createJourneyActivities, JourneyRunService } from '../../src/modules/journeys/journey-run.service';
import { JourneysService } from '../../src/modules/journeys/journeys.service';
import { EventPartitions } from '../../src/modules/events/event-partitions';
import { ScoringService } from '../../src/modules/scoring/scoring.service';
import { ensureSchedules } from '../../src/worker/schedules';
import { startJourneyHarness, until, type JourneyHarness } from '../support/journey-harness';

/**
 * The triggers nothing but production's own paths fire, end to end on a real Temporal dev server and database:
 * a CRM deal stage move written to crm_objects → the scoring queue → a scoring drain → enrolment; entering a
 * segment as a person is re-scored; and the scheduled inactivity sweep. Each checks that a repeat (another
 * scoring round, another sweep) enrols nobody again even where the entry policy would let it.
 */

let h: JourneyHarness;
let ds: DataSource;
let client: Client;
let taskQueue: string;
let userId: string;
let journeys: JourneysService;
let scoring: ScoringService;

beforeAll(async () => {
  h = await startJourneyHarness('journey-triggers');
  ({ ds, client, taskQueue, userId } = h);
  journeys = h.ctx.get(JourneysService);
  scoring = h.ctx.get(ScoringService);
  await h.startWorker({
    ...createJourneyActivities(h.ctx.get(JourneyRunService)),
    ...createJourneySweepActivities(h.ctx.get(JourneyInactivitySweep)),
    // Scoring wakes the CRM write-back drain; its sending is tested elsewhere.
    drainWriteback: () => Promise.resolve({ sent: 0, failed: 0, due: 0, waitMs: null }),
  });
});

afterAll(async () => {
  await h?.close();
});

// ------------------------------------------------------------------------------------------------ helpers

const exit: JourneyNode = { kind: 'exit', next: {} };

/** Re-entry is allowed after a day: only the trigger's own bookkeeping keeps a repeat from enrolling again. */
function definition(trigger: JourneyTrigger): JourneyDefinition {
  return {
    version: 1,
    trigger,
    settings: {
      entry: { policy: 're_entry', afterDays: 1 },
      maxSendsPerWeek: null,
      quietHours: null,
      sendRatePerMinute: null,
    },
    entryNodeId: 'out',
    nodes: { out: exit },
  };
}

async function space() {
  const [ws] = await ds.query(`INSERT INTO workspaces (name) VALUES ('Journey triggers') RETURNING id`);
  const workspaceId: string = ws.id;
  return {
    workspaceId,
    async prospect(opts: { traits?: Record<string, unknown>; idleDays?: number; consent?: string } = {}) {
      const id = randomUUID();
      await ds.query(
        `INSERT INTO profiles (id, workspace_id, email, traits, consent, first_seen_at, last_seen_at)
         VALUES ($1, $2, $3, $4, $5, now() - interval '60 days', now() - make_interval(days => $6))`,
        [
          id,
          workspaceId,
          `p-${id.slice(0, 8)}@prospects.test`,
          JSON.stringify(opts.traits ?? {}),
          opts.consent ?? 'granted',
          opts.idleDays ?? 0,
        ],
      );
      return id;
    },
    async publish(trigger: JourneyTrigger) {
      const journeyId = await journeys.create(workspaceId, userId, { name: `J ${randomUUID().slice(0, 6)}` });
      const saved = await journeys.saveDraft(workspaceId, journeyId, {
        graph: definitionToCanvas(definition(trigger)),
      });
      expect(saved.errors).toEqual([]);
      const published = await journeys.publish(workspaceId, journeyId, userId);
      return { journeyId, versionId: published.version.id as string };
    },
    /**
     * Something the person did, received now (so a scoring round hands it on as a change) but dated before the
     * stage rules' 30-day window, so it moves no stage.
     */
    async event(profileId: string) {
      await ds.query(
        `INSERT INTO scoring_queue (profile_id, workspace_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
        [profileId, workspaceId],
      );
      const at = new Date(Date.now() - 40 * 86_400_000);
      await h.ctx.get(EventPartitions).ensureFor([at]);
      await ds.query(
        `INSERT INTO events (workspace_id, message_id, profile_id, type, event, "timestamp", received_at)
         VALUES ($1, $2, $3, 'track', 'Note Added', $4, now())`,
        [workspaceId, randomUUID(), profileId, at],
      );
    },
  };
}

async function drain() {
  while ((await scoring.drainQueue()) > 0);
}

async function enrollments(journeyId: string, profileId?: string) {
  return ds.query(
    `SELECT profile_id AS "profileId", entry, trigger, closed_at IS NOT NULL AS closed
       FROM journey_enrollments WHERE journey_id = $1 AND ($2::uuid IS NULL OR profile_id = $2)
      ORDER BY entered_at, entry`,
    [journeyId, profileId ?? null],
  ) as Promise<{ profileId: string; entry: number; trigger: unknown; closed: boolean }[]>;
}

/** Waits for the person's workflows in the journey to finish, then dates their entries two days back. */
async function closeAndAge(journeyId: string) {
  await until(async () => (await enrollments(journeyId)).every((e) => e.closed));
  await ds.query(
    `UPDATE journey_enrollments SET entered_at = entered_at - interval '2 days' WHERE journey_id = $1`,
    [journeyId],
  );
}

async function sweep(workflowId = `inactivity-${randomUUID()}`) {
  const handle = await client.workflow.start(WORKFLOW_TYPES.journeyInactivity, { taskQueue, workflowId });
  const result: InactivitySweepResult = await handle.result();
  return { handle, result };
}

// ------------------------------------------------------------------------------------------------- tests

describe('CRM deal stage triggers', () => {
  it('enrol the deal’s people when the CRM pull writes a stage move, once per move', async () => {
    const { workspaceId, prospect, publish, event } = await space();
    const won = await publish({ kind: 'crm_deal_stage', from: 'contractsent', to: 'closedwon' });
    const sent = await publish({ kind: 'crm_deal_stage', to: 'contractsent' });
    const p = await prospect();
    const [conn] = await ds.query(
      `INSERT INTO crm_connections (workspace_id, provider, status, external_account, access_token_enc, refresh_token_enc)
       VALUES ($1, 'hubspot', 'active', 'portal-1', 'x', 'x') RETURNING id`,
      [workspaceId],
    );
    // As the CRM pull leaves them: the contact matched to the person, the deal's association to it.
    await ds.query(
      `INSERT INTO crm_objects (workspace_id, connection_id, object_type, external_id, profile_id)
       VALUES ($1, $2, 'contacts', 'c-1', $3)`,
      [workspaceId, conn.id, p],
    );
    await ds.query(
      `INSERT INTO crm_associations (workspace_id, connection_id, from_type, from_id, to_type, to_id)
       VALUES ($1, $2, 'deals', 'd-1', 'contacts', 'c-1')`,
      [workspaceId, conn.id],
    );
    const upsertDeal = (stage: string, enteredDaysAgo: number) =>
      ds.query(
        `INSERT INTO crm_objects (workspace_id, connection_id, object_type, external_id, stage, stage_entered_at)
         VALUES ($1, $2, 'deals', 'd-1', $3, now() - make_interval(days => $4))
         ON CONFLICT (connection_id, object_type, external_id) DO UPDATE SET
           stage = EXCLUDED.stage, stage_entered_at = EXCLUDED.stage_entered_at, synced_at = now()`,
        [workspaceId, conn.id, stage, enteredDaysAgo],
      );

    // A first pull finds the deal long in its stage: history, not a move.
    await upsertDeal('contractsent', 30);
    await drain();
    expect(await ds.query(`SELECT stage FROM profile_stages WHERE profile_id = $1`, [p])).toHaveLength(1);
    expect(await enrollments(sent.journeyId)).toEqual([]);

    // The deal moves on in the CRM; the next pull writes it.
    await upsertDeal('closedwon', 0);
    expect(await ds.query(`SELECT profile_id FROM scoring_queue`)).toEqual([{ profile_id: p }]);
    await drain();
    expect(await enrollments(won.journeyId, p)).toEqual([
      expect.objectContaining({
        entry: 1,
        trigger: { kind: 'deal_stage_changed', from: 'contractsent', to: 'closedwon' },
      }),
    ]);
    expect(await enrollments(sent.journeyId)).toEqual([]);

    // Scored again for something else: the move is not handed on a second time.
    await closeAndAge(won.journeyId);
    await event(p);
    await drain();
    expect(await enrollments(won.journeyId, p)).toHaveLength(1);

    // A new deal created in the stage is a move into it.
    await ds.query(
      `INSERT INTO crm_associations (workspace_id, connection_id, from_type, from_id, to_type, to_id)
       VALUES ($1, $2, 'deals', 'd-2', 'contacts', 'c-1')`,
      [workspaceId, conn.id],
    );
    await ds.query(
      `INSERT INTO crm_objects (workspace_id, connection_id, object_type, external_id, stage)
       VALUES ($1, $2, 'deals', 'd-2', 'ContractSent')`,
      [workspaceId, conn.id],
    );
    await drain();
    expect(await enrollments(sent.journeyId, p)).toEqual([
      expect.objectContaining({ trigger: { kind: 'deal_stage_changed', from: null, to: 'ContractSent' } }),
    ]);
  });
});

describe('segment entry triggers', () => {
  it('enrol on coming into the segment as the person is re-scored, not again while inside', async () => {
    const { prospect, publish, event } = await space();
    const segment = await publish({
      kind: 'segment_entered',
      match: 'all',
      conditions: [
        { subject: 'stage', op: 'eq', value: 'aware' },
        { subject: 'trait', property: 'plan', op: 'eq', value: 'enterprise' },
      ],
    });
    // Scored before (at evaluation); re-scoring with no recent behaviour puts them back at aware.
    const falling = await prospect({ traits: { plan: 'enterprise' } });
    const team = await prospect({ traits: { plan: 'team' } });
    for (const id of [falling, team]) {
      await ds.query(
        `INSERT INTO profile_stages (profile_id, workspace_id, stage, stage_index, entered_at, reason)
         SELECT $1, workspace_id, 'evaluation', 2, now() - interval '20 days', 'test' FROM profiles WHERE id = $1`,
        [id],
      );
      await event(id);
    }
    await drain();
    const entered = await enrollments(segment.journeyId);
    expect(entered).toEqual([
      expect.objectContaining({
        profileId: falling,
        trigger: {
          kind: 'profile_changed',
          before: { stage: 'evaluation', risk: null, traits: { plan: 'enterprise' }, account: null },
          after: { stage: 'aware', risk: null, traits: { plan: 'enterprise' }, account: null },
        },
      }),
    ]);

    // Still inside: another change (an event) enrols nobody, though re-entry would now be allowed.
    await closeAndAge(segment.journeyId);
    await event(falling);
    await event(team);
    await drain();
    expect(await enrollments(segment.journeyId)).toHaveLength(1);

    // A trait change brings the other person in.
    await ds.query(`UPDATE profiles SET traits = '{"plan": "enterprise"}' WHERE id = $1`, [team]);
    await event(team);
    await drain();
    expect((await enrollments(segment.journeyId, team)).map((e) => e.entry)).toEqual([1]);

    // Leaving and coming back is entering again.
    await closeAndAge(segment.journeyId);
    await ds.query(`UPDATE profiles SET traits = '{"plan": "team"}' WHERE id = $1`, [falling]);
    await event(falling);
    await drain();
    expect(await enrollments(segment.journeyId, falling)).toHaveLength(1);
    await ds.query(`UPDATE profiles SET traits = '{"plan": "enterprise"}' WHERE id = $1`, [falling]);
    await event(falling);
    await drain();
    expect((await enrollments(segment.journeyId, falling)).map((e) => e.entry)).toEqual([1, 2]);
  });

  it('does not take in everyone already inside when the journey is published', async () => {
    const { prospect, publish, event } = await space();
    const p = await prospect({ traits: { plan: 'enterprise' } });
    await event(p);
    await drain();
    const segment = await publish({
      kind: 'segment_entered',
      match: 'any',
      conditions: [{ subject: 'trait', property: 'plan', op: 'eq', value: 'enterprise' }],
    });
    await event(p);
    await drain();
    expect(await enrollments(segment.journeyId)).toEqual([]);
  });
});

describe('inactivity triggers', () => {
  it('are swept on a schedule: idle people enrol once per quiet spell', { timeout: 120_000 }, async () => {
    const { prospect, publish } = await space();
    const quiet = await publish({ kind: 'inactivity', days: 14 });
    const idle = await prospect({ idleDays: 20 });
    await prospect({ idleDays: 3 });
    await prospect({ idleDays: 40, consent: 'denied' });

    const first = await sweep();
    expect(first.result).toMatchObject({ routed: 1, enrolled: 1 });
    expect(await enrollments(quiet.journeyId)).toEqual([
      expect.objectContaining({ profileId: idle, entry: 1, trigger: { kind: 'inactive', idleDays: 20 } }),
    ]);
    if (process.env['CAIRN_RECORD_HISTORIES'] === '1') {
      await writeFile(
        join(__dirname, '../fixtures/histories/journey-inactivity.json'),
        historyToJSON(await first.handle.fetchHistory()),
      );
    }

    // Swept again in the same quiet spell: nobody is routed, though re-entry would now be allowed.
    await closeAndAge(quiet.journeyId);
    expect((await sweep()).result).toMatchObject({ routed: 0, enrolled: 0 });
    expect(await enrollments(quiet.journeyId)).toHaveLength(1);

    // Back for a moment, then quiet again for long enough: a new spell.
    await ds.query(`UPDATE profiles SET last_seen_at = now() - interval '15 days' WHERE id = $1`, [idle]);
    expect((await sweep()).result).toMatchObject({ routed: 1, enrolled: 1 });
    expect((await enrollments(quiet.journeyId, idle)).map((e) => e.entry)).toEqual([1, 2]);
  });

  it('pages through a large workspace', { timeout: 120_000 }, async () => {
    const { workspaceId, publish } = await space();
    const quiet = await publish({ kind: 'inactivity', days: 7 });
    await ds.query(
      `INSERT INTO profiles (id, workspace_id, consent, first_seen_at, last_seen_at)
       SELECT gen_random_uuid(), $1, 'granted', now() - interval '30 days', now() - interval '10 days'
         FROM generate_series(1, 450)`,
      [workspaceId],
    );
    const { result } = await sweep();
    expect(result).toMatchObject({ routed: 450, enrolled: 450 });
    const rows: { n: number; people: number }[] = await ds.query(
      `SELECT count(*)::int AS n, count(DISTINCT profile_id)::int AS people FROM journey_enrollments
        WHERE journey_id = $1`,
      [quiet.journeyId],
    );
    expect(rows).toEqual([{ n: 450, people: 450 }]);
    expect((await sweep()).result).toMatchObject({ routed: 0, enrolled: 0 });
  });

  it('has an hourly schedule among the system schedules, created once', async () => {
    const schedule = client.schedule.getHandle(SCHEDULE_IDS.journeyInactivity);
    try {
      expect(await ensureSchedules(client, taskQueue)).toContain(SCHEDULE_IDS.journeyInactivity);
      expect(await ensureSchedules(client, taskQueue)).not.toContain(SCHEDULE_IDS.journeyInactivity);
      const described = await schedule.describe();
      expect(described.action).toMatchObject({
        type: 'startWorkflow',
        workflowType: WORKFLOW_TYPES.journeyInactivity,
        taskQueue,
      });
      expect(described.spec.intervals?.[0]?.every).toBe(3_600_000);
    } finally {
      await schedule.delete();
      await client.schedule.getHandle(SCHEDULE_IDS.housekeeping).delete();
    }
  });
});
