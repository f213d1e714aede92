import type { CairnActivities } from '@cairn/workflows';
import { heartbeat } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { DomainError } from '../common/errors/domain-error';
import { RateLimitedError } from '../modules/crm-sync/crm-records';
import type { WritebackDrainService } from '../modules/connections/writeback-drain.service';
import type { CrmSyncService } from '../modules/crm-sync/crm-sync.service';
import type { HousekeepingService } from '../modules/housekeeping/housekeeping.service';
import {
  createJourneySweepActivities,
  type JourneyInactivitySweep,
} from '../modules/journeys/journey-inactivity';
import { createJourneyActivities, type JourneyRunService } from '../modules/journeys/journey-run.service';
import type { RetrainingService } from '../modules/scoring/retraining.service';
import type { TaxonomyService } from '../modules/taxonomy/taxonomy.service';

export interface ActivityDeps {
  retraining: Pick<RetrainingService, 'trainCandidate' | 'decideCandidate' | 'rescorePage'>;
  housekeeping: Pick<HousekeepingService, 'purgeExpired'>;
  taxonomy: Pick<TaxonomyService, 'reapplyPage' | 'finishJob'>;
  crmSync: Pick<CrmSyncService, 'startRun' | 'pullStep' | 'finishRun'>;
  writeback: Pick<WritebackDrainService, 'drainWorkspace'>;
  /** The journey interpreter's activities; absent in workers that run no journeys. */
  journeys?: JourneyRunService;
  /** The inactivity sweep's activities; absent in workers that run no journeys. */
  journeySweep?: JourneyInactivitySweep;
}

/** Activities are thin adapters from Temporal's serialisable arguments to backend services. */
export function createActivities(deps: ActivityDeps): CairnActivities {
  return {
    ...(deps.journeys ? createJourneyActivities(deps.journeys) : {}),
    ...(deps.journeySweep ? createJourneySweepActivities(deps.journeySweep) : {}),
    trainCandidate: ({ workspaceId, asOf }) => deps.retraining.trainCandidate(workspaceId, new Date(asOf)),
    decideCandidate: ({ workspaceId, modelId }) => deps.retraining.decideCandidate(workspaceId, modelId),
    rescorePage: ({ workspaceId, after, asOf }) =>
      deps.retraining.rescorePage(workspaceId, after, new Date(asOf)),
    purgeExpired: (asOf) => deps.housekeeping.purgeExpired(new Date(asOf)),
    reapplyTaxonomyPage: ({ jobId, workspaceId, after }) =>
      deps.taxonomy.reapplyPage(jobId, workspaceId, after),
    finishJob: ({ jobId, state, error }) => deps.taxonomy.finishJob(jobId, state, error),
    startCrmSync: (input) => crmFailures(() => deps.crmSync.startRun(input)),
    syncCrmPage: (input) =>
      crmFailures(async () => {
        heartbeat();
        const r = await deps.crmSync.pullStep(input);
        heartbeat(r.done);
        return { finished: r.finished, done: r.done };
      }),
    finishCrmSync: (input) => deps.crmSync.finishRun(input),
    drainWriteback: async ({ workspaceId }) => {
      // A pass may wait on the CRM for long (a Bulk API 2.0 job): heartbeat on a clock, not per step.
      heartbeat();
      const beat = setInterval(() => heartbeat(), 10_000);
      try {
        return await deps.writeback.drainWorkspace(workspaceId);
      } finally {
        clearInterval(beat);
      }
    },
  };
}

/**
 * A CRM rate limit is retried after the delay the CRM asks for; a connection that needs the admin (revoked grant,
 * not found, not configured) is not retried at all.
 */
async function crmFailures<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof RateLimitedError) {
      throw ApplicationFailure.create({
        message: e.message,
        type: 'CrmRateLimited',
        nextRetryDelay: e.retryAfterMs,
      });
    }
    if (e instanceof DomainError) {
      throw ApplicationFailure.create({ message: e.message, type: e.code, nonRetryable: true });
    }
    throw e;
  }
}
