import { z } from 'zod';
import { DEFAULT_GOAL, goalSchema } from './goal';
import { DEFAULT_STAGES, stagesSchema } from './stage-rules';

export const intelligenceSettingsSchema = z.object({
  stages: stagesSchema,
  goal: goalSchema,
  horizonDays: z.number().int().min(1).max(365),
  /** A journey may act on a risk threshold only where the active model's precision reaches this. */
  minPrecision: z.number().min(0).max(1),
  /** Five-field cron, UTC. */
  retrainCron: z
    .string()
    .trim()
    .regex(/^(\S+\s+){4}\S+$/, 'a cron expression has five fields, e.g. "0 3 * * 1"'),
});

export type IntelligenceSettings = z.infer<typeof intelligenceSettingsSchema>;

export const DEFAULT_SETTINGS: IntelligenceSettings = {
  stages: DEFAULT_STAGES,
  goal: DEFAULT_GOAL,
  horizonDays: 30,
  minPrecision: 0.8,
  retrainCron: '0 3 * * 1',
};
