import type { Metadata } from 'next';
import Link from 'next/link';
import { guardSection } from '@/lib/guard';
import { PageHeader } from '@/components/PageHeader';
import { EmptyState } from '@/components/EmptyState';

export const metadata: Metadata = { title: 'Insights' };

const PREVIEW = [
  { title: 'Funnel', text: 'Stage-to-stage conversion with confidence intervals.' },
  { title: 'Paths', text: 'The routes prospects actually take between stages.' },
  { title: 'Drop-off points', text: 'Where and when prospects stall, and why.' },
  { title: 'What changed', text: 'Shifts in behaviour and conversion week over week.' },
];

export default async function InsightsPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { workspaceId } = await params;
  const g = await guardSection(workspaceId, 'insights');
  if (!g.ok) return g.node;
  const base = `/w/${encodeURIComponent(g.workspace.id)}`;

  return (
    <>
      <PageHeader
        title="Insights"
        description="How prospects move through your journey, and where they drop off."
      />
      <EmptyState
        icon="insights"
        title="Insights appear once events arrive"
        testId="insights-empty"
        actions={
          <Link className="btn btn--secondary" href={`${base}/connections`}>
            Connect a data source
          </Link>
        }
      >
        <p>Send behavioural events from Segment or connect a CRM. Cairn analyses them as they come in.</p>
      </EmptyState>
      <ul className="preview-grid" aria-label="What you will see here">
        {PREVIEW.map((p) => (
          <li key={p.title} className="preview-card">
            <h3>{p.title}</h3>
            <p>{p.text}</p>
          </li>
        ))}
      </ul>
    </>
  );
}
