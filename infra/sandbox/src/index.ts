/**
 * @cairn/sandbox — faithful local emulators of HubSpot and Salesforce that the real
 * `@hubspot/api-client` and `jsforce` talk to through their base-URL options, plus a deterministic
 * seed generator and a behavioural-event stream sent through `@segment/analytics-node`.
 */
export { startHubSpotSandbox } from './hubspot/index';
export type { HubSpotSandbox, HubSpotSandboxOptions } from './hubspot/index';
export { HubSpotStore, BATCH_LIMIT, LIST_LIMIT, SEARCH_LIMITS } from './hubspot/index';
export type { HsRecord, HsApp, HsAccessToken, HsOwner, HsObjectType, HsPropertyDef } from './hubspot/index';
export type { HsRateLimitConfig } from './hubspot/http';

export { startSalesforceSandbox, JSFORCE_DEFAULT_VERSION } from './salesforce/index';
export type { SalesforceSandbox, SalesforceSandboxOptions } from './salesforce/index';
export {
  SalesforceStore,
  COLLECTION_LIMIT,
  DEFAULT_BATCH_SIZE,
  parseSoql,
  compileSoql,
  executeSoql,
  SoqlError,
  s256,
} from './salesforce/index';
export type { SfRecord, SfConnectedApp, SfValue, SfBulkJob } from './salesforce/index';

export { Faults } from './core/faults';
export type { StormOptions, FaultState } from './core/faults';
export { RequestCounters } from './core/counters';
export type { RequestRecord } from './core/counters';
export { Rng } from './core/random';
export { completeConsent } from './core/consent';
export type { ConsentOutcome } from './core/consent';

export {
  generateSeed,
  seedHubSpot,
  seedSalesforce,
  generateEvents,
  sendEvents,
  DEFAULT_SEED_OPTIONS,
} from './seed';
export type {
  SeedData,
  SeedOptions,
  SeedPerson,
  SeedAccount,
  SeedDeal,
  SeedEmail,
  BehaviourEvent,
  SendEventsOptions,
} from './seed';
