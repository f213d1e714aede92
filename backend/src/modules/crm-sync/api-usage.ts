/**
 * Pacing from Salesforce's `Sforce-Limit-Info: api-usage=used/limit` (the org's 24-hour allowance, shared with
 * every other integration of the org): full speed below 80 %, then ever longer pauses between pages, and no
 * pulling at all from 98 % until the allowance recovers, so Cairn never starves the org's other integrations.
 */
export const USAGE_SLOW_FROM = 0.8;
export const USAGE_STOP_FROM = 0.98;
/** The longest pause between pages before stopping altogether. */
const MAX_PAUSE_MS = 30_000;
/** When stopped, how long before trying again (the allowance is a rolling 24 h). */
export const USAGE_STOP_WAIT_MS = 15 * 60_000;

/** Milliseconds to wait before the next request; `USAGE_STOP_WAIT_MS` or more means stop for now. */
export function apiUsagePause(used: number | null, limit: number | null): number {
  if (used === null || limit === null || limit <= 0) return 0;
  const share = used / limit;
  if (share < USAGE_SLOW_FROM) return 0;
  if (share >= USAGE_STOP_FROM) return USAGE_STOP_WAIT_MS;
  // Quadratic from 0 at 80 % to 30 s at 98 %.
  const x = (share - USAGE_SLOW_FROM) / (USAGE_STOP_FROM - USAGE_SLOW_FROM);
  return Math.round(MAX_PAUSE_MS * x * x);
}
