import { z } from 'zod';

/** What counts as converting: a canonical event (e.g. "Trial Started"), or reaching a stage. */
export const goalSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('event'), event: z.string().trim().min(1).max(200) }),
  z.object({ kind: z.literal('stage'), stage: z.string().min(1).max(40) }),
]);
export type Goal = z.infer<typeof goalSchema>;

export const DEFAULT_GOAL: Goal = { kind: 'event', event: 'Trial Started' };

export function describeGoal(goal: Goal): string {
  return goal.kind === 'event' ? `"${goal.event}"` : `reaching the "${goal.stage}" stage`;
}
