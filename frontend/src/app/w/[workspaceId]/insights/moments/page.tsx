import type { Metadata } from 'next';
import { InsightsFrame } from '../InsightsFrame';
import { openView, type InsightsPageProps } from '../data';
import { MomentsView } from './MomentsView';

export const metadata: Metadata = { title: 'Moments that matter · Insights' };

export default async function MomentsPage(props: InsightsPageProps) {
  const page = await openView(props, 'moments');
  if (!page.ok) return page.node;
  return (
    <InsightsFrame
      workspace={page.workspace}
      title="Moments that matter"
      description="Touchpoints that converters had far more (or less) often than people who dropped off."
      query={page.query}
      loaded={page.loaded}
    >
      {(data) => <MomentsView data={data} />}
    </InsightsFrame>
  );
}
