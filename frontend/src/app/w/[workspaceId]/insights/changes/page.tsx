import type { Metadata } from 'next';
import { InsightsFrame } from '../InsightsFrame';
import { openView, type InsightsPageProps } from '../data';
import { ChangesView } from './ChangesView';

export const metadata: Metadata = { title: 'What changed · Insights' };

export default async function ChangesPage(props: InsightsPageProps) {
  const page = await openView(props, 'changes');
  if (!page.ok) return page.node;
  return (
    <InsightsFrame
      workspace={page.workspace}
      title="What changed"
      description="The last 30 days against the 30 before: stage mix, how new prospects behave, and drop-off rates."
      query={page.query}
      loaded={page.loaded}
    >
      {(data) => <ChangesView data={data} />}
    </InsightsFrame>
  );
}
