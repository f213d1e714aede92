import { continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type {
  InactivityJourney,
  InactivitySweepPage,
  InactivitySweepResult,
  JourneySweepActivities,
} from '../activities';

const { inactivityJourneys, sweepInactivityPage } = proxyActivities<JourneySweepActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '5 seconds', maximumAttempts: 10 },
});

/** Where a sweep that continued as new picks up. */
export interface InactivitySweepState {
  asOf: string;
  journeys: InactivityJourney[];
  index: number;
  after: string | null;
  result: InactivitySweepResult;
}

/**
 * Run by a Temporal Schedule: for each live inactivity journey, page through the people idle at least its days
 * and route them an `inactive` signal. "As of" is the first run's start time, replayed identically. Each page
 * marks the quiet spells it handled, and the router's entry rules and deterministic workflow ids hold on a
 * retried page, so running the sweep again enrols nobody twice.
 */
export async function journeyInactivityWorkflow(
  state?: InactivitySweepState,
): Promise<InactivitySweepResult> {
  const asOf = state?.asOf ?? workflowInfo().runStartTime.toISOString();
  const journeys = state?.journeys ?? (await inactivityJourneys());
  const result = state?.result ?? { journeys: journeys.length, routed: 0, enrolled: 0 };
  let after = state?.after ?? null;
  for (let index = state?.index ?? 0; index < journeys.length; index++) {
    do {
      const page: InactivitySweepPage = await sweepInactivityPage({ journey: journeys[index]!, asOf, after });
      result.routed += page.routed;
      result.enrolled += page.enrolled;
      after = page.next;
      if (after && workflowInfo().continueAsNewSuggested) {
        return continueAsNew<typeof journeyInactivityWorkflow>({ asOf, journeys, index, after, result });
      }
    } while (after);
  }
  return result;
}
