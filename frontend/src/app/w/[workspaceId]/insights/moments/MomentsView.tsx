'use client';

import { ChartPanel } from '@/components/charts/ChartPanel';
import { IntervalBarChart } from '@/components/charts/IntervalBarChart';
import { formatCell } from '@/components/charts/format';
import type { Moments } from '../types';
import styles from '../insights.module.css';

const ratio = (v: number) => formatCell(v, 'ratio');

export function MomentsView({ data }: { data: Moments }) {
  const shown = data.moments.filter((m) => m.lift.estimate !== null && m.lift.lower !== null).slice(0, 15);
  const h = data.meta.horizonDays;
  return (
    <>
      <section
        className="panel panel--flush"
        aria-labelledby="moments-findings"
        data-testid="moments-findings"
      >
        <header className="panel__header">
          <h2 id="moments-findings" className="panel__title">
            Findings
          </h2>
          <p className="muted small panel__subtitle">
            {data.eligible.toLocaleString('en-US')} people first seen at least {h} days ago;{' '}
            {data.converted.toLocaleString('en-US')} converted within {h} days
            {data.baselineRate !== null ? ` (${formatCell(data.baselineRate, 'pct1')})` : ''}.
          </p>
        </header>
        {data.findings.length ? (
          <ul className={styles.findings}>
            {data.findings.map((f) => (
              <li key={f} data-testid="moment-finding">
                {f}
              </li>
            ))}
          </ul>
        ) : (
          <p className="panel__empty" data-testid="moments-none">
            {data.headline}
          </p>
        )}
      </section>
      <ChartPanel
        title="Conversion lift by touchpoint"
        headline={data.findings.length ? data.headline : undefined}
        testId="moments"
        csvName="moments-that-matter"
        columns={[
          { key: 'label', label: 'Touchpoint' },
          { key: 'withPeople', label: 'People with it', format: 'int' },
          { key: 'withRate', label: 'Converted with', format: 'pct1' },
          { key: 'withoutRate', label: 'Converted without', format: 'pct1' },
          { key: 'lift', label: 'Lift', format: 'ratio' },
          { key: 'lower', label: '95% CI low', format: 'ratio' },
          { key: 'upper', label: '95% CI high', format: 'ratio' },
          { key: 'pValue', label: 'p', format: 'p' },
          { key: 'qValue', label: 'q (BH)', format: 'p' },
          { key: 'significant', label: 'Significant' },
        ]}
        rows={data.moments.map((m) => ({
          label: m.label,
          withPeople: m.withPeople,
          withRate: m.withPeople ? m.withConverted / m.withPeople : null,
          withoutRate: m.withoutPeople ? m.withoutConverted / m.withoutPeople : null,
          lift: m.lift.estimate,
          lower: m.lift.lower,
          upper: m.lift.upper,
          pValue: m.pValue,
          qValue: m.qValue,
          significant: m.significant ? 'yes' : 'no',
        }))}
        empty={data.headline}
        note={`Lift = conversion within ${h} days among people who had the touchpoint before converting ÷ among people who did not (Katz 95% interval, log scale). q-values control the false-discovery rate (Benjamini–Hochberg) over all ${data.tested} touchpoints and combinations tested (those picking out exactly the same people are shown once); dark bars pass q ≤ 0.05. Combinations: both within 5 days of each other.`}
      >
        <IntervalBarChart
          log
          reference={1}
          format={ratio}
          data={shown.map((m) => ({
            label: m.label.replace(/^Prospects who /, ''),
            estimate: m.lift.estimate!,
            lower: m.lift.lower!,
            upper: m.lift.upper!,
            highlight: m.significant,
            detail: `n = ${m.withPeople.toLocaleString('en-US')}, q = ${formatCell(m.qValue, 'p')}`,
          }))}
        />
      </ChartPanel>
    </>
  );
}
