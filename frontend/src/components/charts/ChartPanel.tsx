'use client';

import { useId, useState, type ReactNode } from 'react';
import { useHydrated } from '@/lib/useHydrated';
import { downloadCsv, toCsv, type TableColumn, type TableRow } from './csv';
import { formatCell } from './format';
import styles from './charts.module.css';
import { ViewToggle } from './ViewToggle';

export interface ChartPanelProps {
  title: string;
  /** The plain-language takeaway, shown above the chart. */
  headline?: ReactNode;
  /** Definitions and caveats, under the chart. */
  note?: ReactNode;
  testId: string;
  /** File name of the CSV export (without .csv). */
  csvName: string;
  columns: TableColumn[];
  rows: TableRow[];
  /** Shown instead of chart and table when there are no rows. */
  empty?: ReactNode;
  children: ReactNode;
}

/**
 * Every chart of the insights pages: a headline, the chart or the same numbers as a table (toggle), and a CSV
 * export of the table.
 */
export function ChartPanel({
  title,
  headline,
  note,
  testId,
  csvName,
  columns,
  rows,
  empty,
  children,
}: ChartPanelProps) {
  const [mode, setMode] = useState<'chart' | 'table'>('chart');
  const hydrated = useHydrated();
  const titleId = useId();
  const hasRows = rows.length > 0;
  return (
    <section className={`panel ${styles.panel}`} aria-labelledby={titleId} data-testid={testId}>
      <header className={styles.head}>
        <div>
          <h2 id={titleId} className="panel__title">
            {title}
          </h2>
          {headline ? (
            <p className={styles.headline} data-testid={`${testId}-headline`}>
              {headline}
            </p>
          ) : null}
        </div>
        {hasRows ? (
          <div className={styles.actions}>
            <ViewToggle
              view={mode}
              onChange={setMode}
              label={`Show ${title.toLowerCase()} as`}
              disabled={!hydrated}
              testId={testId}
            />
            <button
              type="button"
              className="btn btn--secondary btn--sm"
              disabled={!hydrated}
              onClick={() => downloadCsv(csvName, toCsv(columns, rows))}
              data-testid={`${testId}-csv`}
            >
              Download CSV
            </button>
          </div>
        ) : null}
      </header>
      {!hasRows ? (
        <div className={styles.empty} data-testid={`${testId}-empty`}>
          {empty ?? 'Nothing to show for these filters.'}
        </div>
      ) : mode === 'chart' ? (
        <div className={styles.chart} data-testid={`${testId}-chart`}>
          {children}
        </div>
      ) : (
        <DataTable columns={columns} rows={rows} testId={`${testId}-table`} />
      )}
      {note ? <p className={styles.note}>{note}</p> : null}
    </section>
  );
}

export function DataTable({
  columns,
  rows,
  testId,
}: {
  columns: TableColumn[];
  rows: TableRow[];
  testId?: string;
}) {
  const numeric = (c: TableColumn) => c.align === 'right' || (c.format !== undefined && c.format !== 'text');
  return (
    <div className={`table-wrap ${styles.tableWrap}`}>
      <table className={`table table--compact ${styles.table}`} data-testid={testId}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} scope="col" className={numeric(c) ? styles.num : undefined}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {columns.map((c) => (
                <td key={c.key} className={numeric(c) ? styles.num : undefined}>
                  {formatCell(r[c.key], c.format)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
