'use client';

import Link from 'next/link';
import { ChartPanel } from '@/components/charts/ChartPanel';
import { FunnelChart, SplitFunnelChart } from '@/components/charts/FunnelChart';
import { EmptyState } from '@/components/EmptyState';
import type { TableColumn, TableRow } from '@/components/charts/csv';
import { DIMENSION_LABELS, type Funnel } from '../types';

const COLUMNS: TableColumn[] = [
  { key: 'segment', label: 'Segment' },
  { key: 'step', label: 'Step' },
  { key: 'reached', label: 'Reached', format: 'int' },
  { key: 'conversion', label: 'From previous', format: 'pct1' },
  { key: 'lower', label: '95% CI low', format: 'pct1' },
  { key: 'upper', label: '95% CI high', format: 'pct1' },
  { key: 'fromStart', label: 'From first step', format: 'pct1' },
  { key: 'droppedHere', label: 'Dropped off here', format: 'int' },
  { key: 'stillHere', label: 'Still here', format: 'int' },
  { key: 'medianDays', label: 'Median days in stage', format: 'days' },
];

function rowsOf(series: Funnel['segments']): TableRow[] {
  return series.flatMap((s) =>
    s.steps.map((st) => ({
      segment: s.segment,
      step: st.label,
      reached: st.reached,
      conversion: st.conversion?.estimate ?? null,
      lower: st.conversion?.lower ?? null,
      upper: st.conversion?.upper ?? null,
      fromStart: st.fromStart,
      droppedHere: st.droppedHere,
      stillHere: st.stillHere,
      medianDays: st.medianDays,
    })),
  );
}

export function FunnelView({ data, settingsHref }: { data: Funnel; settingsHref: string }) {
  const overall = data.overall;
  if (data.meta.stages.length === 0) {
    return (
      <EmptyState
        icon="layers"
        title="No journey stages yet"
        testId="funnel-no-stages"
        actions={
          <Link className="btn btn--secondary" href={settingsHref}>
            Go to Settings
          </Link>
        }
      >
        <p>{data.headline}</p>
      </EmptyState>
    );
  }
  return (
    <>
      <ChartPanel
        title="Stage-to-stage conversion"
        headline={data.headline}
        testId="funnel"
        csvName="funnel"
        columns={COLUMNS}
        rows={overall ? rowsOf([overall]) : []}
        empty="No one with a journey stage matches these filters. Widen the date range or clear a filter."
        note="Bars: people who ever reached each stage. Labels: the share of the previous stage that got there (Wilson 95% intervals in the table). Median days count finished stays only."
      >
        {overall ? (
          <FunnelChart
            steps={overall.steps.map((s) => ({
              label: s.label,
              reached: s.reached,
              conversion: s.conversion?.estimate ?? null,
              droppedHere: s.droppedHere,
            }))}
          />
        ) : null}
      </ChartPanel>
      {overall ? (
        <ChartPanel
          title="Where people stop"
          headline={dropHeadline(overall)}
          testId="funnel-dropoff"
          csvName="funnel-dropoff"
          columns={[
            { key: 'step', label: 'Stage' },
            { key: 'droppedHere', label: 'Dropped off here', format: 'int' },
            { key: 'stillHere', label: 'Still here', format: 'int' },
            { key: 'medianDays', label: 'Median days in stage', format: 'days' },
          ]}
          rows={overall.steps
            .filter((s) => !s.key.startsWith('__'))
            .map((s) => ({
              step: s.label,
              droppedHere: s.droppedHere,
              stillHere: s.stillHere,
              medianDays: s.medianDays,
            }))}
        >
          <FunnelChart
            steps={overall.steps
              .filter((s) => !s.key.startsWith('__'))
              .map((s) => ({
                label: s.label,
                reached: s.droppedHere,
                conversion: null,
                droppedHere: s.droppedHere,
              }))}
          />
        </ChartPanel>
      ) : null}
      {data.split && data.segments.length > 0 ? (
        <ChartPanel
          title={`By ${DIMENSION_LABELS[data.split]?.toLowerCase() ?? data.split}`}
          headline="Share of each segment’s first stage that reached every later stage."
          testId="funnel-split"
          csvName={`funnel-by-${data.split}`}
          columns={COLUMNS}
          rows={rowsOf(data.segments)}
        >
          <SplitFunnelChart
            steps={data.segments[0]!.steps.map((s) => s.label)}
            segments={data.segments.map((s) => ({
              name: `${s.segment} (${s.people.toLocaleString('en-US')})`,
              shares: s.steps.map((st) => st.fromStart),
            }))}
          />
        </ChartPanel>
      ) : null}
    </>
  );
}

function dropHeadline(overall: NonNullable<Funnel['overall']>): string {
  const stages = overall.steps.filter((s) => !s.key.startsWith('__'));
  const most = [...stages].sort((a, b) => b.droppedHere - a.droppedHere)[0];
  if (!most || most.droppedHere === 0) return 'Nobody has dropped off yet.';
  const total = stages.reduce((s, x) => s + x.droppedHere, 0);
  return `${most.label} loses the most people: ${most.droppedHere.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} drop-offs went quiet there.`;
}
