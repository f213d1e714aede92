import type { Metadata } from 'next';
import { guardSection } from '@/lib/guard';
import { canManageConnections } from '@/lib/access';
import { serverApi, ApiRequestError } from '@/api/server';
import { toApiError } from '@/api/errors';
import { PageHeader } from '@/components/PageHeader';
import { NoAccess } from '@/components/NoAccess';
import { ConnectionsNav } from '../ConnectionsNav';
import { EventDebugger } from './EventDebugger';

export const metadata: Metadata = { title: 'Event debugger' };

export default async function EventDebuggerPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { workspaceId } = await params;
  const g = await guardSection(workspaceId, 'connections');
  if (!g.ok) return g.node;
  const { workspace } = g;

  const client = await serverApi();
  const ws = { path: { workspaceId: workspace.id } };
  const [events, rejections, sources] = await Promise.all([
    client.GET('/api/workspaces/{workspaceId}/events/recent', { params: { ...ws, query: { limit: 50 } } }),
    client.GET('/api/workspaces/{workspaceId}/events/rejections', {
      params: { ...ws, query: { limit: 50 } },
    }),
    client.GET('/api/workspaces/{workspaceId}/sources', { params: ws }),
  ]);
  for (const r of [events, rejections, sources]) {
    if (r.response.status === 403) return <NoAccess workspaceId={workspace.id} role={workspace.role} />;
    if (!r.response.ok) {
      const e = toApiError(r.error, r.response);
      throw new ApiRequestError(r.response.status, e.code, e.message);
    }
  }

  return (
    <>
      <PageHeader
        title="Connections"
        description="Where Cairn gets its data, and where it writes results back."
      />
      <ConnectionsNav workspaceId={workspace.id} />
      <EventDebugger
        workspaceId={workspace.id}
        canManage={canManageConnections(workspace.role)}
        initialEvents={events.data ?? []}
        initialRejections={rejections.data ?? []}
        sources={(sources.data ?? []).map((s) => ({ id: s.id, name: s.name, active: !s.revokedAt }))}
      />
    </>
  );
}
