import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../support/http-client';
import { PASSWORD, seedWorkspace, startTestApi, type TestApi } from '../support/api';

let api: TestApi;
let a: Awaited<ReturnType<typeof seedWorkspace>>;
let b: Awaited<ReturnType<typeof seedWorkspace>>;

async function as(role: 'admin' | 'marketer' | 'sales', ws = a) {
  const c = new HttpClient(api.url);
  await c.signIn(ws.users[role]!.email, PASSWORD);
  return c;
}

beforeAll(async () => {
  api = await startTestApi();
  a = await seedWorkspace(api.ds, 'Alpha', ['admin', 'marketer', 'sales']);
  b = await seedWorkspace(api.ds, 'Beta', ['admin']);
});
afterAll(() => api?.close());

describe('roles', () => {
  it('lets every member read the workspace summary with their own role', async () => {
    for (const role of ['admin', 'marketer', 'sales'] as const) {
      const res = await (await as(role)).get(`/api/workspaces/${a.workspaceId}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ id: a.workspaceId, name: 'Alpha', role });
    }
  });

  it('refuses admin endpoints to sales and marketers', async () => {
    for (const role of ['sales', 'marketer'] as const) {
      const c = await as(role);
      const list = await c.get(`/api/workspaces/${a.workspaceId}/members`);
      expect(list.status).toBe(403);
      expect(list.body.error.code).toBe('auth.forbidden');
      const invite = await c.post(`/api/workspaces/${a.workspaceId}/invites`, {
        email: 'x@y.test',
        role: 'admin',
      });
      expect(invite.status).toBe(403);
      const promote = await c.patch(`/api/workspaces/${a.workspaceId}/members/${a.users[role]!.id}`, {
        role: 'admin',
      });
      expect(promote.status).toBe(403);
    }
    const count: { n: string }[] = await api.ds.query(`SELECT count(*) AS n FROM invites`);
    expect(Number(count[0]!.n)).toBe(0);
  });

  it('hides another workspace entirely: same answer as a workspace that does not exist', async () => {
    const c = await as('admin');
    const foreign = await c.get(`/api/workspaces/${b.workspaceId}/members`);
    const missing = await c.get(`/api/workspaces/00000000-0000-4000-8000-000000000000/members`);
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(foreign.body.error.code).toBe(missing.body.error.code);
    expect((await c.get(`/api/workspaces/${b.workspaceId}`)).status).toBe(404);
    expect((await c.get(`/api/workspaces/not-a-uuid`)).status).toBe(404);
  });

  it('cannot change a member of another workspace through its own workspace id', async () => {
    const c = await as('admin');
    const res = await c.patch(`/api/workspaces/${a.workspaceId}/members/${b.users['admin']!.id}`, {
      role: 'sales',
    });
    expect(res.status).toBe(404);
    const rows: { role: string }[] = await api.ds.query(`SELECT role FROM memberships WHERE user_id = $1`, [
      b.users['admin']!.id,
    ]);
    expect(rows).toEqual([{ role: 'admin' }]);
  });

  it('keeps at least one admin', async () => {
    const solo = await seedWorkspace(api.ds, 'Solo', ['admin']);
    const c = await as('admin', solo);
    const demote = await c.patch(`/api/workspaces/${solo.workspaceId}/members/${solo.users['admin']!.id}`, {
      role: 'sales',
    });
    expect(demote.status).toBe(409);
    expect(demote.body.error.code).toBe('workspaces.last_admin');
    const remove = await c.delete(`/api/workspaces/${solo.workspaceId}/members/${solo.users['admin']!.id}`);
    expect(remove.status).toBe(409);
  });

  it('changes roles and removes members, and the change takes effect at once', async () => {
    const team = await seedWorkspace(api.ds, 'Team', ['admin', 'marketer']);
    const admin = await as('admin', team);
    const marketer = await as('marketer', team);
    expect((await marketer.get(`/api/workspaces/${team.workspaceId}/members`)).status).toBe(403);
    const up = await admin.patch(
      `/api/workspaces/${team.workspaceId}/members/${team.users['marketer']!.id}`,
      {
        role: 'admin',
      },
    );
    expect(up.status).toBe(200);
    expect(up.body.role).toBe('admin');
    expect((await marketer.get(`/api/workspaces/${team.workspaceId}/members`)).status).toBe(200);
    const bad = await admin.patch(
      `/api/workspaces/${team.workspaceId}/members/${team.users['marketer']!.id}`,
      {
        role: 'owner',
      },
    );
    expect(bad.status).toBe(400);
    expect(
      (await admin.delete(`/api/workspaces/${team.workspaceId}/members/${team.users['marketer']!.id}`))
        .status,
    ).toBe(204);
    expect((await marketer.get(`/api/workspaces/${team.workspaceId}`)).status).toBe(404);
  });
});

describe('invites', () => {
  it('invites a new user who joins with the invited role and can sign in', async () => {
    const admin = await as('admin');
    const created = await admin.post(`/api/workspaces/${a.workspaceId}/invites`, {
      email: 'new.rep@example.com',
      role: 'sales',
    });
    expect(created.status).toBe(201);
    expect(created.body.inviteUrl).toMatch(/^http:\/\/localhost:3000\/invite\/[\w-]{43}$/);
    const token = created.body.inviteUrl.split('/').pop();
    const pending = await admin.get(`/api/workspaces/${a.workspaceId}/invites`);
    expect(pending.body.map((i: { email: string }) => i.email)).toContain('new.rep@example.com');
    expect(JSON.stringify(pending.body)).not.toContain(token);

    const guest = new HttpClient(api.url);
    const preview = await guest.get(`/api/invites/${token}`);
    expect(preview.body).toEqual({
      workspaceId: a.workspaceId,
      workspaceName: 'Alpha',
      email: 'new.rep@example.com',
      role: 'sales',
      accountExists: false,
    });
    const short = await guest.post(`/api/invites/${token}/accept`, { name: 'Rae', password: 'short' });
    expect(short.status).toBe(400);
    const accepted = await guest.post(`/api/invites/${token}/accept`, {
      name: 'Rae Rep',
      password: 'a long enough password',
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body.workspaces).toEqual([{ id: a.workspaceId, name: 'Alpha', role: 'sales' }]);
    expect((await guest.get(`/api/workspaces/${a.workspaceId}`)).body.role).toBe('sales');
    expect((await guest.get(`/api/workspaces/${a.workspaceId}/members`)).status).toBe(403);

    // The link is spent.
    expect((await new HttpClient(api.url).get(`/api/invites/${token}`)).status).toBe(404);
    const again = await new HttpClient(api.url).post(`/api/invites/${token}/accept`, {
      password: 'a long enough password',
    });
    expect(again.status).toBe(404);
    const fresh = new HttpClient(api.url);
    await fresh.signIn('new.rep@example.com', 'a long enough password');
  });

  it('joins an existing account to a second workspace only with its password', async () => {
    const admin = await as('admin', b);
    const email = a.users['marketer']!.email;
    const created = await admin.post(`/api/workspaces/${b.workspaceId}/invites`, { email, role: 'marketer' });
    const token = created.body.inviteUrl.split('/').pop();
    const guest = new HttpClient(api.url);
    expect((await guest.get(`/api/invites/${token}`)).body.accountExists).toBe(true);
    const wrong = await guest.post(`/api/invites/${token}/accept`, { password: 'not the password!' });
    expect(wrong.status).toBe(401);
    const ok = await guest.post(`/api/invites/${token}/accept`, { password: PASSWORD });
    expect(ok.status).toBe(200);
    expect(ok.body.workspaces.map((w: { name: string }) => w.name).sort()).toEqual(['Alpha', 'Beta']);
  });

  it('refuses to invite an existing member, and revoked or expired links do not work', async () => {
    const admin = await as('admin');
    const dup = await admin.post(`/api/workspaces/${a.workspaceId}/invites`, {
      email: a.users['sales']!.email,
      role: 'sales',
    });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('workspaces.already_member');

    const revoked = await admin.post(`/api/workspaces/${a.workspaceId}/invites`, {
      email: 'gone@example.com',
      role: 'marketer',
    });
    expect((await admin.delete(`/api/workspaces/${a.workspaceId}/invites/${revoked.body.id}`)).status).toBe(
      204,
    );
    expect(
      (await new HttpClient(api.url).get(`/api/invites/${revoked.body.inviteUrl.split('/').pop()}`)).status,
    ).toBe(404);

    const expired = await admin.post(`/api/workspaces/${a.workspaceId}/invites`, {
      email: 'late@example.com',
      role: 'sales',
    });
    await api.ds.query(`UPDATE invites SET expires_at = now() - interval '1 minute' WHERE id = $1`, [
      expired.body.id,
    ]);
    const res = await new HttpClient(api.url).get(`/api/invites/${expired.body.inviteUrl.split('/').pop()}`);
    expect(res.status).toBe(410);
    expect(res.body.error.code).toBe('invites.expired');
  });

  it('does not let an admin of one workspace revoke invites of another', async () => {
    const adminB = await as('admin', b);
    const invite = await adminB.post(`/api/workspaces/${b.workspaceId}/invites`, {
      email: 'b-only@example.com',
      role: 'sales',
    });
    const adminA = await as('admin');
    const res = await adminA.delete(`/api/workspaces/${a.workspaceId}/invites/${invite.body.id}`);
    expect(res.status).toBe(404);
    expect(
      (await adminB.get(`/api/workspaces/${b.workspaceId}/invites`)).body.map((i: { id: string }) => i.id),
    ).toContain(invite.body.id);
  });
});
