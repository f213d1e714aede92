import { describe, expect, it } from 'vitest';
import { describeFeature } from './feature-phrases';
import { emptyFeatures, type FeatureRow } from './features';
import { discoverStages } from './stage-discovery';
import { assignStage, DEFAULT_STAGES, stagesSchema } from './stage-rules';

const row = (values: Partial<FeatureRow>): FeatureRow => ({ ...emptyFeatures(), ...values }) as FeatureRow;

describe('stage rules', () => {
  it('puts a person at the highest stage whose conditions hold, with the reason in words', () => {
    expect(assignStage(DEFAULT_STAGES, row({ days_since_last_event: 3 }))).toEqual({
      key: 'aware',
      index: 0,
      reason: 'Last active 3 days ago',
    });
    expect(assignStage(DEFAULT_STAGES, row({ events_30d: 5 })).key).toBe('engaged');
    expect(assignStage(DEFAULT_STAGES, row({ events_30d: 5, category_pricing_30d: 2 }))).toMatchObject({
      key: 'evaluation',
      index: 2,
      reason: 'Viewed pricing 2 times in 30 days',
    });
    // Higher stages win even when lower ones would hold too.
    expect(
      assignStage(DEFAULT_STAGES, row({ intent_purchase_30d: 1, intent_evaluation_30d: 4 })),
    ).toMatchObject({ key: 'purchase_intent', reason: '1 purchase action in the last 30 days' });
  });

  it('requires every condition of an "all" stage', () => {
    const stages = [
      DEFAULT_STAGES[0]!,
      DEFAULT_STAGES[1]!,
      {
        key: 'hot',
        label: 'Hot',
        match: 'all' as const,
        conditions: [
          { feature: 'category_pricing_30d' as const, op: 'gte' as const, value: 2 },
          { feature: 'days_since_last_event' as const, op: 'lte' as const, value: 7 },
        ],
      },
    ];
    expect(assignStage(stages, row({ category_pricing_30d: 3, days_since_last_event: 10 })).key).toBe(
      'aware',
    );
    expect(assignStage(stages, row({ category_pricing_30d: 3, days_since_last_event: 2 })).key).toBe('hot');
    // A missing recency never satisfies a condition.
    expect(assignStage(stages, row({ category_pricing_30d: 3 })).key).toBe('aware');
  });

  it('validates stage lists', () => {
    expect(stagesSchema.safeParse(DEFAULT_STAGES).success).toBe(true);
    expect(stagesSchema.safeParse(DEFAULT_STAGES.slice(0, 2)).error?.issues[0]?.message).toMatch(
      /at least 3/,
    );
    const dup = [...DEFAULT_STAGES.slice(0, 3), { ...DEFAULT_STAGES[3]!, key: 'aware' }];
    expect(stagesSchema.safeParse(dup).error?.issues[0]?.message).toMatch(/used twice/);
    const noConditions = [...DEFAULT_STAGES.slice(0, 3), { ...DEFAULT_STAGES[3]!, conditions: [] }];
    expect(stagesSchema.safeParse(noConditions).error?.issues[0]?.message).toMatch(/needs at least one/);
  });

  it('describes features in plain words', () => {
    expect(describeFeature('days_since_pricing', null)).toBe('Never viewed pricing');
    expect(describeFeature('days_since_last_event', 21.4)).toBe('Last active 21 days ago');
    expect(describeFeature('intent_evaluation_30d', 0)).toBe('No evaluation actions in 30 days');
    expect(describeFeature('email_clicks_30d', 1)).toBe('Clicked 1 email link in 30 days');
    expect(describeFeature('velocity_7d', 2)).toBe('Activity up 2× on the week before');
  });
});

describe('stage discovery', () => {
  it('finds behaviour groups, orders them by conversion and describes what sets them apart', () => {
    let s = 11;
    const rand = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
    const rows: FeatureRow[] = [];
    const converted: number[] = [];
    // Three behaviours: browsing the blog, comparing and pricing, and asking for a demo; conversion rises.
    const groups = [
      { n: 300, make: () => row({ category_blog_30d: 2 + Math.floor(rand() * 3), events_30d: 3 }), p: 0.02 },
      {
        n: 200,
        make: () =>
          row({ category_pricing_30d: 3 + Math.floor(rand() * 4), intent_evaluation_30d: 6, events_30d: 9 }),
        p: 0.15,
      },
      {
        n: 100,
        make: () =>
          row({ category_sales_30d: 2 + Math.floor(rand() * 2), intent_purchase_30d: 3, events_30d: 12 }),
        p: 0.5,
      },
    ];
    for (const g of groups)
      for (let i = 0; i < g.n; i++) {
        rows.push(g.make());
        converted.push(rand() < g.p ? 1 : 0);
      }
    const stages = discoverStages(rows, Uint8Array.from(converted));
    expect(stages.length).toBeGreaterThanOrEqual(3);
    expect(stages.map((x) => x.conversionRate)).toEqual(
      [...stages.map((x) => x.conversionRate)].sort((a, b) => a - b),
    );
    expect(stages.reduce((a, x) => a + x.size, 0)).toBe(600);
    expect(stages[0]!.conditions).toEqual([]);
    const top = stages[stages.length - 1]!;
    expect(top.conversionRate).toBeGreaterThan(0.3);
    expect(top.typical.join(' ')).toMatch(/sales|purchase/);
    // The suggested rules are valid stage definitions and put demo-seekers at the top.
    expect(assignStage(stages, rows[550]!).key).toBe(top.key);
    // Blog readers may form one or two low groups (the mixture may split them by how much they read); they never
    // rank above the comparers, who rank below the demo-seekers.
    expect(assignStage(stages, rows[10]!).index).toBeLessThan(stages.length - 2);
    expect(assignStage(stages, rows[350]!).index).toBe(stages.length - 2);
  });
});
