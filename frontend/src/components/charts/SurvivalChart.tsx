'use client';

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { AXIS, GRID, seriesColor } from './palette';
import { pct } from './format';

export interface SurvivalCurveDatum {
  name: string;
  points: { day: number; survival: number }[];
  /** Drawn thicker and dark: the curve over everyone. */
  emphasis?: boolean;
}

/** Kaplan–Meier step curves: the share of people not yet dropped off, by day since first touch. */
export function SurvivalChart({ curves }: { curves: SurvivalCurveDatum[] }) {
  const maxDay = Math.max(1, ...curves.flatMap((c) => c.points.map((p) => p.day)));
  let k = 0;
  return (
    <ResponsiveContainer width="100%" height={340}>
      <LineChart margin={{ top: 8, right: 20, bottom: 16, left: 8 }}>
        <CartesianGrid stroke={GRID} />
        <XAxis
          type="number"
          dataKey="day"
          domain={[0, maxDay]}
          allowDuplicatedCategory={false}
          tick={AXIS}
          tickLine={false}
          label={{ value: 'Days since first touch', position: 'insideBottom', offset: -8, fontSize: 12 }}
        />
        <YAxis
          domain={[0, 1]}
          tick={AXIS}
          tickLine={false}
          axisLine={false}
          tickFormatter={(v: number) => pct(v)}
        />
        <Tooltip formatter={(v, name) => [pct(Number(v)), name]} labelFormatter={(d) => `Day ${d}`} />
        <Legend wrapperStyle={{ fontSize: 12, paddingTop: 8 }} />
        {curves.map((c) => (
          <Line
            key={c.name}
            data={c.points}
            dataKey="survival"
            name={c.name}
            type="stepAfter"
            dot={false}
            stroke={c.emphasis ? '#1b2321' : seriesColor(k++)}
            strokeWidth={c.emphasis ? 2.5 : 1.75}
            strokeDasharray={c.emphasis ? '6 3' : undefined}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}
