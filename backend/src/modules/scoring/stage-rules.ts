import { z } from 'zod';
import { describeFeature } from './feature-phrases';
import { FEATURE_NAMES, type FeatureName, type FeatureRow } from './features';

export const stageConditionSchema = z.object({
  feature: z.enum(FEATURE_NAMES),
  op: z.enum(['gte', 'lte']),
  value: z.number().finite(),
});

export const stageSchema = z.object({
  key: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,39}$/, 'a stage key is lower-case letters, digits and underscores'),
  label: z.string().trim().min(1).max(60),
  /** Empty for the first stage: everyone active is at least there. */
  conditions: z.array(stageConditionSchema).max(8),
  match: z.enum(['all', 'any']),
});

/** 3–5 stages from first touch to buying; a person is at the highest stage whose conditions hold. */
export const stagesSchema = z
  .array(stageSchema)
  .min(3, 'define at least 3 stages')
  .max(5, 'define at most 5 stages')
  .superRefine((stages, ctx) => {
    const keys = new Set<string>();
    stages.forEach((s, i) => {
      if (keys.has(s.key))
        ctx.addIssue({ code: 'custom', path: [i, 'key'], message: `"${s.key}" is used twice` });
      keys.add(s.key);
      if (i > 0 && !s.conditions.length)
        ctx.addIssue({
          code: 'custom',
          path: [i, 'conditions'],
          message: `"${s.label}" needs at least one condition`,
        });
    });
    if (stages[0]?.conditions.length)
      ctx.addIssue({ code: 'custom', path: [0, 'conditions'], message: 'the first stage has no conditions' });
  });

export type StageCondition = z.infer<typeof stageConditionSchema>;
export type StageDefinition = z.infer<typeof stageSchema>;

const when = (feature: FeatureName, op: StageCondition['op'], value: number): StageCondition => ({
  feature,
  op,
  value,
});

/** What a workspace starts with: stages a B2B marketer recognises, from the default taxonomy's intents. */
export const DEFAULT_STAGES: StageDefinition[] = [
  { key: 'aware', label: 'Aware', conditions: [], match: 'all' },
  {
    key: 'engaged',
    label: 'Engaged',
    conditions: [when('events_30d', 'gte', 3), when('intent_educational_30d', 'gte', 2)],
    match: 'any',
  },
  {
    key: 'evaluation',
    label: 'Evaluation',
    conditions: [when('intent_evaluation_30d', 'gte', 2), when('category_pricing_30d', 'gte', 1)],
    match: 'any',
  },
  {
    key: 'purchase_intent',
    label: 'Purchase intent',
    conditions: [when('intent_purchase_30d', 'gte', 1)],
    match: 'all',
  },
];

export interface StageAssignment {
  key: string;
  index: number;
  /** The conditions that put the person there, in words. */
  reason: string;
}

function holds(c: StageCondition, row: Partial<FeatureRow>): boolean {
  const v = row[c.feature];
  if (v === null || v === undefined || Number.isNaN(v)) return false;
  return c.op === 'gte' ? v >= c.value : v <= c.value;
}

/** Pure: the highest stage whose conditions hold, and why. */
export function assignStage(stages: StageDefinition[], row: Partial<FeatureRow>): StageAssignment {
  for (let i = stages.length - 1; i > 0; i--) {
    const s = stages[i]!;
    const met = s.conditions.filter((c) => holds(c, row));
    if (s.match === 'all' ? met.length === s.conditions.length : met.length > 0) {
      return {
        key: s.key,
        index: i,
        reason: met.map((c) => describeFeature(c.feature, row[c.feature] ?? null)).join('; '),
      };
    }
  }
  return {
    key: stages[0]!.key,
    index: 0,
    reason: describeFeature('days_since_last_event', row.days_since_last_event ?? null),
  };
}
