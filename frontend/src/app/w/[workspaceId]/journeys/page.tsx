import type { Metadata } from 'next';
import Link from 'next/link';
import { guardSection } from '@/lib/guard';
import { PageHeader } from '@/components/PageHeader';
import { EmptyState } from '@/components/EmptyState';

export const metadata: Metadata = { title: 'Journeys' };

export default async function JourneysPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { workspaceId } = await params;
  const g = await guardSection(workspaceId, 'journeys');
  if (!g.ok) return g.node;
  const base = `/w/${encodeURIComponent(g.workspace.id)}`;

  return (
    <>
      <PageHeader
        title="Journeys"
        description="Turn stage changes and risk signals into outreach that runs on its own."
        actions={
          <button type="button" className="btn btn--secondary" disabled>
            New journey <span className="badge badge--soon">Coming soon</span>
          </button>
        }
      />
      <EmptyState
        icon="journeys"
        title="No journeys yet"
        testId="journeys-empty"
        actions={
          <Link className="btn btn--secondary" href={`${base}/connections`}>
            Go to Connections
          </Link>
        }
      >
        <p>
          Journeys wire stage transitions to outreach steps: when a prospect moves to a new stage or their
          drop-off risk crosses a threshold, Cairn runs the emails, CRM tasks and alerts you draw on the
          canvas.
        </p>
        <p>Start by connecting a CRM or sending events, so Cairn can discover your stages.</p>
      </EmptyState>
    </>
  );
}
