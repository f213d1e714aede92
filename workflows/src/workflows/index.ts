// Entry point the Temporal worker bundles: every workflow function exported here is registered.
export { housekeepingWorkflow } from './housekeeping.workflow';
export { reapplyTaxonomyWorkflow } from './reapply-taxonomy.workflow';
export { crmSyncWorkflow } from './crm-sync.workflow';
export { writebackDrainWorkflow } from './writeback-drain.workflow';
export { journeyWorkflow } from './journey.workflow';
export { journeyInactivityWorkflow } from './journey-inactivity.workflow';
export { retrainModelWorkflow } from './retrain-model.workflow';
