'use client';

import {
  Bar,
  BarChart,
  CartesianGrid,
  LabelList,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { AXIS, GRID, seriesColor } from './palette';
import { TooltipBox } from './ChartTooltip';
import { count, pct } from './format';

export interface FunnelStepDatum {
  label: string;
  reached: number;
  /** Share of the previous step that got here (null for the first step). */
  conversion: number | null;
  droppedHere: number;
}

/** One bar per step, labelled with the share of the previous step that got there. */
export function FunnelChart({ steps }: { steps: FunnelStepDatum[] }) {
  const data = steps.map((s) => ({
    ...s,
    label: s.label,
    note: s.conversion === null ? '' : `${pct(s.conversion)} of previous`,
  }));
  return (
    <ResponsiveContainer width="100%" height={300}>
      <BarChart data={data} margin={{ top: 24, right: 16, bottom: 4, left: 8 }}>
        <CartesianGrid vertical={false} stroke={GRID} />
        <XAxis dataKey="label" tick={AXIS} tickLine={false} interval={0} />
        <YAxis tick={AXIS} tickLine={false} axisLine={false} tickFormatter={(v: number) => count(v)} />
        <Tooltip
          cursor={{ fill: 'rgba(31, 95, 82, 0.06)' }}
          content={({ active, payload }) => {
            const d = active ? (payload?.[0]?.payload as (typeof data)[number] | undefined) : undefined;
            if (!d) return null;
            return (
              <TooltipBox title={d.label}>
                <div>{count(d.reached)} reached</div>
                {d.conversion !== null ? <div>{pct(d.conversion)} of the previous step</div> : null}
                {d.droppedHere ? <div>{count(d.droppedHere)} dropped off here</div> : null}
              </TooltipBox>
            );
          }}
        />
        <Bar
          dataKey="reached"
          name="People"
          fill={seriesColor(0)}
          radius={[4, 4, 0, 0]}
          isAnimationActive={false}
        >
          <LabelList dataKey="note" position="top" style={{ fontSize: 12, fill: '#5b6662' }} />
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
}

/** Share of each segment's first step that reached every step: one bar per segment per step. */
export function SplitFunnelChart({
  steps,
  segments,
}: {
  steps: string[];
  segments: { name: string; shares: number[] }[];
}) {
  const data = steps.map((label, i) => ({
    label,
    ...Object.fromEntries(segments.map((s, k) => [`s${k}`, s.shares[i] ?? 0])),
  }));
  return (
    <ResponsiveContainer width="100%" height={320}>
      <BarChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 8 }}>
        <CartesianGrid vertical={false} stroke={GRID} />
        <XAxis dataKey="label" tick={AXIS} tickLine={false} interval={0} />
        <YAxis
          tick={AXIS}
          tickLine={false}
          axisLine={false}
          domain={[0, 1]}
          tickFormatter={(v: number) => pct(v)}
        />
        <Tooltip formatter={(v) => pct(Number(v))} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {segments.map((s, k) => (
          <Bar
            key={s.name}
            dataKey={`s${k}`}
            name={s.name}
            fill={seriesColor(k)}
            radius={[3, 3, 0, 0]}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
