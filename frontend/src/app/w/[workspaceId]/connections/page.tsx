import type { Metadata } from 'next';
import { guardSection } from '@/lib/guard';
import { canManageConnections } from '@/lib/access';
import { serverApi, ApiRequestError } from '@/api/server';
import { toApiError } from '@/api/errors';
import { PageHeader } from '@/components/PageHeader';
import { Icon } from '@/components/Icon';
import { NoAccess } from '@/components/NoAccess';
import { ConnectionsNav } from './ConnectionsNav';
import { SegmentSources } from './SegmentSources';
import { OutboundSegment } from './OutboundSegment';
import { CrmConnections } from './CrmConnections';
import { ConnectionResult } from './ConnectionResult';
import { isCrmProvider } from './crm';

export const metadata: Metadata = { title: 'Connections' };

/** The first value of a query parameter, trimmed and cut to a sane length for display. */
function param(value: string | string[] | undefined, max = 300): string | undefined {
  const v = (Array.isArray(value) ? value[0] : value)?.trim();
  return v ? v.slice(0, max) : undefined;
}

export default async function ConnectionsPage({
  params,
  searchParams,
}: {
  params: Promise<{ workspaceId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { workspaceId } = await params;
  const query = await searchParams;
  const connected = param(query.connected);
  const connectionError = param(query.connection_error);
  const g = await guardSection(workspaceId, 'connections');
  if (!g.ok) return g.node;
  const { workspace } = g;
  const canManage = canManageConnections(workspace.role);

  const client = await serverApi();
  const sources = await client.GET('/api/workspaces/{workspaceId}/sources', {
    params: { path: { workspaceId: workspace.id } },
  });
  if (sources.response.status === 403) return <NoAccess workspaceId={workspace.id} role={workspace.role} />;
  if (!sources.response.ok) {
    const e = toApiError(sources.error, sources.response);
    throw new ApiRequestError(sources.response.status, e.code, e.message);
  }
  // Outbound settings are admin-only (the API answers others 403): marketers don't see the card.
  const outbound = canManage
    ? await client.GET('/api/workspaces/{workspaceId}/outbound/segment', {
        params: { path: { workspaceId: workspace.id } },
      })
    : null;
  if (outbound && !outbound.response.ok && outbound.response.status !== 403) {
    const e = toApiError(outbound.error, outbound.response);
    throw new ApiRequestError(outbound.response.status, e.code, e.message);
  }
  const outboundSettings = outbound?.response.ok ? outbound.data : undefined;
  // A CRM list that fails to load shouldn't take the Segment settings down with it.
  const crm = await client.GET('/api/workspaces/{workspaceId}/connections', {
    params: { path: { workspaceId: workspace.id } },
  });
  const crmError = crm.response.ok ? undefined : toApiError(crm.error, crm.response).message;

  return (
    <>
      <PageHeader
        title="Connections"
        description="Where Cairn gets its data, and where it writes results back."
      />
      <ConnectionsNav workspaceId={workspace.id} />

      {connectionError || isCrmProvider(connected) ? (
        <ConnectionResult
          key={`${connected ?? ''}|${connectionError ?? ''}`}
          connected={isCrmProvider(connected) ? connected : undefined}
          error={connectionError}
        />
      ) : null}

      {canManage ? null : (
        <div className="notice" data-testid="connections-read-only">
          <Icon name="lock" size={16} />
          <p>
            Only workspace admins can add or change connections. You can see them and the events they send.
          </p>
        </div>
      )}

      <div className="stack-lg">
        <SegmentSources
          workspaceId={workspace.id}
          canManage={canManage}
          initialSources={sources.data ?? []}
        />

        {outboundSettings ? (
          <OutboundSegment workspaceId={workspace.id} initialSettings={outboundSettings} />
        ) : null}

        <CrmConnections
          workspaceId={workspace.id}
          canManage={canManage}
          initial={crm.response.ok ? (crm.data ?? null) : null}
          loadError={crmError}
        />
      </div>
    </>
  );
}
