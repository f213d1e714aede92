import type { Metadata } from 'next';
import { guardSection } from '@/lib/guard';
import { InsightsFrame } from '../InsightsFrame';
import { insightQuery, loadView } from '../data';
import { SPLIT_CONTROL } from '../controls';
import { FunnelView } from './FunnelView';

export const metadata: Metadata = { title: 'Funnel · Insights' };

export default async function FunnelPage({
  params,
  searchParams,
}: {
  params: Promise<{ workspaceId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { workspaceId } = await params;
  const g = await guardSection(workspaceId, 'insights');
  if (!g.ok) return g.node;
  const query = insightQuery(await searchParams, ['split']);
  const loaded = await loadView(g.workspace.id, 'funnel', query);
  return (
    <InsightsFrame
      workspace={g.workspace}
      title="Funnel"
      description="How many people reach each stage, how many move on, and where they stop."
      query={query}
      loaded={loaded}
      controls={[SPLIT_CONTROL]}
    >
      {(data) => (
        <FunnelView data={data} settingsHref={`/w/${encodeURIComponent(g.workspace.id)}/settings`} />
      )}
    </InsightsFrame>
  );
}
