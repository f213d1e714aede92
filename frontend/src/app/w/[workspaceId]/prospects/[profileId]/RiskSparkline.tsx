'use client';

import { Line, LineChart, ResponsiveContainer, Tooltip, YAxis } from 'recharts';
import { formatDate } from '@/lib/format';

/** Risk over the last 90 days, one point per scoring. */
export function RiskSparkline({ points }: { points: { scoredAt: string; risk: number | null }[] }) {
  const data = points.filter((p) => p.risk !== null).map((p) => ({ at: p.scoredAt, risk: p.risk! }));
  if (data.length < 2) return null;
  return (
    <div data-testid="risk-sparkline" aria-label="Risk over the last 90 days" role="img">
      <ResponsiveContainer width="100%" height={56}>
        <LineChart data={data} margin={{ top: 4, right: 4, bottom: 4, left: 4 }}>
          <YAxis hide domain={[0, 1]} />
          <Tooltip
            formatter={(v) => [`${Math.round(Number(v) * 100)}%`, 'Risk']}
            labelFormatter={(_, p) => (p?.[0] ? formatDate(String(p[0].payload.at)) : '')}
          />
          <Line dataKey="risk" stroke="#b42318" strokeWidth={1.75} dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
