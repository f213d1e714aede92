import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ErrorFilter } from './common/errors/error.filter';
import type { CairnConfig } from './config/config';
import { ConfigModule } from './config/config.module';
import { dataSourceOptions } from './database/data-source';
import { AuthModule } from './modules/auth/auth.module';
import { ConnectionsModule } from './modules/connections/connections.module';
import { CrmSyncModule } from './modules/crm-sync/crm-sync.module';
import { EventsModule } from './modules/events/events.module';
import { IdentityModule } from './modules/identity/identity.module';
import { InsightsModule } from './modules/insights/insights.module';
import { JobsModule } from './modules/jobs/jobs.module';
import { JourneysModule } from './modules/journeys/journeys.module';
import { PrivacyModule } from './modules/privacy/privacy.module';
import { ScoringModule } from './modules/scoring/scoring.module';
import { TaxonomyModule } from './modules/taxonomy/taxonomy.module';
import { HealthModule } from './modules/health/health.module';
import { HousekeepingModule } from './modules/housekeeping/housekeeping.module';
import { MetricsModule } from './modules/metrics/metrics.module';
import { SegmentModule } from './modules/segment/segment.module';
import { TrackingModule } from './modules/segment/tracking.module';
import { TemporalModule } from './modules/temporal/temporal.module';
import { WorkspacesModule } from './modules/workspaces/workspaces.module';

/** Everything both processes share: configuration, the database and the domain modules. */
export function coreImports(config: CairnConfig) {
  if (!config.databaseUrl) throw new Error('DATABASE_URL is not resolved; start Cairn through its runtime');
  return [
    ConfigModule.forRoot(config),
    TypeOrmModule.forRoot(dataSourceOptions(config.databaseUrl)),
    TemporalModule,
    AuthModule,
    WorkspacesModule,
    HousekeepingModule,
    EventsModule,
    TaxonomyModule,
    JobsModule,
    ScoringModule,
    CrmSyncModule,
    JourneysModule,
  ];
}

@Module({})
export class AppModule {
  static forRoot(config: CairnConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ...coreImports(config),
        HealthModule,
        MetricsModule,
        SegmentModule,
        TrackingModule,
        IdentityModule,
        PrivacyModule,
        ConnectionsModule,
        InsightsModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: ErrorFilter }],
    };
  }
}

/** The worker process: domain services for activities, no HTTP. */
@Module({})
export class WorkerModule {
  static forRoot(config: CairnConfig): DynamicModule {
    return { module: WorkerModule, imports: coreImports(config) };
  }
}
