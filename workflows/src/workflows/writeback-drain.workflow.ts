import { condition, continueAsNew, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type { WritebackActivities } from '../activities';
import { SIGNALS } from '../names';

// A pass sends for about a minute and heartbeats; a Bulk API 2.0 job may take longer, so the close timeout is
// generous. Failures (the database, the worker) are retried without limit: the rows wait in the outbox.
const { drainWriteback } = proxyActivities<WritebackActivities>({
  startToCloseTimeout: '20 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

export const writebackWake = defineSignal(SIGNALS.writebackWake);

/** Passes before continuing as new, so a long-lived drain keeps a small history. */
const PASSES_PER_RUN = 200;
/** How long an empty outbox is watched for rows committed just after the last pass, before finishing. */
const LINGER_MS = 30_000;

export interface WritebackDrainInput {
  workspaceId: string;
}

/**
 * Drains a workspace's write-back outbox: passes while rows are due, sleeps until rows held back (rate limits,
 * back-off) may go, and finishes once nothing waits. Producers wake it with signal-with-start, so a wake that
 * comes while it runs makes it drain again instead of finishing.
 */
export async function writebackDrainWorkflow(
  input: WritebackDrainInput,
): Promise<{ sent: number; failed: number }> {
  let woken = false;
  setHandler(writebackWake, () => {
    woken = true;
  });
  let sent = 0;
  let failed = 0;
  for (let pass = 0; pass < PASSES_PER_RUN; pass++) {
    woken = false;
    const r = await drainWriteback({ workspaceId: input.workspaceId });
    sent += r.sent;
    failed += r.failed;
    if (r.due > 0 || woken) continue;
    if (r.waitMs !== null) {
      await condition(() => woken, Math.max(1, r.waitMs));
      continue;
    }
    if (!(await condition(() => woken, LINGER_MS))) return { sent, failed };
  }
  return continueAsNew<typeof writebackDrainWorkflow>(input);
}
