import type { Metadata } from 'next';
import { InsightsFrame } from '../InsightsFrame';
import { PATH_CONTROLS } from '../controls';
import { openView, type InsightsPageProps } from '../data';
import { PathsView } from './PathsView';

export const metadata: Metadata = { title: 'Paths · Insights' };

export default async function PathsPage(props: InsightsPageProps) {
  const page = await openView(props, 'paths', ['by', 'top']);
  if (!page.ok) return page.node;
  return (
    <InsightsFrame
      workspace={page.workspace}
      title="Paths"
      description="The routes people actually take from their first touch to converting or dropping off."
      query={page.query}
      loaded={page.loaded}
      controls={PATH_CONTROLS}
    >
      {(data) => <PathsView data={data} />}
    </InsightsFrame>
  );
}
