import type { IntelligenceActivities } from './intelligence-activities';

/**
 * The activities workflow code may call, as types only: their implementations live in @cairn/backend and are
 * built there from its services (`createActivities(deps)`), so workflow code never touches I/O.
 */
export interface PurgeResult {
  sessions: number;
  invites: number;
  signInFailures: number;
  /** De-duplication ledger entries past their retention. */
  messageIds: number;
}

export interface HousekeepingActivities {
  /** Deletes expired sessions, long-expired invites and old sign-in failures as of `asOf` (ISO time). */
  purgeExpired(asOf: string): Promise<PurgeResult>;
}

/** Where a history walk stopped: the last event done and how many were done so far. */
export interface HistoryCursor {
  timestamp: string;
  messageId: string;
  done: number;
}

export interface TaxonomyActivities {
  /** Re-maps one page of a workspace's events after `after`; null when the history is done. */
  reapplyTaxonomyPage(input: {
    jobId: string;
    workspaceId: string;
    after: HistoryCursor | null;
  }): Promise<HistoryCursor | null>;
  finishJob(input: { jobId: string; state: 'completed' | 'failed'; error: string | null }): Promise<void>;
}

export type CrmSyncKind = 'full' | 'incremental';

export interface CrmSyncActivities {
  /**
   * Opens the run `runId` (idempotent), shows the connection as syncing. `started: false` when another run of the
   * connection is going (its id is returned) or the run is already over.
   */
  startCrmSync(input: {
    runId: string;
    workspaceId: string;
    connectionId: string;
    kind: CrmSyncKind | null;
  }): Promise<{ runId: string; started: boolean }>;
  /** Pulls one page of the run's current stream and commits it with its cursor; heartbeats. */
  syncCrmPage(input: { workspaceId: string; runId: string }): Promise<{ finished: boolean; done: number }>;
  /** Closes the run and sets the connection back to active, or to error with the reason. */
  finishCrmSync(input: {
    workspaceId: string;
    runId: string;
    state: 'completed' | 'failed';
    error: string | null;
  }): Promise<void>;
}

export type CairnActivities = IntelligenceActivities &
  HousekeepingActivities &
  TaxonomyActivities &
  CrmSyncActivities;
