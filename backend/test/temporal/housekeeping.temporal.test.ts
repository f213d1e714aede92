import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { SCHEDULE_IDS, WORKFLOW_TYPES, type PurgeResult } from '@cairn/workflows';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSchedules } from '../../src/worker/schedules';
import { startTestWorker } from '../support/temporal';

let t: Awaited<ReturnType<typeof startTestWorker>>;

beforeAll(async () => {
  t = await startTestWorker();
});
afterAll(() => t?.close());

async function seedSessions() {
  const [user] = await t.ds.query(
    `INSERT INTO users (email, name, password_hash) VALUES ($1, 'H', 'x') RETURNING id`,
    [`h-${Date.now()}-${Math.random()}@x.test`],
  );
  await t.ds.query(
    `INSERT INTO sessions (id, user_id, expires_at) VALUES
       ($1, $3, now() - interval '1 hour'), ($2, $3, now() + interval '1 day')`,
    [`expired-${user.id}`, `live-${user.id}`, user.id],
  );
  await t.ds.query(
    `INSERT INTO sign_in_failures (key, failed_at) VALUES ('email:old@x', now() - interval '1 day'), ('email:new@x', now())`,
  );
  await t.ds.query(
    `INSERT INTO event_message_ids (key, received_at) VALUES
       (md5($1)::uuid, now() - interval '31 days'), (md5($2)::uuid, now() - interval '6 days')`,
    [`old-${user.id}`, `recent-${user.id}`],
  );
  return user.id as string;
}

describe('housekeeping workflow', () => {
  it('purges expired sessions and old sign-in failures through the real activity', async () => {
    const userId = await seedSessions();
    const handle = await t.client.workflow.start(WORKFLOW_TYPES.housekeeping, {
      taskQueue: t.taskQueue,
      workflowId: `housekeeping-${userId}`,
    });
    const result: PurgeResult = await handle.result();
    expect(result).toEqual({ sessions: 1, invites: 0, signInFailures: 1, messageIds: 1 });
    const ledger: { recent: boolean }[] = await t.ds.query(
      `SELECT key = md5($1)::uuid AS recent FROM event_message_ids`,
      [`recent-${userId}`],
    );
    expect(ledger).toEqual([{ recent: true }]);
    const left: { id: string }[] = await t.ds.query(`SELECT id FROM sessions WHERE user_id = $1`, [userId]);
    expect(left.map((r) => r.id)).toEqual([`live-${userId}`]);
    const failures: { key: string }[] = await t.ds.query(`SELECT key FROM sign_in_failures`);
    expect(failures.map((f) => f.key)).toEqual(['email:new@x']);

    if (process.env['CAIRN_RECORD_HISTORIES'] === '1') {
      const history = await handle.fetchHistory();
      await writeFile(join(__dirname, '../fixtures/histories/housekeeping.json'), historyToJSON(history));
    }
  });

  it('is scheduled once, and the schedule fires the workflow', async () => {
    const first = await ensureSchedules(t.client, t.taskQueue);
    const second = await ensureSchedules(t.client, t.taskQueue);
    expect(first).toEqual([SCHEDULE_IDS.housekeeping, SCHEDULE_IDS.journeyInactivity]);
    expect(second).toEqual([]);
    const schedule = t.client.schedule.getHandle(SCHEDULE_IDS.housekeeping);
    try {
      const described = await schedule.describe();
      expect(described.action).toMatchObject({
        type: 'startWorkflow',
        workflowType: WORKFLOW_TYPES.housekeeping,
      });
      expect(described.spec.intervals?.[0]?.every).toBe(3_600_000);

      await seedSessions();
      await schedule.trigger();
      let workflowId: string | undefined;
      for (let i = 0; i < 100 && !workflowId; i++) {
        workflowId = (await schedule.describe()).info.recentActions[0]?.action.workflow.workflowId;
        if (!workflowId) await new Promise((r) => setTimeout(r, 100));
      }
      expect(workflowId).toBeDefined();
      const result: PurgeResult = await t.client.workflow.getHandle(workflowId!).result();
      expect(result.sessions).toBe(1);
    } finally {
      await schedule.delete();
      await t.client.schedule.getHandle(SCHEDULE_IDS.journeyInactivity).delete();
    }
  });
});
