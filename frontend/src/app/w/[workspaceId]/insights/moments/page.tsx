import type { Metadata } from 'next';
import { guardSection } from '@/lib/guard';
import { InsightsFrame } from '../InsightsFrame';
import { insightQuery, loadView } from '../data';
import { MomentsView } from './MomentsView';

export const metadata: Metadata = { title: 'Moments that matter · Insights' };

export default async function MomentsPage({
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
  const loaded = await loadView(g.workspace.id, 'moments', query);
  return (
    <InsightsFrame
      workspace={g.workspace}
      title="Moments that matter"
      description="Touchpoints that converters had far more (or less) often than people who dropped off."
      query={query}
      loaded={loaded}
    >
      {(data) => <MomentsView data={data} />}
    </InsightsFrame>
  );
}
