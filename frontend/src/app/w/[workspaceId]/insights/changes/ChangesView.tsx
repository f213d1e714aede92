'use client';

import { ChartPanel } from '@/components/charts/ChartPanel';
import { GroupedBarChart } from '@/components/charts/GroupedBarChart';
import { formatCell } from '@/components/charts/format';
import { formatDate } from '@/lib/format';
import type { Changes } from '../types';
import styles from '../insights.module.css';

const span = (p: { from: string; to: string }) => `${formatDate(p.from)} – ${formatDate(p.to)}`;
const pct = (v: number) => formatCell(v, 'pct');

export function ChangesView({ data }: { data: Changes }) {
  const mix = data.stageMix;
  const drift = data.drift;
  const anomalies = data.anomalies;
  return (
    <>
      <section
        className="panel panel--flush"
        aria-labelledby="changes-findings"
        data-testid="changes-findings"
      >
        <header className="panel__header">
          <h2 id="changes-findings" className="panel__title">
            In the last 30 days
          </h2>
        </header>
        {data.findings.length ? (
          <ul className={styles.findings}>
            {data.findings.map((f) => (
              <li key={f} data-testid="change-finding">
                {f}
              </li>
            ))}
          </ul>
        ) : (
          <p className="panel__empty">{data.headline}</p>
        )}
      </section>
      <ChartPanel
        title="Stage mix"
        headline={`Share of stage entries, ${span(mix.current)} against ${span(mix.previous)}${mix.psi !== null ? ` (PSI ${mix.psi.toFixed(2)})` : ''}.`}
        testId="changes-mix"
        csvName="stage-mix"
        columns={[
          { key: 'label', label: 'Stage' },
          { key: 'previous', label: 'Entries before', format: 'int' },
          { key: 'current', label: 'Entries now', format: 'int' },
          { key: 'previousShare', label: 'Share before', format: 'pct1' },
          { key: 'currentShare', label: 'Share now', format: 'pct1' },
          { key: 'changePoints', label: 'Change (points)', format: 'decimal' },
        ]}
        rows={mix.rows.filter((r) => r.current + r.previous > 0).map((r) => ({ ...r }))}
        empty="No stage changes in either period."
      >
        <GroupedBarChart
          categories={mix.rows.map((r) => r.label)}
          format={pct}
          series={[
            { name: 'Previous 30 days', values: mix.rows.map((r) => r.previousShare) },
            { name: 'Last 30 days', values: mix.rows.map((r) => r.currentShare) },
          ]}
        />
      </ChartPanel>
      <ChartPanel
        title="How new prospects behave in their first week"
        headline={`People first seen ${span(drift.current)} (${drift.currentPeople.toLocaleString('en-US')}) against ${span(drift.previous)} (${drift.previousPeople.toLocaleString('en-US')}). PSI under 0.1 is stable, 0.1–0.25 drifting, over 0.25 shifted.`}
        testId="changes-drift"
        csvName="feature-drift"
        columns={[
          { key: 'label', label: 'Behaviour' },
          { key: 'previousMean', label: 'Average before', format: 'decimal' },
          { key: 'currentMean', label: 'Average now', format: 'decimal' },
          { key: 'psi', label: 'PSI', format: 'decimal' },
          { key: 'status', label: 'Status' },
        ]}
        rows={drift.features.map((f) => ({ ...f }))}
      >
        <GroupedBarChart
          categories={drift.features.map((f) => f.label)}
          categoryWidth={260}
          format={(v) => v.toFixed(2)}
          series={[
            { name: 'Average before', values: drift.features.map((f) => f.previousMean ?? 0) },
            { name: 'Average now', values: drift.features.map((f) => f.currentMean ?? 0) },
          ]}
        />
      </ChartPanel>
      <ChartPanel
        title="Drop-off rate by stage"
        headline={`People whose last activity fell in ${span(anomalies.current)} and who have been quiet since, against ${span(anomalies.previous)}. Flagged rows differ beyond chance (Benjamini–Hochberg q ≤ 0.05).`}
        testId="changes-anomalies"
        csvName="dropoff-anomalies"
        columns={[
          { key: 'label', label: 'Stage' },
          { key: 'previousRate', label: 'Drop-off before', format: 'pct1' },
          { key: 'currentRate', label: 'Drop-off now', format: 'pct1' },
          { key: 'previousActive', label: 'Active before', format: 'int' },
          { key: 'currentActive', label: 'Active now', format: 'int' },
          { key: 'difference', label: 'Difference', format: 'pct1' },
          { key: 'qValue', label: 'q (BH)', format: 'p' },
          { key: 'flagged', label: 'Flagged' },
        ]}
        rows={anomalies.stages.map((a) => ({
          label: a.label,
          previousRate: a.previousActive ? a.previousDropped / a.previousActive : null,
          currentRate: a.currentActive ? a.currentDropped / a.currentActive : null,
          previousActive: a.previousActive,
          currentActive: a.currentActive,
          difference: a.difference.estimate,
          qValue: a.qValue,
          flagged: a.flagged ? 'yes' : 'no',
        }))}
        empty="No one was active at a stage in either period."
      >
        <GroupedBarChart
          categories={anomalies.stages.map((a) => (a.flagged ? `${a.label} ⚑` : a.label))}
          format={pct}
          series={[
            {
              name: 'Before',
              values: anomalies.stages.map((a) =>
                a.previousActive ? a.previousDropped / a.previousActive : 0,
              ),
            },
            {
              name: 'Now',
              values: anomalies.stages.map((a) => (a.currentActive ? a.currentDropped / a.currentActive : 0)),
            },
          ]}
        />
      </ChartPanel>
    </>
  );
}
