import type { Metadata } from 'next';
import { guardSection } from '@/lib/guard';
import { InsightsFrame } from '../InsightsFrame';
import { insightQuery, loadView } from '../data';
import { ChangesView } from './ChangesView';

export const metadata: Metadata = { title: 'What changed · Insights' };

export default async function ChangesPage({
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
  const loaded = await loadView(g.workspace.id, 'changes', query);
  return (
    <InsightsFrame
      workspace={g.workspace}
      title="What changed"
      description="The last 30 days against the 30 before: stage mix, how new prospects behave, and drop-off rates."
      query={query}
      loaded={loaded}
    >
      {(data) => <ChangesView data={data} />}
    </InsightsFrame>
  );
}
