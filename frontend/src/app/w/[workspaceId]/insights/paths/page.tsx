import type { Metadata } from 'next';
import { guardSection } from '@/lib/guard';
import { InsightsFrame } from '../InsightsFrame';
import { PATH_CONTROLS } from '../controls';
import { insightQuery, loadView } from '../data';
import { PathsView } from './PathsView';

export const metadata: Metadata = { title: 'Paths · Insights' };

export default async function PathsPage({
  params,
  searchParams,
}: {
  params: Promise<{ workspaceId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { workspaceId } = await params;
  const g = await guardSection(workspaceId, 'insights');
  if (!g.ok) return g.node;
  const query = insightQuery(await searchParams, ['by', 'top']);
  const loaded = await loadView(g.workspace.id, 'paths', query);
  return (
    <InsightsFrame
      workspace={g.workspace}
      title="Paths"
      description="The routes people actually take from their first touch to converting or dropping off."
      query={query}
      loaded={loaded}
      controls={PATH_CONTROLS}
    >
      {(data) => <PathsView data={data} />}
    </InsightsFrame>
  );
}
