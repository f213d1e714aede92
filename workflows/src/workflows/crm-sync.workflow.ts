import { ApplicationFailure, continueAsNew, proxyActivities, uuid4 } from '@temporalio/workflow';
import type { CrmSyncActivities, CrmSyncKind } from '../activities';

const { startCrmSync, finishCrmSync } = proxyActivities<CrmSyncActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', maximumAttempts: 10 },
});

// A step is a few seconds of pages (one CRM call or a few plus one transaction each). Rate limits come back as
// retryable failures carrying the CRM's advised delay, so the attempts are generous; a step that keeps failing
// fails the run.
const { syncCrmPage } = proxyActivities<CrmSyncActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    maximumAttempts: 12,
  },
});

/** Steps per run before continuing as new, so the history of a large CRM stays small. */
const PAGES_PER_RUN = 250;

export interface CrmSyncInput {
  workspaceId: string;
  connectionId: string;
  /** Absent: full the first time, incremental after. */
  kind?: CrmSyncKind | null;
  /** Given by whoever started the run (the API, to answer with it); a scheduled run makes its own. */
  runId?: string;
  /** Set when continuing as new: the run is open already. */
  resumed?: boolean;
}

/** Pulls a CRM connection step by step; every page commits with its cursor, so the run resumes where it stopped. */
export async function crmSyncWorkflow(input: CrmSyncInput): Promise<{ runId: string; done: number }> {
  const runId = input.runId ?? uuid4();
  const { workspaceId } = input;
  if (!input.resumed) {
    const started = await startCrmSync({
      runId,
      workspaceId,
      connectionId: input.connectionId,
      kind: input.kind ?? null,
    });
    if (!started.started) return { runId: started.runId, done: 0 };
  }
  let done = 0;
  for (let page = 0; page < PAGES_PER_RUN; page++) {
    try {
      const r = await syncCrmPage({ workspaceId, runId });
      done = r.done;
      if (r.finished) {
        await finishCrmSync({ workspaceId, runId, state: 'completed', error: null });
        return { runId, done };
      }
    } catch (e) {
      const cause = (e as { cause?: Error }).cause ?? (e as Error);
      await finishCrmSync({ workspaceId, runId, state: 'failed', error: cause.message });
      throw ApplicationFailure.nonRetryable(`CRM sync failed: ${cause.message}`);
    }
  }
  return continueAsNew<typeof crmSyncWorkflow>({ ...input, runId, resumed: true });
}
