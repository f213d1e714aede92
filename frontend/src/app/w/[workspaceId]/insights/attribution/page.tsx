import type { Metadata } from 'next';
import { InsightsFrame } from '../InsightsFrame';
import { openView, type InsightsPageProps } from '../data';
import { AttributionView } from './AttributionView';

export const metadata: Metadata = { title: 'Attribution · Insights' };

export default async function AttributionPage(props: InsightsPageProps) {
  const page = await openView(props, 'attribution');
  if (!page.ok) return page.node;
  return (
    <InsightsFrame
      workspace={page.workspace}
      title="Attribution"
      description="Which channels bring journeys that convert, not just volume, and how much each one carries."
      query={page.query}
      loaded={page.loaded}
    >
      {(data) => <AttributionView data={data} />}
    </InsightsFrame>
  );
}
