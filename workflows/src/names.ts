/** Stable identifiers shared by the worker, the API and schedules: renaming one orphans running work. */
export const WORKFLOW_TYPES = {
  housekeeping: 'housekeepingWorkflow',
  reapplyTaxonomy: 'reapplyTaxonomyWorkflow',
  crmSync: 'crmSyncWorkflow',
  retrainModel: 'retrainModelWorkflow',
  /** One per workspace (workflow id `writeback-drain-<workspaceId>`), woken by `SIGNALS.writebackWake`. */
  writebackDrain: 'writebackDrainWorkflow',
  /** One per journey version and prospect (workflow id `journey-<versionId>-<profileId>`). */
  journey: 'journeyWorkflow',
  /** Routes "inactive for N days" to the inactivity journeys of every workspace (scheduled). */
  journeyInactivity: 'journeyInactivityWorkflow',
} as const;

export const SIGNALS = {
  /** New write-back rows are queued: drain (again) before finishing. */
  writebackWake: 'writebackWake',
  /** To a journey workflow: something happened to the prospect, or they (re-)enter (`JourneyEnvelope`). */
  journeySignal: 'journeySignal',
  /** To a journey workflow: pause, resume or exit (`JourneyControl`). */
  journeyControl: 'journeyControl',
} as const;

export const QUERIES = {
  /** A journey workflow's position: step, arm, paused, converted. */
  journeyState: 'journeyState',
} as const;

/** The deterministic id of a prospect's workflow in a journey version. */
export const journeyWorkflowId = (versionId: string, profileId: string) =>
  `journey-${versionId}-${profileId}`;

export const SCHEDULE_IDS = {
  housekeeping: 'cairn-housekeeping',
  journeyInactivity: 'cairn-journey-inactivity',
  /** One per CRM connection. */
  crmSync: (connectionId: string) => `cairn-crm-sync-${connectionId}`,
} as const;
