/** Stable identifiers shared by the worker, the API and schedules: renaming one orphans running work. */
export const WORKFLOW_TYPES = {
  housekeeping: 'housekeepingWorkflow',
  reapplyTaxonomy: 'reapplyTaxonomyWorkflow',
  crmSync: 'crmSyncWorkflow',
  retrainModel: 'retrainModelWorkflow',
} as const;

export const SCHEDULE_IDS = {
  housekeeping: 'cairn-housekeeping',
  /** One per CRM connection. */
  crmSync: (connectionId: string) => `cairn-crm-sync-${connectionId}`,
} as const;
