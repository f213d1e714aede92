import { startHubSpotSandbox, type HubSpotSandbox } from '@cairn/sandbox';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SecretBox } from '../../src/common/crypto/secret-box';
import { SECRET_BOX } from '../../src/common/crypto/secret-box.provider';
import { HUBSPOT_STREAMS } from '../../src/modules/crm-sync/hubspot-puller';
import { CrmSyncService } from '../../src/modules/crm-sync/crm-sync.service';
import { seedWorkspace, startTestApi, type TestApi } from '../support/api';

let hubspot: HubSpotSandbox;
let api: TestApi;

beforeAll(async () => {
  // The search cap is the subject here, not the per-second limit.
  hubspot = await startHubSpotSandbox({ seed: 'cap', rateLimits: { enabled: false } });
  api = await startTestApi({
    HUBSPOT_CLIENT_ID: hubspot.app.clientId,
    HUBSPOT_CLIENT_SECRET: hubspot.app.clientSecret,
    HUBSPOT_API_URL: hubspot.baseUrl,
    CAIRN_SECRET_KEY: randomBytes(32).toString('base64'),
  });
});
afterAll(async () => {
  await api?.close();
  await hubspot?.close();
});

describe('incremental HubSpot pull past the 10,000-result search cap', () => {
  it('narrows the time window and carries on, reading every changed record', async () => {
    const { workspaceId } = await seedWorkspace(api.ds, 'Capped', ['admin']);
    const box = api.app.get<SecretBox>(SECRET_BOX);
    const [c] = await api.ds.query(
      `INSERT INTO crm_connections (workspace_id, provider, status, external_account, access_token_enc, refresh_token_enc)
       VALUES ($1, 'hubspot', 'active', $2, $3, $4) RETURNING id`,
      [
        workspaceId,
        String(hubspot.store.hubId),
        box.seal(hubspot.store.createPrivateAppToken()),
        box.seal('x'),
      ],
    );
    // An earlier run left every stream's mark an hour ago; since then 10,250 contacts changed.
    const mark = new Date(Date.now() - 3_600_000);
    for (const stream of HUBSPOT_STREAMS) {
      await api.ds.query(
        `INSERT INTO sync_cursors (workspace_id, connection_id, object_type, cursor) VALUES ($1, $2, $3, $4)`,
        [workspaceId, c.id, stream, mark],
      );
    }
    const base = Date.now() - 1_800_000;
    const N = 10_250;
    for (let i = 0; i < N; i++) {
      hubspot.store.create(
        'contacts',
        { email: `person${i}@capped.example`, firstname: `P${i}` },
        { createdAt: new Date(base + i * 10) },
      );
    }

    const run = await api.app.get(CrmSyncService).syncNow(workspaceId, c.id);
    expect(run).toMatchObject({ kind: 'incremental', state: 'completed' });
    const [n] = await api.ds.query(
      `SELECT count(*)::int AS n, count(DISTINCT profile_id)::int AS profiles FROM crm_objects
        WHERE connection_id = $1 AND object_type = 'contacts'`,
      [c.id],
    );
    expect(n).toEqual({ n: N, profiles: N });
    // No request went past the cap (HubSpot answers those with a 400), and the window moved at least once.
    expect(hubspot.counters.count('POST /crm/v3/objects/:objectType/search', 400)).toBe(0);
    const searches = hubspot.counters.requests({ key: 'POST /crm/v3/objects/:objectType/search' });
    expect(searches.length).toBeGreaterThan(N / 200);
    const [cursor] = await api.ds.query(
      `SELECT cursor, after, window_from FROM sync_cursors WHERE connection_id = $1 AND object_type = 'contacts'`,
      [c.id],
    );
    expect(new Date(cursor.cursor).getTime()).toBe(base + (N - 1) * 10);
    expect(cursor).toMatchObject({ after: null, window_from: null });
  }, 180_000);
});
