import type { Metadata } from 'next';
import { guardSection } from '@/lib/guard';
import { canManageConnections } from '@/lib/access';
import { PageHeader } from '@/components/PageHeader';
import { Icon } from '@/components/Icon';

export const metadata: Metadata = { title: 'Connections' };

const PROVIDERS = [
  {
    id: 'hubspot',
    name: 'HubSpot',
    mark: 'H',
    text: 'Contacts, deals, emails and associations. Stage and risk are written back to contact and deal properties.',
    action: 'Connect',
  },
  {
    id: 'salesforce',
    name: 'Salesforce',
    mark: 'S',
    text: 'Leads, contacts, opportunities and email activity. Stage and risk are written back to custom fields.',
    action: 'Connect',
  },
  {
    id: 'segment',
    name: 'Segment',
    mark: 'Sg',
    text: 'Behavioural events from your product and website, sent to Cairn as a Segment destination.',
    action: 'Add source',
  },
];

export default async function ConnectionsPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { workspaceId } = await params;
  const g = await guardSection(workspaceId, 'connections');
  if (!g.ok) return g.node;
  const readOnly = !canManageConnections(g.workspace.role);

  return (
    <>
      <PageHeader
        title="Connections"
        description="Where Cairn gets its data, and where it writes results back."
      />
      <section
        className="panel panel--intro"
        data-testid="connections-empty"
        aria-labelledby="connections-empty-title"
      >
        <div className="empty__icon">
          <Icon name="connections" size={22} />
        </div>
        <div>
          <h2 id="connections-empty-title" className="panel__title">
            No connections yet
          </h2>
          <p className="muted">Connect HubSpot or Salesforce to pull contacts, deals and emails.</p>
          {readOnly ? (
            <p className="muted small" data-testid="connections-read-only">
              Only workspace admins can add or change connections.
            </p>
          ) : null}
        </div>
      </section>
      <ul className="provider-grid" aria-label="Available connections">
        {PROVIDERS.map((p) => (
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
              aria-label={`${p.action} ${p.name} (coming soon)`}
              data-testid={`connect-${p.id}`}
            >
              {p.action}
              <span className="badge badge--soon">Coming soon</span>
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
