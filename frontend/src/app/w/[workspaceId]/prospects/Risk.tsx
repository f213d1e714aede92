import styles from './prospects.module.css';

/** Drop-off risk as a percentage with a small bar. */
export function RiskMeter({ risk }: { risk: number | null | undefined }) {
  if (risk === null || risk === undefined) return <span className="muted">Not scored</span>;
  const level = risk >= 0.7 ? 'high' : risk >= 0.4 ? 'medium' : 'low';
  const value = Math.round(risk * 100);
  return (
    <span className={`${styles.risk} ${styles[level]}`} title={`Drop-off risk ${value}% (${level})`}>
      <span className={styles.bar} aria-hidden="true">
        <span style={{ width: `${value}%` }} />
      </span>
      <span>{value}%</span>
    </span>
  );
}

/** Change of risk over the last 7 days, in percentage points; rising risk in red. */
export function RiskTrend({ trend }: { trend: number | null | undefined }) {
  if (trend === null || trend === undefined) return <span className="muted">—</span>;
  const points = Math.round(trend * 100);
  if (points === 0) return <span className="muted">No change</span>;
  return (
    <span className={points > 0 ? styles.up : styles.down} title="Risk now against 7 days ago">
      {points > 0 ? '▲' : '▼'} {Math.abs(points)} pts
    </span>
  );
}
