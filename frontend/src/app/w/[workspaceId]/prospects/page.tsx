import type { Metadata } from 'next';
import Link from 'next/link';
import { guardSection } from '@/lib/guard';
import { canAccess } from '@/lib/access';
import { PageHeader } from '@/components/PageHeader';
import { EmptyState } from '@/components/EmptyState';

export const metadata: Metadata = { title: 'Prospects' };

export default async function ProspectsPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { workspaceId } = await params;
  const g = await guardSection(workspaceId, 'prospects');
  if (!g.ok) return g.node;
  const base = `/w/${encodeURIComponent(g.workspace.id)}`;
  const canConnect = canAccess(g.workspace.role, 'connections');

  return (
    <>
      <PageHeader
        title="Prospects"
        description="Every prospect’s journey stage, drop-off risk and the reasons behind it."
      />
      <EmptyState
        icon="prospects"
        title="Prospects appear once a CRM is connected or events arrive"
        testId="prospects-empty"
        actions={
          canConnect ? (
            <Link className="btn btn--secondary" href={`${base}/connections`}>
              Go to Connections
            </Link>
          ) : null
        }
      >
        <p>
          {canConnect
            ? 'Connect HubSpot or Salesforce, or send events from Segment, and Cairn places each prospect on a stage.'
            : 'Once a workspace admin connects HubSpot or Salesforce, your prospects show up here with their stage and risk — the same values you’ll see on records in your CRM.'}
        </p>
      </EmptyState>
    </>
  );
}
