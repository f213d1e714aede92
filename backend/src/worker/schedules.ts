import { SCHEDULE_IDS, WORKFLOW_TYPES } from '@cairn/workflows';
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';

/** Creates the system schedules when missing; an existing schedule (perhaps edited by an operator) is kept. */
export async function ensureSchedules(client: Client, taskQueue: string): Promise<string[]> {
  const created: string[] = [];
  try {
    await client.schedule.create({
      scheduleId: SCHEDULE_IDS.housekeeping,
      spec: { intervals: [{ every: '1h' }] },
      action: {
        type: 'startWorkflow',
        workflowType: WORKFLOW_TYPES.housekeeping,
        taskQueue,
        workflowId: 'cairn-housekeeping',
        workflowExecutionTimeout: '10m',
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1h' },
    });
    created.push(SCHEDULE_IDS.housekeeping);
  } catch (e) {
    if (!(e instanceof ScheduleAlreadyRunning)) throw e;
  }
  return created;
}
