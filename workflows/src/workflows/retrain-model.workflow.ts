import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { IntelligenceActivities, RetrainInput, RetrainResult } from '../intelligence-activities';

// Training reads a few months of events and fits two models: minutes on a large workspace, so a long timeout
// with a heartbeat-free single attempt per try; a failed attempt starts over from the data.
const { trainCandidate } = proxyActivities<IntelligenceActivities>({
  startToCloseTimeout: '30 minutes',
  retry: { initialInterval: '10 seconds', maximumAttempts: 3 },
});
const { decideCandidate, rescorePage } = proxyActivities<IntelligenceActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '2 seconds', maximumAttempts: 10 },
});

/**
 * Build the training set → train candidates → evaluate on a later window → promote only if not worse than the
 * active model → rescore everyone (changed values flow to CRM write-back and journeys as they are stored).
 */
export async function retrainModelWorkflow(input: RetrainInput): Promise<RetrainResult> {
  const { workspaceId } = input;
  // The workflow's start time, replayed identically: every step sees the same "now".
  const asOf = workflowInfo().runStartTime.toISOString();
  const candidate = await trainCandidate({ workspaceId, asOf });
  if (!candidate.modelId) {
    return {
      outcome: 'insufficient-data',
      message: candidate.message,
      modelId: null,
      version: null,
      rescored: 0,
      changed: 0,
    };
  }
  const decision = await decideCandidate({ workspaceId, modelId: candidate.modelId });
  const result = {
    message: decision.decision,
    modelId: candidate.modelId,
    version: candidate.version,
    rescored: 0,
    changed: 0,
  };
  if (!decision.promoted) return { outcome: 'rejected', ...result };
  let after: string | null = null;
  do {
    const page: Awaited<ReturnType<typeof rescorePage>> = await rescorePage({ workspaceId, after, asOf });
    result.rescored += page.scored;
    result.changed += page.changed;
    after = page.next;
  } while (after);
  return { outcome: 'promoted', ...result };
}
