import { ApplicationFailure, continueAsNew, proxyActivities } from '@temporalio/workflow';
import type { HistoryCursor, TaxonomyActivities } from '../activities';

const { reapplyTaxonomyPage, finishJob } = proxyActivities<TaxonomyActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '2 seconds', maximumAttempts: 10 },
});

/** Pages per run before continuing as new, so the history of a very large workspace stays small. */
const PAGES_PER_RUN = 200;

export interface ReapplyTaxonomyInput {
  jobId: string;
  workspaceId: string;
  after?: HistoryCursor | null;
}

/** Walks a workspace's events page by page, re-mapping each with the current taxonomy. */
export async function reapplyTaxonomyWorkflow(input: ReapplyTaxonomyInput): Promise<void> {
  let after = input.after ?? null;
  for (let page = 0; page < PAGES_PER_RUN; page++) {
    try {
      after = await reapplyTaxonomyPage({ jobId: input.jobId, workspaceId: input.workspaceId, after });
    } catch (e) {
      await finishJob({ jobId: input.jobId, state: 'failed', error: (e as Error).message });
      throw ApplicationFailure.nonRetryable(`re-apply failed: ${(e as Error).message}`);
    }
    if (!after) {
      await finishJob({ jobId: input.jobId, state: 'completed', error: null });
      return;
    }
  }
  await continueAsNew<typeof reapplyTaxonomyWorkflow>({ ...input, after });
}
