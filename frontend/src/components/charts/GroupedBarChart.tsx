'use client';

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { AXIS, GRID, seriesColor } from './palette';

/** Horizontal grouped bars: one group per category (e.g. channel), one bar per series (e.g. model). */
export function GroupedBarChart({
  categories,
  series,
  format,
  categoryWidth = 180,
}: {
  categories: string[];
  series: { name: string; values: number[] }[];
  format: (v: number) => string;
  categoryWidth?: number;
}) {
  const data = categories.map((c, i) => ({
    category: c,
    ...Object.fromEntries(series.map((s, k) => [`s${k}`, s.values[i] ?? 0])),
  }));
  return (
    <ResponsiveContainer
      width="100%"
      height={Math.max(180, categories.length * (series.length * 12 + 16) + 70)}
    >
      <BarChart data={data} layout="vertical" margin={{ top: 8, right: 24, bottom: 8, left: 8 }}>
        <CartesianGrid horizontal={false} stroke={GRID} />
        <XAxis type="number" tick={AXIS} tickLine={false} tickFormatter={(v: number) => format(v)} />
        <YAxis type="category" dataKey="category" width={categoryWidth} tick={AXIS} tickLine={false} />
        <Tooltip formatter={(v) => format(Number(v))} cursor={{ fill: 'rgba(31, 95, 82, 0.06)' }} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {series.map((s, k) => (
          <Bar
            key={s.name}
            dataKey={`s${k}`}
            name={s.name}
            fill={seriesColor(k)}
            barSize={10}
            radius={[0, 3, 3, 0]}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
