import type { IntelligenceActivities } from './intelligence-activities';
import type {
  JourneyDefinition,
  JourneyNode,
  JourneySettings,
  JourneySignal,
  ProspectSnapshot,
} from './journey';

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
  /**
   * Pulls a step of the run: the streams of its current phase side by side for a few seconds, each page committed
   * with its stream's cursor; heartbeats.
   */
  syncCrmPage(input: { workspaceId: string; runId: string }): Promise<{ finished: boolean; done: number }>;
  /** Closes the run and sets the connection back to active, or to error with the reason. */
  finishCrmSync(input: {
    workspaceId: string;
    runId: string;
    state: 'completed' | 'failed';
    error: string | null;
  }): Promise<void>;
}

/** What one drain pass did and what is left: rows due now, else when the next waiting row may go. */
export interface WritebackDrainResult {
  sent: number;
  failed: number;
  due: number;
  /** Milliseconds until the next waiting row may go; null when nothing waits (rows of connections that need
   * the admin to connect again do not count). */
  waitMs: number | null;
}

export interface WritebackActivities {
  /** Sends due write-back rows of the workspace's connections for up to about a minute; heartbeats. */
  drainWriteback(input: { workspaceId: string }): Promise<WritebackDrainResult>;
}

export type CairnActivities = IntelligenceActivities &
  HousekeepingActivities &
  TaxonomyActivities &
  CrmSyncActivities &
  WritebackActivities;

/** Who a journey workflow runs for: one enrolment of one prospect in one published version. */
export interface JourneyEnrollmentRef {
  workspaceId: string;
  journeyId: string;
  versionId: string;
  profileId: string;
  enrollmentId: string;
  /** 1 for the first time this prospect entered the journey, 2 for a re-entry… */
  entry: number;
}

/** A published version as the interpreter runs it, with the journey's pause state at the time of loading. */
export interface LoadedJourney {
  definition: JourneyDefinition;
  status: 'draft' | 'active' | 'paused' | 'archived';
  /** The journey's control sequence: pause/resume/archive signals older than this are stale. */
  controlSeq: number;
}

export type JourneyActionStatus = 'done' | 'skipped' | 'failed' | 'throttled';

export interface JourneyActionResult {
  status: JourneyActionStatus;
  /** What happened in words ("sent to ada@…", "skipped: no CRM connection"). */
  detail: string;
  /** Throttled: when the send may be tried again. */
  retryAfterMs?: number;
  /** True when the key had been done before: this call did nothing new. */
  replayed?: boolean;
}

export type JourneyRecord =
  | { kind: 'arm'; arm: 'treatment' | 'control' }
  | { kind: 'converted'; nodeId: string | null }
  | { kind: 'path_done'; status: 'completed' | 'exited'; reason: string }
  | { kind: 'closed' };

export interface JourneyActivities {
  /** The version's definition and the journey's current state. */
  journeyLoad(input: { versionId: string }): Promise<LoadedJourney>;
  /** The prospect as last scored and synced: stage, risk, traits, account. */
  journeySnapshot(input: { workspaceId: string; profileId: string }): Promise<ProspectSnapshot>;
  /** Records that the prospect reached a step (idempotent per enrolment, step and visit). */
  journeyStep(input: { enrollment: JourneyEnrollmentRef; nodeId: string; visit: number }): Promise<void>;
  /** Runs an action step once per key, whatever the retries: a repeated key reports what was done. */
  journeyAction(input: {
    enrollment: JourneyEnrollmentRef;
    key: string;
    nodeId: string;
    node: JourneyNode;
    settings: JourneySettings;
  }): Promise<JourneyActionResult>;
  /** Records an action that kept failing after its retries. */
  journeyActionFailed(input: { key: string; error: string }): Promise<void>;
  /** Records the enrolment's arm, conversion, end of path or end of watch. */
  journeyRecord(input: { enrollment: JourneyEnrollmentRef; record: JourneyRecord }): Promise<void>;
}

/** A live journey whose trigger is "inactive for `days` days", at its current version. */
export interface InactivityJourney {
  workspaceId: string;
  journeyId: string;
  versionId: string;
  days: number;
}

/** One page of an inactivity sweep: `next` is where the next page starts, null when the journey is done. */
export interface InactivitySweepPage {
  next: string | null;
  /** People routed (idle long enough, their quiet spell not yet handled for this journey). */
  routed: number;
  enrolled: number;
}

export interface InactivitySweepResult {
  journeys: number;
  routed: number;
  enrolled: number;
}

export interface JourneySweepActivities {
  /** Every workspace's live journeys with an inactivity trigger. */
  inactivityJourneys(): Promise<InactivityJourney[]>;
  /**
   * Routes an `inactive` signal to the journey for the next page of people idle at least its days as of `asOf`
   * (ISO time) whose current quiet spell it has not handled, and marks the spell handled.
   */
  sweepInactivityPage(input: {
    journey: InactivityJourney;
    asOf: string;
    after: string | null;
  }): Promise<InactivitySweepPage>;
}

/** What the trigger router sends a journey workflow (`SIGNALS.journeySignal`). */
export type JourneyEnvelope =
  | { type: 'signal'; signal: JourneySignal }
  /** The prospect enters (again): a closed workflow starts with it, a watching one continues as new with it. */
  | { type: 'enter'; enrollment: JourneyEnrollmentRef; signal: JourneySignal | null };

/** `SIGNALS.journeyControl`: pause keeps people at their current step; exit takes them out. */
export interface JourneyControl {
  action: 'pause' | 'resume' | 'exit';
  /** The journey's control sequence after this change; older controls are ignored. */
  seq: number;
}

/** `QUERIES.journeyState`. */
export interface JourneyWorkflowState {
  enrollmentId: string;
  nodeId: string | null;
  phase: 'on_path' | 'watching' | 'done';
  paused: boolean;
  arm: 'treatment' | 'control' | null;
  converted: boolean;
}
