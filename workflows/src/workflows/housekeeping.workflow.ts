import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { HousekeepingActivities, PurgeResult } from '../activities';

const { purgeExpired } = proxyActivities<HousekeepingActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', maximumAttempts: 5 },
});

/** Run hourly by a Temporal Schedule; "as of" is the scheduled time, so a late run purges what it was due to. */
export async function housekeepingWorkflow(): Promise<PurgeResult> {
  const info = workflowInfo();
  const asOf = info.startTime.toISOString();
  return purgeExpired(asOf);
}
