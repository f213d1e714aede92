import { SCHEDULE_IDS, WORKFLOW_TYPES } from '@cairn/workflows';
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';

/** The system's own hourly schedules (one each, not per workspace). */
const SYSTEM_SCHEDULES = [
  {
    scheduleId: SCHEDULE_IDS.housekeeping,
    workflowType: WORKFLOW_TYPES.housekeeping,
    workflowId: 'cairn-housekeeping',
    timeout: '10m',
  },
  // Finds people quiet for as long as a live inactivity journey waits for, once per quiet spell.
  {
    scheduleId: SCHEDULE_IDS.journeyInactivity,
    workflowType: WORKFLOW_TYPES.journeyInactivity,
    workflowId: 'cairn-journey-inactivity',
    timeout: '1h',
  },
] as const;

/** Creates the system schedules when missing; an existing schedule (perhaps edited by an operator) is kept. */
export async function ensureSchedules(client: Client, taskQueue: string): Promise<string[]> {
  const created: string[] = [];
  for (const s of SYSTEM_SCHEDULES) {
    try {
      await client.schedule.create({
        scheduleId: s.scheduleId,
        spec: { intervals: [{ every: '1h' }] },
        action: {
          type: 'startWorkflow',
          workflowType: s.workflowType,
          taskQueue,
          workflowId: s.workflowId,
          workflowExecutionTimeout: s.timeout,
        },
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1h' },
      });
      created.push(s.scheduleId);
    } catch (e) {
      if (!(e instanceof ScheduleAlreadyRunning)) throw e;
    }
  }
  return created;
}
