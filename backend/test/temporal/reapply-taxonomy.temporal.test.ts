import { WORKFLOW_TYPES } from '@cairn/workflows';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventPartitions } from '../../src/modules/events/event-partitions';
import { startTestWorker } from '../support/temporal';

let t: Awaited<ReturnType<typeof startTestWorker>>;

beforeAll(async () => {
  t = await startTestWorker();
});
afterAll(() => t?.close());

describe('re-applying the taxonomy to history', () => {
  it('re-maps every event across pages, reports progress and completes the job', async () => {
    const [ws] = await t.ds.query(`INSERT INTO workspaces (name) VALUES ('History') RETURNING id`);
    const [user] = await t.ds.query(
      `INSERT INTO users (email, name, password_hash) VALUES ('h@x.io', 'H', 'x') RETURNING id`,
    );
    await t.ds.query(
      `INSERT INTO profiles (id, workspace_id, first_seen_at, last_seen_at) VALUES (gen_random_uuid(), $1, now(), now())`,
      [ws.id],
    );
    await new EventPartitions(t.ds).ensureFor([
      new Date('2026-10-15T00:00:00Z'),
      new Date('2026-11-15T00:00:00Z'),
    ]);
    // 12,000 events over two months, mapped by an older rule set.
    await t.ds.query(
      `INSERT INTO events (workspace_id, message_id, profile_id, type, event, url, canonical_event, category, intent, "timestamp", received_at)
       SELECT $1, 'm' || g, (SELECT id FROM profiles WHERE workspace_id = $1), 'page', 'Docs',
              CASE WHEN g % 2 = 0 THEN 'https://a.co/docs/x' ELSE 'https://a.co/pricing' END,
              'Old', 'old', NULL, timestamp '2026-10-15' + g * interval '5 minutes', now()
         FROM generate_series(1, 12000) g`,
      [ws.id],
    );
    await t.ds.query(
      `INSERT INTO taxonomy_rules (workspace_id, position, match_kind, pattern, canonical_event, category, intent)
       VALUES ($1, 1, 'url', '*/docs*', 'Read Docs', 'docs', 'educational')`,
      [ws.id],
    );
    const [job] = await t.ds.query(
      `INSERT INTO jobs (workspace_id, kind, total, requested_by) VALUES ($1, 'taxonomy.reapply', 12000, $2) RETURNING id`,
      [ws.id, user.id],
    );
    const handle = await t.client.workflow.start(WORKFLOW_TYPES.reapplyTaxonomy, {
      taskQueue: t.taskQueue,
      workflowId: `reapply-taxonomy-${job.id}`,
      args: [{ jobId: job.id, workspaceId: ws.id }],
    });
    await handle.result();
    if (process.env['CAIRN_RECORD_HISTORIES'] === '1') {
      await writeFile(
        join(__dirname, '../fixtures/histories/reapply-taxonomy.json'),
        historyToJSON(await handle.fetchHistory()),
      );
    }
    const counts = await t.ds.query(
      `SELECT canonical_event, count(*)::int AS n FROM events WHERE workspace_id = $1 GROUP BY 1 ORDER BY 1`,
      [ws.id],
    );
    expect(counts).toEqual([
      { canonical_event: 'Page Viewed', n: 6000 },
      { canonical_event: 'Read Docs', n: 6000 },
    ]);
    const [done] = await t.ds.query(
      `SELECT state, processed::int, total::int, finished_at FROM jobs WHERE id = $1`,
      [job.id],
    );
    expect(done).toMatchObject({ state: 'completed', processed: 12000, total: 12000 });
    expect(done.finished_at).not.toBeNull();
  });
});
