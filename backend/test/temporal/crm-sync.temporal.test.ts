import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateSeed, seedHubSpot, startHubSpotSandbox, type HubSpotSandbox } from '@cairn/sandbox';
import { SCHEDULE_IDS } from '@cairn/workflows';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SecretBox } from '../../src/common/crypto/secret-box';
import { SECRET_BOX } from '../../src/common/crypto/secret-box.provider';
import { CrmSyncService } from '../../src/modules/crm-sync/crm-sync.service';
import { startTestWorker } from '../support/temporal';

let hubspot: HubSpotSandbox;
let t: Awaited<ReturnType<typeof startTestWorker>>;
let sync: CrmSyncService;
let box: SecretBox;
let workspaceId: string;
let connectionId: string;

const TYPES = ['companies', 'contacts', 'deals', 'emails'] as const;
const liveTotal = () => TYPES.reduce((n, type) => n + hubspot.store.list(type).length, 0);

/** Gives the connection a working token, as a fresh OAuth grant would. */
async function grant() {
  await t.ds.query(
    `UPDATE crm_connections SET access_token_enc = $2, refresh_token_enc = $3, status = 'active', status_reason = NULL
      WHERE id = $1`,
    [connectionId, box.seal(hubspot.store.createPrivateAppToken()), box.seal('not-a-refresh-token')],
  );
}

async function run(runId: string) {
  const [row] = await t.ds.query(
    `SELECT state, done::int, estimated_total::int AS total, error FROM sync_runs WHERE id = $1`,
    [runId],
  );
  return row as { state: string; done: number; total: number | null; error: string | null };
}

async function connection() {
  const [row] = await t.ds.query(`SELECT status, status_reason FROM crm_connections WHERE id = $1`, [
    connectionId,
  ]);
  return row as { status: string; status_reason: string | null };
}

async function counts() {
  const rows: { object_type: string; n: number }[] = await t.ds.query(
    `SELECT object_type, count(*)::int AS n FROM crm_objects WHERE connection_id = $1 AND NOT archived GROUP BY 1`,
    [connectionId],
  );
  return Object.fromEntries(rows.map((r) => [r.object_type, r.n]));
}

beforeAll(async () => {
  hubspot = await startHubSpotSandbox({ seed: 'temporal-sync' });
  seedHubSpot(hubspot.store, generateSeed({ seed: 'temporal-sync', accounts: 12, leads: 20 }));
  t = await startTestWorker({
    HUBSPOT_CLIENT_ID: hubspot.app.clientId,
    HUBSPOT_CLIENT_SECRET: hubspot.app.clientSecret,
    HUBSPOT_API_URL: hubspot.baseUrl,
    HUBSPOT_AUTHORIZE_URL: `${hubspot.baseUrl}/oauth/authorize`,
    CAIRN_SECRET_KEY: randomBytes(32).toString('base64'),
  });
  sync = t.ctx.get(CrmSyncService);
  box = t.ctx.get(SECRET_BOX);
  const [ws] = await t.ds.query(`INSERT INTO workspaces (name) VALUES ('Temporal sync') RETURNING id`);
  workspaceId = ws.id;
  const [c] = await t.ds.query(
    `INSERT INTO crm_connections (workspace_id, provider, status, external_account, access_token_enc, refresh_token_enc)
     VALUES ($1, 'hubspot', 'active', $2, 'x', 'x') RETURNING id`,
    [workspaceId, String(hubspot.store.hubId)],
  );
  connectionId = c.id;
  await grant();
});
afterAll(async () => {
  await t?.close();
  await hubspot?.close();
});

