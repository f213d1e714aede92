import type { Metadata } from 'next';
import { InsightsFrame } from '../InsightsFrame';
import { openView, type InsightsPageProps } from '../data';
import { SPLIT_CONTROL } from '../controls';
import { FunnelView } from './FunnelView';

export const metadata: Metadata = { title: 'Funnel · Insights' };

export default async function FunnelPage(props: InsightsPageProps) {
  const page = await openView(props, 'funnel', ['split']);
  if (!page.ok) return page.node;
  return (
    <InsightsFrame
      workspace={page.workspace}
      title="Funnel"
      description="How many people reach each stage, how many move on, and where they stop."
      query={page.query}
      loaded={page.loaded}
      controls={[SPLIT_CONTROL]}
    >
      {(data) => (
        <FunnelView data={data} settingsHref={`/w/${encodeURIComponent(page.workspace.id)}/settings`} />
      )}
    </InsightsFrame>
  );
}
