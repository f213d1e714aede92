import type { CairnActivities } from '@cairn/workflows';
import type { HousekeepingService } from '../modules/housekeeping/housekeeping.service';

export interface ActivityDeps {
  housekeeping: Pick<HousekeepingService, 'purgeExpired'>;
}

/** Activities are thin adapters from Temporal's serialisable arguments to backend services. */
export function createActivities(deps: ActivityDeps): CairnActivities {
  return {
    purgeExpired: (asOf) => deps.housekeeping.purgeExpired(new Date(asOf)),
  };
}
