import type { Metadata } from 'next';
import { guardSection } from '@/lib/guard';
import { InsightsFrame } from '../InsightsFrame';
import { insightQuery, loadView } from '../data';
import { AttributionView } from './AttributionView';

export const metadata: Metadata = { title: 'Attribution · Insights' };

export default async function AttributionPage({
  params,
  searchParams,
}: {
  params: Promise<{ workspaceId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { workspaceId } = await params;
  const g = await guardSection(workspaceId, 'insights');
  if (!g.ok) return g.node;
  const query = insightQuery(await searchParams);
  const loaded = await loadView(g.workspace.id, 'attribution', query);
  return (
    <InsightsFrame
      workspace={g.workspace}
      title="Attribution"
      description="Which channels bring journeys that convert, not just volume, and how much each one carries."
      query={query}
      loaded={loaded}
    >
      {(data) => <AttributionView data={data} />}
    </InsightsFrame>
  );
}
