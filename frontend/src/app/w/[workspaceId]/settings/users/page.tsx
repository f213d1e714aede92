import type { Metadata } from 'next';
import Link from 'next/link';
import { guardSection } from '@/lib/guard';
import { serverApi, ApiRequestError } from '@/api/server';
import { toApiError } from '@/api/errors';
import { PageHeader } from '@/components/PageHeader';
import { NoAccess } from '@/components/NoAccess';
import { UsersAdmin } from './UsersAdmin';

export const metadata: Metadata = { title: 'Users & roles' };

export default async function UsersPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { workspaceId } = await params;
  const g = await guardSection(workspaceId, 'settings.users');
  if (!g.ok) return g.node;
  const { workspace, session } = g;

  const client = await serverApi();
  const wsParams = { path: { workspaceId: workspace.id } };
  const [members, invites] = await Promise.all([
    client.GET('/api/workspaces/{workspaceId}/members', { params: wsParams }),
    client.GET('/api/workspaces/{workspaceId}/invites', { params: wsParams }),
  ]);
  for (const r of [members, invites]) {
    if (r.response.status === 403) return <NoAccess workspaceId={workspace.id} role={workspace.role} />;
    if (!r.response.ok) {
      const e = toApiError(r.error, r.response);
      throw new ApiRequestError(r.response.status, e.code, e.message);
    }
  }

  const base = `/w/${encodeURIComponent(workspace.id)}`;
  return (
    <>
      <PageHeader
        title="Users & roles"
        description="Who can use this workspace, and what they can do."
        breadcrumb={
          <ol>
            <li>
              <Link href={`${base}/settings`}>Settings</Link>
            </li>
            <li aria-current="page">Users</li>
          </ol>
        }
      />
      <UsersAdmin
        workspaceId={workspace.id}
        currentUserId={session.user.id}
        initialMembers={members.data ?? []}
        initialInvites={invites.data ?? []}
      />
    </>
  );
}
