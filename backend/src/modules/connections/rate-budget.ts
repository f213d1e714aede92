import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Provider } from './providers';

/**
 * Fixed windows small enough that any rolling window of the CRM's own size stays under its limit: HubSpot
 * allows 110 requests per rolling 10 s per app and account, and three 5-second windows of 35 never exceed
 * 105. Salesforce has no short window; its daily allowance is watched through Sforce-Limit-Info.
 */
export const BUDGETS: Record<Provider, { limit: number; windowMs: number }> = {
  hubspot: { limit: 35, windowMs: 5_000 },
  salesforce: { limit: 200, windowMs: 10_000 },
};

/** A per-connection request budget kept in PostgreSQL, so every API and worker process draws from one. */
@Injectable()
export class RateBudget {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  /** Waits until `cost` requests fit in the connection's current window, takes them, and says which window. */
  async acquire(connectionId: string, budget: { limit: number; windowMs: number }, cost = 1): Promise<Date> {
    for (;;) {
      const now = Date.now();
      const windowStart = new Date(now - (now % budget.windowMs));
      const rows: unknown[] = await this.ds.query(
        `INSERT INTO crm_rate_budgets (connection_id, window_start, used) VALUES ($1, $2, $3)
         ON CONFLICT (connection_id) DO UPDATE SET
           window_start = EXCLUDED.window_start,
           used = CASE WHEN crm_rate_budgets.window_start < EXCLUDED.window_start THEN EXCLUDED.used
                       ELSE crm_rate_budgets.used + EXCLUDED.used END
         WHERE crm_rate_budgets.window_start < EXCLUDED.window_start OR crm_rate_budgets.used + EXCLUDED.used <= $4
         RETURNING used`,
        [connectionId, windowStart, cost, budget.limit],
      );
      if (rows.length) return windowStart;
      await new Promise((r) => setTimeout(r, windowStart.getTime() + budget.windowMs - Date.now() + 5));
    }
  }
}
