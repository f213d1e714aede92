'use client';

import { ChartPanel } from '@/components/charts/ChartPanel';
import { SankeyChart } from '@/components/charts/SankeyChart';
import type { Paths } from '../types';

const OUTCOME: Record<string, string> = {
  converted: 'Converted',
  dropped: 'Dropped off',
  active: 'Still active',
};

export function PathsView({ data }: { data: Paths }) {
  const rows = [
    ...data.paths.map((p, i) => ({
      rank: i + 1,
      path: p.steps.join(' → '),
      outcome: OUTCOME[p.outcome] ?? p.outcome,
      people: p.people,
      share: p.share,
    })),
    ...(data.otherPeople > 0
      ? [
          {
            rank: null,
            path: 'Other paths',
            outcome: 'All outcomes',
            people: data.otherPeople,
            share: data.meta.people ? data.otherPeople / data.meta.people : 0,
          },
        ]
      : []),
  ];
  return (
    <ChartPanel
      title={data.by === 'stage' ? 'Paths through the stages' : 'Paths through content'}
      headline={data.headline}
      testId="paths"
      csvName={`paths-${data.by}`}
      columns={[
        { key: 'rank', label: '#', format: 'int' },
        { key: 'path', label: 'Path (first touch first)' },
        { key: 'outcome', label: 'Outcome' },
        { key: 'people', label: 'People', format: 'int' },
        { key: 'share', label: 'Share', format: 'pct1' },
      ]}
      rows={data.meta.people > 0 ? rows : []}
      empty="No journeys match these filters. Widen the date range or clear a filter."
      note={`Each column is a step: first-touch channel, then ${data.by === 'stage' ? 'journey stages in the order entered' : 'content categories in the order seen'} (up to five), then the outcome. Routes outside the top ${data.paths.length} are pooled as “Other paths”.`}
    >
      <SankeyChart nodes={data.nodes.map((n) => ({ name: n.label, kind: n.kind }))} links={data.links} />
    </ChartPanel>
  );
}
