/**
 * The activities workflow code may call, as types only: their implementations live in @cairn/backend and are
 * built there from its services (`createActivities(deps)`), so workflow code never touches I/O.
 */
export interface PurgeResult {
  sessions: number;
  invites: number;
  signInFailures: number;
}

export interface HousekeepingActivities {
  /** Deletes expired sessions, long-expired invites and old sign-in failures as of `asOf` (ISO time). */
  purgeExpired(asOf: string): Promise<PurgeResult>;
}

export type CairnActivities = HousekeepingActivities;
