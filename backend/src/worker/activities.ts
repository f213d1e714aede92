import type { CairnActivities } from '@cairn/workflows';
import type { HousekeepingService } from '../modules/housekeeping/housekeeping.service';
import type { TaxonomyService } from '../modules/taxonomy/taxonomy.service';

export interface ActivityDeps {
  housekeeping: Pick<HousekeepingService, 'purgeExpired'>;
  taxonomy: Pick<TaxonomyService, 'reapplyPage' | 'finishJob'>;
}

/** Activities are thin adapters from Temporal's serialisable arguments to backend services. */
export function createActivities(deps: ActivityDeps): CairnActivities {
  return {
    purgeExpired: (asOf) => deps.housekeeping.purgeExpired(new Date(asOf)),
    reapplyTaxonomyPage: ({ jobId, workspaceId, after }) =>
      deps.taxonomy.reapplyPage(jobId, workspaceId, after),
    finishJob: ({ jobId, state, error }) => deps.taxonomy.finishJob(jobId, state, error),
  };
}
