import type { Metadata } from 'next';
import { guardSection } from '@/lib/guard';
import { InsightsFrame } from '../InsightsFrame';
import { SEGMENT_CONTROL } from '../controls';
import { insightQuery, loadView } from '../data';
import { DropoffView } from './DropoffView';

export const metadata: Metadata = { title: 'Time to drop-off · Insights' };

export default async function DropoffPage({
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
  const loaded = await loadView(g.workspace.id, 'dropoff', query);
  return (
    <InsightsFrame
      workspace={g.workspace}
      title="Time to drop-off"
      description="How long people stay engaged after their first touch, and which segments go quiet soonest."
      query={query}
      loaded={loaded}
      controls={[SEGMENT_CONTROL]}
    >
      {(data) => <DropoffView data={data} />}
    </InsightsFrame>
  );
}
