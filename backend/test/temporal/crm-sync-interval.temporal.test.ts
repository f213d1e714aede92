import { SCHEDULE_IDS } from '@cairn/workflows';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionsService } from '../../src/modules/connections/connections.service';
import { CrmSyncService } from '../../src/modules/crm-sync/crm-sync.service';
import { startTestWorker } from '../support/temporal';

let t: Awaited<ReturnType<typeof startTestWorker>>;
let workspaceId: string;
let connectionId: string;

beforeAll(async () => {
  t = await startTestWorker();
  const [ws] = await t.ds.query(`INSERT INTO workspaces (name) VALUES ('Interval') RETURNING id`);
  workspaceId = ws.id;
  const [c] = await t.ds.query(
    `INSERT INTO crm_connections (workspace_id, provider, status, external_account, access_token_enc, refresh_token_enc)
     VALUES ($1, 'hubspot', 'active', '1', 'x', 'x') RETURNING id`,
    [workspaceId],
  );
  connectionId = c.id;
});
afterAll(async () => {
  await t?.close();
});

describe('the sync schedule of a connection', () => {
  it('runs at the connection’s interval and follows when the admin changes it, paused or not', async () => {
    const sync = t.ctx.get(CrmSyncService);
    const handle = t.client.schedule.getHandle(SCHEDULE_IDS.crmSync(connectionId));
    expect(await sync.ensureSyncSchedule(workspaceId, connectionId)).toBe(true);
    expect((await handle.describe()).spec.intervals?.[0]?.every).toBe(15 * 60_000);

    await handle.pause('operator');
    await t.ctx.get(ConnectionsService).setSyncInterval(workspaceId, connectionId, 240);
    expect(await sync.ensureSyncSchedule(workspaceId, connectionId)).toBe(false);
    const d = await handle.describe();
    expect(d.spec.intervals).toHaveLength(1);
    expect(d.spec.intervals?.[0]?.every).toBe(240 * 60_000);
    expect(d.policies.catchupWindow).toBe(240 * 60_000);
    expect(d.state.paused).toBe(true);
    expect(d.action).toMatchObject({
      workflowType: 'crmSyncWorkflow',
      args: [{ workspaceId, connectionId }],
    });
    await sync.removeSyncSchedule(connectionId);
  });
});
