'use client';

import { ChartPanel } from '@/components/charts/ChartPanel';
import { GroupedBarChart } from '@/components/charts/GroupedBarChart';
import { IntervalBarChart } from '@/components/charts/IntervalBarChart';
import { formatCell } from '@/components/charts/format';
import type { Attribution } from '../types';

const QUALITY: Record<string, string> = {
  above: 'Above average',
  below: 'Below average',
  average: 'Average',
};

export function AttributionView({ data }: { data: Attribution }) {
  const channels = data.channels.slice(0, 12);
  const quality = data.quality.filter((q) => q.conversionRate.estimate !== null).slice(0, 12);
  const total = data.quality.reduce((s, q) => s + q.people, 0);
  return (
    <>
      <ChartPanel
        title="Conversions credited per channel"
        headline={data.headline}
        testId="attribution"
        csvName="attribution"
        columns={[
          { key: 'channel', label: 'Channel' },
          { key: 'removalEffect', label: 'Removal effect', format: 'pct1' },
          { key: 'markov', label: 'Markov', format: 'decimal' },
          { key: 'firstTouch', label: 'First touch', format: 'decimal' },
          { key: 'lastTouch', label: 'Last touch', format: 'decimal' },
          { key: 'linear', label: 'Linear', format: 'decimal' },
        ]}
        rows={data.channels.map((c) => ({ ...c }))}
        empty={data.headline}
        note={`${data.journeys.toLocaleString('en-US')} journeys, ${data.conversions.toLocaleString('en-US')} conversions. Markov: conversions shared in proportion to each channel’s removal effect — how much the chance of converting (${formatCell(data.baseline, 'pct1')} from the start) falls when the channel is taken out — solved exactly. First, last and linear touch are the usual rules for comparison.`}
      >
        <GroupedBarChart
          categories={channels.map((c) => c.channel)}
          format={(v) => v.toFixed(1)}
          series={[
            { name: 'Markov', values: channels.map((c) => c.markov) },
            { name: 'First touch', values: channels.map((c) => c.firstTouch) },
            { name: 'Last touch', values: channels.map((c) => c.lastTouch) },
            { name: 'Linear', values: channels.map((c) => c.linear) },
          ]}
        />
      </ChartPanel>
      <ChartPanel
        title="Journey quality by first touch"
        headline="Conversion rate of the people each channel brought first, with 95% intervals: high-quality channels sit right of the line."
        testId="attribution-quality"
        csvName="channel-quality"
        columns={[
          { key: 'channel', label: 'First-touch channel' },
          { key: 'people', label: 'People', format: 'int' },
          { key: 'share', label: 'Share of people', format: 'pct1' },
          { key: 'conversions', label: 'Converted', format: 'int' },
          { key: 'rate', label: 'Conversion rate', format: 'pct1' },
          { key: 'lower', label: '95% CI low', format: 'pct1' },
          { key: 'upper', label: '95% CI high', format: 'pct1' },
          { key: 'medianDays', label: 'Median days to convert', format: 'days' },
          { key: 'quality', label: 'Against the rest' },
        ]}
        rows={data.quality.map((q) => ({
          channel: q.channel,
          people: q.people,
          share: total ? q.people / total : 0,
          conversions: q.conversions,
          rate: q.conversionRate.estimate,
          lower: q.conversionRate.lower,
          upper: q.conversionRate.upper,
          medianDays: q.medianDaysToConvert,
          quality: QUALITY[q.quality] ?? q.quality,
        }))}
      >
        <IntervalBarChart
          format={(v) => formatCell(v, 'pct')}
          reference={total ? data.quality.reduce((s, q) => s + q.conversions, 0) / total : undefined}
          data={quality.map((q) => ({
            label: `${q.channel} (${q.people.toLocaleString('en-US')})`,
            estimate: q.conversionRate.estimate!,
            lower: q.conversionRate.lower ?? 0,
            upper: q.conversionRate.upper ?? 1,
            highlight: q.quality === 'above',
            detail: QUALITY[q.quality],
          }))}
        />
      </ChartPanel>
    </>
  );
}
