import { Inject, Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import type { Provider } from './providers';

/**
 * Requests per window Cairn allows itself per connection, paced evenly (one slot every `windowMs / limit`).
 * HubSpot allows 110 requests per rolling 10 s per app and account: 105 evenly paced slots, plus the up to
 * three more a pulled page sends back to back on one reservation, stay under it — 95 % of HubSpot's allowance.
 * Salesforce has no short window; its daily allowance is watched through `Sforce-Limit-Info`.
 * `enforced`: the CRM itself refuses requests over the window, so a request must go out at its slot, not later
 * (several late ones would land in one window together); Cairn's own pacing only sets the average.
 */
export const BUDGETS: Record<Provider, { limit: number; windowMs: number; enforced: boolean }> = {
  hubspot: { limit: 105, windowMs: 10_000, enforced: true },
  salesforce: { limit: 200, windowMs: 10_000, enforced: false },
};

/**
 * A per-connection request budget kept in PostgreSQL, so every API and worker process draws from one. Each call
 * reserves the next free slots in one statement (a virtual schedule: GCRA without burst) and waits for its turn,
 * so callers are served in order and the budget is used evenly instead of in bursts at window starts.
 */
@Injectable()
export class RateBudget {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  /** Waits until `cost` requests may be sent on the connection; says which window of `windowMs` they fall in. */
  async acquire(connectionId: string, budget: { limit: number; windowMs: number }, cost = 1): Promise<Date> {
    const spacingMs = (budget.windowMs / budget.limit) * cost;
    const [row] = (await this.ds.query(
      `INSERT INTO crm_rate_budgets AS b (connection_id, window_start, used, next_slot)
       VALUES ($1, clock_timestamp(), $2, clock_timestamp() + $3 * interval '1 millisecond')
       ON CONFLICT (connection_id) DO UPDATE SET
         window_start = GREATEST(b.next_slot, clock_timestamp()),
         next_slot = GREATEST(b.next_slot, clock_timestamp()) + $3 * interval '1 millisecond',
         used = b.used + $2
       RETURNING extract(epoch FROM window_start) * 1000 AS "startMs",
                 extract(epoch FROM window_start - clock_timestamp()) * 1000 AS "waitMs"`,
      [connectionId, cost, spacingMs],
    )) as { startMs: string; waitMs: string }[];
    const wait = Number(row!.waitMs);
    if (wait > 0) await sleep(wait);
    const start = Number(row!.startMs);
    return new Date(start - (start % budget.windowMs));
  }
}
