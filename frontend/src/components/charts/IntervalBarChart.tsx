'use client';

import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ErrorBar,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { AXIS, GRID } from './palette';
import { TooltipBox } from './ChartTooltip';

export interface IntervalDatum {
  label: string;
  estimate: number;
  lower: number;
  upper: number;
  /** Drawn in the accent colour; the rest muted. */
  highlight?: boolean;
  detail?: string;
}

/**
 * Horizontal bars with 95% interval whiskers, e.g. conversion lift per touchpoint on a log scale around a
 * reference of 1 (no difference).
 */
export function IntervalBarChart({
  data,
  reference,
  log = false,
  format,
}: {
  data: IntervalDatum[];
  reference?: number;
  log?: boolean;
  format: (v: number) => string;
}) {
  const rows = data.map((d) => ({
    ...d,
    short: d.label.length > 46 ? `${d.label.slice(0, 45)}…` : d.label,
    error: [Math.max(0, d.estimate - d.lower), Math.max(0, d.upper - d.estimate)],
  }));
  const values = rows
    .flatMap((r) => [r.lower, r.upper, r.estimate])
    .filter((v) => Number.isFinite(v) && v > 0);
  const domain: [number, number] = log
    ? [Math.max(0.01, Math.min(...values, reference ?? 1) / 1.3), Math.max(...values, reference ?? 1) * 1.3]
    : [0, Math.max(...values, reference ?? 0) * 1.1 || 1];
  return (
    <ResponsiveContainer width="100%" height={Math.max(160, rows.length * 34 + 48)}>
      <BarChart data={rows} layout="vertical" margin={{ top: 8, right: 24, bottom: 8, left: 8 }}>
        <CartesianGrid horizontal={false} stroke={GRID} />
        <XAxis
          type="number"
          scale={log ? 'log' : 'auto'}
          domain={domain}
          allowDataOverflow
          tick={AXIS}
          tickLine={false}
          tickFormatter={(v: number) => format(v)}
        />
        <YAxis
          type="category"
          dataKey="short"
          width={300}
          tick={{ ...AXIS, fontSize: 11.5 }}
          tickLine={false}
        />
        <Tooltip
          cursor={{ fill: 'rgba(31, 95, 82, 0.06)' }}
          content={({ active, payload }) => {
            const d = active ? (payload?.[0]?.payload as (typeof rows)[number] | undefined) : undefined;
            if (!d) return null;
            return (
              <TooltipBox title={d.label}>
                <div>
                  {format(d.estimate)} (95% CI {format(d.lower)}–{format(d.upper)})
                </div>
                {d.detail ? <div>{d.detail}</div> : null}
              </TooltipBox>
            );
          }}
        />
        {reference !== undefined ? (
          <ReferenceLine x={reference} stroke="#5b6662" strokeDasharray="4 3" />
        ) : null}
        <Bar dataKey="estimate" isAnimationActive={false} barSize={16} radius={[0, 3, 3, 0]}>
          {rows.map((r) => (
            <Cell key={r.label} fill={r.highlight ? '#1f5f52' : '#a9cbbf'} />
          ))}
          <ErrorBar dataKey="error" width={6} strokeWidth={1.5} stroke="#1b2321" direction="x" />
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
}
