import { startHubSpotSandbox, type HubSpotSandbox } from '@cairn/sandbox';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SecretBox } from '../../src/common/crypto/secret-box';
import { SECRET_BOX } from '../../src/common/crypto/secret-box.provider';
import {
  WritebackOutboxService,
  writebackDrainId,
} from '../../src/modules/connections/writeback-outbox.service';
import { WriteBackService } from '../../src/modules/connections/writeback.service';
import { startTestWorker } from '../support/temporal';

let hubspot: HubSpotSandbox;
let t: Awaited<ReturnType<typeof startTestWorker>>;
let outbox: WritebackOutboxService;
let workspaceId: string;
let connectionId: string;

async function people(n: number) {
  const list = Array.from({ length: n }, (_, i) => ({
    profileId: randomUUID(),
    recordId: hubspot.store.create('contacts', { email: `wb${randomUUID()}@t.test`, firstname: `W${i}` }).id,
  }));
  await t.ds.query(
    `INSERT INTO profiles (id, workspace_id, first_seen_at, last_seen_at) SELECT id, $1, now(), now() FROM unnest($2::uuid[]) id`,
    [workspaceId, list.map((p) => p.profileId)],
  );
  await t.ds.query(
    `INSERT INTO identities (workspace_id, kind, value, profile_id)
     SELECT $1, 'hubspot', v, p FROM unnest($2::text[], $3::uuid[]) AS u(v, p)`,
    [workspaceId, list.map((p) => p.recordId), list.map((p) => p.profileId)],
  );
  return list;
}

async function pending(): Promise<number> {
  const [r] = await t.ds.query(
    `SELECT count(*)::int AS n FROM crm_writeback_outbox WHERE workspace_id = $1 AND state = 'pending'`,
    [workspaceId],
  );
  return r.n;
}

async function until(check: () => Promise<boolean>, ms = 30_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(100);
  }
}

beforeAll(async () => {
  hubspot = await startHubSpotSandbox({ seed: 'temporal-writeback' });
  t = await startTestWorker({
    HUBSPOT_CLIENT_ID: hubspot.app.clientId,
    HUBSPOT_CLIENT_SECRET: hubspot.app.clientSecret,
    HUBSPOT_API_URL: hubspot.baseUrl,
    HUBSPOT_AUTHORIZE_URL: `${hubspot.baseUrl}/oauth/authorize`,
    CAIRN_SECRET_KEY: randomBytes(32).toString('base64'),
  });
  outbox = t.ctx.get(WritebackOutboxService);
  const box = t.ctx.get<SecretBox>(SECRET_BOX);
  const [ws] = await t.ds.query(`INSERT INTO workspaces (name) VALUES ('Temporal write-back') RETURNING id`);
  workspaceId = ws.id;
  const [c] = await t.ds.query(
    `INSERT INTO crm_connections (workspace_id, provider, status, external_account, access_token_enc, refresh_token_enc)
     VALUES ($1, 'hubspot', 'active', $2, $3, $4) RETURNING id`,
    [
      workspaceId,
      String(hubspot.store.hubId),
      box.seal(hubspot.store.createPrivateAppToken()),
      box.seal('not-a-refresh-token'),
    ],
  );
  connectionId = c.id;
  await t.ctx.get(WriteBackService).ensureFields(workspaceId, connectionId);
});
afterAll(async () => {
  await t?.close();
  await hubspot?.close();
});

describe('the write-back drain workflow', () => {
  it('is started by enqueue, drains, is woken by later changes and finishes when nothing waits', async () => {
    const first = await people(150);
    await outbox.enqueue(
      workspaceId,
      first.map((p) => ({
        profileId: p.profileId,
        values: { stage: 'Evaluation', risk: 30, reasons: ['Pricing'], scoredAt: new Date() },
      })),
    );
    await until(async () => (await pending()) === 0);
    const handle = t.client.workflow.getHandle(writebackDrainId(workspaceId));
    expect((await handle.describe()).status.name).toBe('RUNNING');

    // Changes queued while it lingers wake it (a second signal-with-start reaches the same run).
    const second = await people(30);
    await outbox.enqueue(
      workspaceId,
      second.map((p) => ({
        profileId: p.profileId,
        values: { stage: 'Decision', risk: 70, reasons: [], scoredAt: new Date() },
      })),
    );
    await until(async () => (await pending()) === 0);
    for (const p of [...first, ...second]) expect(hubspot.counters.writes('contacts', p.recordId)).toBe(1);
    expect(hubspot.store.get('contacts', second[0]!.recordId)!.properties['cairn_journey_stage']).toBe(
      'Decision',
    );
    const result = await handle.result();
    expect(result).toEqual({ sent: 180, failed: 0 });
    if (process.env['CAIRN_RECORD_HISTORIES'] === '1') {
      await writeFile(
        join(__dirname, '../fixtures/histories/writeback-drain.json'),
        historyToJSON(await handle.fetchHistory()),
      );
    }
    expect(await outbox.wakeAll()).toBe(0);
  }, 90_000);

  it('is started again for rows left waiting (worker start)', async () => {
    const list = await people(5);
    await t.ds.query(
      `INSERT INTO crm_writeback_outbox (workspace_id, connection_id, object, record_id, profile_id, state, values,
                                         values_key)
       SELECT $1, $2, 'contacts', r, p, 'pending', '{"stage":"Aware","risk":5,"reasons":[],"scoredAt":"2026-01-01T00:00:00Z"}',
              'k' FROM unnest($3::text[], $4::uuid[]) AS u(r, p)`,
      [workspaceId, connectionId, list.map((p) => p.recordId), list.map((p) => p.profileId)],
    );
    expect(await outbox.wakeAll()).toBe(1);
    await until(async () => (await pending()) === 0);
    expect(hubspot.store.get('contacts', list[4]!.recordId)!.properties['cairn_dropoff_risk']).toBe('5');
    await t.client.workflow.getHandle(writebackDrainId(workspaceId)).terminate('test over');
  }, 60_000);
});
