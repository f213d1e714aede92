import type { Metadata } from 'next';
import { InsightsFrame } from '../InsightsFrame';
import { SEGMENT_CONTROL } from '../controls';
import { openView, type InsightsPageProps } from '../data';
import { DropoffView } from './DropoffView';

export const metadata: Metadata = { title: 'Time to drop-off · Insights' };

export default async function DropoffPage(props: InsightsPageProps) {
  const page = await openView(props, 'dropoff', ['split']);
  if (!page.ok) return page.node;
  return (
    <InsightsFrame
      workspace={page.workspace}
      title="Time to drop-off"
      description="How long people stay engaged after their first touch, and which segments go quiet soonest."
      query={page.query}
      loaded={page.loaded}
      controls={[SEGMENT_CONTROL]}
    >
      {(data) => <DropoffView data={data} />}
    </InsightsFrame>
  );
}
