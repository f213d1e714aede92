'use client';

import { ChartPanel } from '@/components/charts/ChartPanel';
import { SurvivalChart } from '@/components/charts/SurvivalChart';
import { formatCell } from '@/components/charts/format';
import { DIMENSION_LABELS, type Dropoff } from '../types';

export function DropoffView({ data }: { data: Dropoff }) {
  const all = data.overall;
  const curves = [
    ...(all ? [{ name: 'All prospects', points: all.points, emphasis: true }] : []),
    ...data.segments.map((s) => ({
      name: `${s.segment} (${s.people.toLocaleString('en-US')})`,
      points: s.points,
    })),
  ];
  const series = [...(all ? [all] : []), ...data.segments];
  const lr = data.logRank;
  return (
    <ChartPanel
      title={`Still engaged, by ${DIMENSION_LABELS[data.split]?.toLowerCase() ?? data.split}`}
      headline={data.headline}
      testId="dropoff"
      csvName={`time-to-dropoff-by-${data.split}`}
      columns={[
        { key: 'segment', label: 'Segment' },
        { key: 'day', label: 'Day', format: 'int' },
        { key: 'survival', label: 'Not dropped off', format: 'pct1' },
        { key: 'lower', label: '95% CI low', format: 'pct1' },
        { key: 'upper', label: '95% CI high', format: 'pct1' },
        { key: 'atRisk', label: 'At risk', format: 'int' },
      ]}
      rows={series.flatMap((s) =>
        s.points.map((p) => ({
          segment: s.segment,
          day: p.day,
          survival: p.survival,
          lower: p.lower,
          upper: p.upper,
          atRisk: p.atRisk,
        })),
      )}
      empty={data.headline}
      note={
        <>
          Kaplan–Meier estimate of the share not yet dropped off (quiet for {data.meta.inactiveDays} days
          without converting) by day since first touch; people who converted or are still active count until
          then.{' '}
          {lr
            ? `Log-rank test across the curves: χ² = ${lr.chiSquare.toFixed(1)}, ${lr.df} df, p ${lr.pValue === null ? 'n/a' : lr.pValue < 0.001 ? '< 0.001' : `= ${formatCell(lr.pValue, 'p')}`}.`
            : ''}
        </>
      }
    >
      <SurvivalChart curves={curves} />
    </ChartPanel>
  );
}
