import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboundEventsService } from '../../src/modules/segment/outbound-events.service';
import { PASSWORD, seedWorkspace, startTestApi, type TestApi } from '../support/api';
import { HttpClient } from '../support/http-client';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.close());

/**
 * Cairn's own tracking API is wire-compatible with Segment's, so a second workspace stands in for the Segment
 * source that receives Cairn's events: the real client, real HTTP, real batching.
 */
describe('outbound events through @segment/analytics-node', () => {
  it('sends Cairn events to the configured Segment source and never for people who denied consent', async () => {
    const sender = await seedWorkspace(api.ds, 'Sender', ['admin', 'marketer']);
    const receiver = await seedWorkspace(api.ds, 'Receiver', ['admin']);
    const admin = new HttpClient(api.url);
    await admin.signIn(sender.users['admin']!.email, PASSWORD);
    const receiverAdmin = new HttpClient(api.url);
    await receiverAdmin.signIn(receiver.users['admin']!.email, PASSWORD);
    const receiverKey = (
      await receiverAdmin.post(`/api/workspaces/${receiver.workspaceId}/sources`, { name: 'From Cairn' })
    ).body.writeKey;
    const base = `/api/workspaces/${sender.workspaceId}/outbound/segment`;

    expect((await admin.get(base)).body).toMatchObject({ configured: false, enabled: false });
    expect((await admin.post(`${base}/test`)).body.result).toBe('not-configured');
    const marketer = new HttpClient(api.url);
    await marketer.signIn(sender.users['marketer']!.email, PASSWORD);
    expect(
      (await marketer.request('PUT', base, { writeKey: receiverKey, host: api.url, enabled: true })).status,
    ).toBe(403);

    const saved = await admin.request('PUT', base, { writeKey: receiverKey, host: api.url, enabled: true });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ configured: true, enabled: true, host: api.url });
    expect(JSON.stringify(saved.body)).not.toContain(receiverKey);
    const stored = await api.ds.query(`SELECT write_key_enc FROM segment_outbound WHERE workspace_id = $1`, [
      sender.workspaceId,
    ]);
    expect(stored[0].write_key_enc).not.toContain(receiverKey);

    expect((await admin.post(`${base}/test`)).body.result).toBe('sent');
    await api.eventsResolved();
    const received = await api.ds.query(`SELECT event, user_id FROM events WHERE workspace_id = $1`, [
      receiver.workspaceId,
    ]);
    expect(received).toEqual([
      { event: 'Cairn Test Event', user_id: `cairn-test-${sender.users['admin']!.id}` },
    ]);

    const [denied] = await api.ds.query(
      `INSERT INTO profiles (id, workspace_id, consent, first_seen_at, last_seen_at) VALUES (gen_random_uuid(), $1, 'denied', now(), now()) RETURNING id`,
      [sender.workspaceId],
    );
    const outbound = api.app.get(OutboundEventsService);
    expect(
      await outbound.emit(
        sender.workspaceId,
        'Journey Stage Changed',
        { profileId: denied.id },
        { to: 'Evaluation' },
      ),
    ).toBe('no-consent');
    expect(
      await outbound.emit(
        sender.workspaceId,
        'Journey Stage Changed',
        { userId: 'u-7' },
        { from: 'Aware', to: 'Evaluation' },
      ),
    ).toBe('sent');
    await api.eventsResolved();
    const changes = await api.ds.query(
      `SELECT properties FROM events WHERE workspace_id = $1 AND event = 'Journey Stage Changed'`,
      [receiver.workspaceId],
    );
    expect(changes).toHaveLength(1);
    expect(changes[0].properties).toMatchObject({ from: 'Aware', to: 'Evaluation' });
  });
});
