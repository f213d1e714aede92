'use client';

import styles from './charts.module.css';

export type ChartView = 'chart' | 'table';

/** The segmented switch between a chart and the table of its numbers. */
export function ViewToggle({
  view,
  onChange,
  label,
  names = { chart: 'Chart', table: 'Table' },
  disabled,
  testId,
}: {
  view: ChartView;
  onChange: (view: ChartView) => void;
  label: string;
  names?: Record<ChartView, string>;
  disabled?: boolean;
  /** Buttons get `${testId}-show-chart` / `-show-table`. */
  testId?: string;
}) {
  return (
    <div role="group" aria-label={label} className={styles.toggle}>
      {(['chart', 'table'] as const).map((m) => (
        <button
          key={m}
          type="button"
          aria-pressed={view === m}
          onClick={() => onChange(m)}
          disabled={disabled}
          data-testid={testId ? `${testId}-show-${m}` : undefined}
        >
          {names[m]}
        </button>
      ))}
    </div>
  );
}
