import { Foundation1764000000000 } from './1764000000000-foundation';
import { Events1764100000000 } from './1764100000000-events';
import { JobsPrivacy1764200000000 } from './1764200000000-jobs-privacy';
import { Outbound1764300000000 } from './1764300000000-outbound';
import { Connections1764400000000 } from './1764400000000-connections';
import { CrmSync1764500000000 } from './1764500000000-crm-sync';
import { IngestHotPath1764550000000 } from './1764550000000-ingest-hot-path';
import { WritebackOutbox1764620000000 } from './1764620000000-writeback-outbox';
import { Intelligence1764700000000 } from './1764700000000-intelligence';
import { Insights1764800000000 } from './1764800000000-insights';
import { Journeys1764900000000 } from './1764900000000-journeys';
import { JourneyTriggers1765000000000 } from './1765000000000-journey-triggers';
import { InsightsColumnOrder1765100000000 } from './1765100000000-insights-column-order';
import { CrmChangeStatementTriggers1765200000000 } from './1765200000000-crm-change-statement-triggers';
import { SyncRunPhases1765300000000 } from './1765300000000-sync-run-phases';
import { ScoreTrend1765400000000 } from './1765400000000-score-trend';
import { EventInbox1765600000000 } from './1765600000000-event-inbox';
import { WorkspaceScopedKeys1765500000000 } from './1765500000000-workspace-scoped-keys';

/** In order; listed by hand so the bundle, the CLI and tests run exactly the same set. */
export const migrations = [
  Foundation1764000000000,
  Events1764100000000,
  JobsPrivacy1764200000000,
  Outbound1764300000000,
  Connections1764400000000,
  CrmSync1764500000000,
  IngestHotPath1764550000000,
  WritebackOutbox1764620000000,
  Intelligence1764700000000,
  Insights1764800000000,
  Journeys1764900000000,
  JourneyTriggers1765000000000,
  InsightsColumnOrder1765100000000,
  CrmChangeStatementTriggers1765200000000,
  SyncRunPhases1765300000000,
  ScoreTrend1765400000000,
  WorkspaceScopedKeys1765500000000,
  EventInbox1765600000000,
];
