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

export const metadata: Metadata = { title: 'Connections' };

const CRMS = [
  {
    id: 'hubspot',
    name: 'HubSpot',
    mark: 'H',
    text: 'Contacts, deals, emails and associations. Stage and risk are written back to contact and deal properties.',
  },
  {
    id: 'salesforce',
    name: 'Salesforce',
    mark: 'S',
    text: 'Leads, contacts, opportunities and email activity. Stage and risk are written back to custom fields.',
  },
];

export default async function ConnectionsPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { workspaceId } = await params;
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

  return (
    <>
      <PageHeader
        title="Connections"
        description="Where Cairn gets its data, and where it writes results back."
      />
      <ConnectionsNav workspaceId={workspace.id} />

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

        <section aria-labelledby="crm-title">
          <div className="section-head">
            <h2 id="crm-title" className="section-title">
              CRM
            </h2>
            <p className="muted small">
              Pull contacts, deals and emails, and write journey stage and drop-off risk back where sales reps
              work.
            </p>
          </div>
          <ul className="provider-grid" aria-label="CRM connections">
            {CRMS.map((p) => (
              <li key={p.id} className="provider-card">
                <div className="provider-card__head">
                  <span className={`provider-mark provider-mark--${p.id}`} aria-hidden="true">
                    {p.mark}
                  </span>
                  <h3>{p.name}</h3>
                </div>
                <p>{p.text}</p>
                <button
                  type="button"
                  className="btn btn--secondary"
                  disabled
                  aria-label={`Connect ${p.name} (coming soon)`}
                  data-testid={`connect-${p.id}`}
                >
                  Connect
                  <span className="badge badge--soon">Coming soon</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      </div>
    </>
  );
}