describe('the CRM sync workflow', () => {
  it('pulls a connection page by page, records progress and sets the status back to active', async () => {
    const { runId } = await sync.triggerSync(workspaceId, connectionId);
    const handle = t.client.workflow.getHandle(`crm-sync-${connectionId}`);
    const result = await handle.result();
    expect(result).toEqual({ runId, done: liveTotal() });
    if (process.env['CAIRN_RECORD_HISTORIES'] === '1') {
      await writeFile(
        join(__dirname, '../fixtures/histories/crm-sync.json'),
        historyToJSON(await handle.fetchHistory()),
      );
    }
    expect(await run(runId)).toEqual({
      state: 'completed',
      done: liveTotal(),
      total: liveTotal(),
      error: null,
    });
    expect(await connection()).toEqual({ status: 'active', status_reason: null });
    expect(Object.values(await counts()).reduce((a, b) => a + b, 0)).toBe(liveTotal());
  });

  it('waits out rate limits through the activity retry policy', async () => {
    const contact = hubspot.store.list('contacts')[3]!;
    hubspot.store.update('contacts', contact.id, { jobtitle: 'Rate limited' });
    hubspot.faults.rateLimitStorm(2, { policy: 'SECONDLY' });
    const { runId } = await sync.triggerSync(workspaceId, connectionId);
    await t.client.workflow.getHandle(`crm-sync-${connectionId}`).result();
    hubspot.faults.reset();
    expect((await run(runId)).state).toBe('completed');
    expect(hubspot.counters.byStatus()[429] ?? 0).toBeGreaterThanOrEqual(2);
    const [row] = await t.ds.query(
      `SELECT properties->>'jobtitle' AS title FROM crm_objects WHERE connection_id = $1 AND object_type = 'contacts'
          AND external_id = $2`,
      [connectionId, contact.id],
    );
    expect(row.title).toBe('Rate limited');
  });

  it('a run that dies mid-way fails with the reason, and the next one resumes from the cursor', async () => {
    // Slow pages, so the run can be cut while it is under way.
    hubspot.faults.setLatency(60, 0);
    const lists = () => hubspot.counters.count('GET /crm/v3/objects/:objectType', 200);
    const listsBefore = lists();
    const { runId } = await sync.triggerSync(workspaceId, connectionId, 'full');
    for (let i = 0; i < 200 && (await run(runId)).done < 150; i++) await sleep(25);
    // The grant goes away: the access token lapses and refreshing it is refused.
    hubspot.store.expireAccessTokens();
    await expect(t.client.workflow.getHandle(`crm-sync-${connectionId}`).result()).rejects.toThrow();
    const failed = await run(runId);
    expect(failed.state).toBe('failed');
    expect(failed.done).toBeGreaterThanOrEqual(150);
    expect(failed.done).toBeLessThan(liveTotal());
    expect((await connection()).status).toBe('needs_reauth');

    // The admin connects again; the next run continues the interrupted pass instead of starting over.
    await grant();
    hubspot.faults.reset();
    const next = await sync.triggerSync(workspaceId, connectionId);
    await t.client.workflow.getHandle(`crm-sync-${connectionId}`).result();
    const resumed = await run(next.runId);
    expect(resumed.state).toBe('completed');
    expect(failed.done + resumed.done).toBeGreaterThanOrEqual(liveTotal());
    // Every list page was read once across the two runs (plus each type's archived list).
    const pages = TYPES.reduce(
      (n, type) => n + Math.max(1, Math.ceil(hubspot.store.list(type).length / 100)) + 1,
      0,
    );
    expect(lists() - listsBefore).toBe(pages);
    expect(Object.values(await counts()).reduce((a, b) => a + b, 0)).toBe(liveTotal());
    expect(await connection()).toEqual({ status: 'active', status_reason: null });
  });

  it('keeps one 15-minute schedule per connection', async () => {
    expect(await sync.ensureSyncSchedule(workspaceId, connectionId)).toBe(true);
    expect(await sync.ensureSyncSchedule(workspaceId, connectionId)).toBe(false);
    const handle = t.client.schedule.getHandle(SCHEDULE_IDS.crmSync(connectionId));
    const d = await handle.describe();
    expect(d.spec.intervals?.[0]?.every).toBe(15 * 60_000);
    expect(d.action).toMatchObject({
      workflowType: 'crmSyncWorkflow',
      args: [{ workspaceId, connectionId }],
    });
    await sync.removeSyncSchedule(connectionId);
    await expect(handle.describe()).rejects.toThrow();
  });
});
