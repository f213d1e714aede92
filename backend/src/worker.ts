import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { WorkerModule } from './app.module';
import { createLogger, NestPinoLogger } from './common/logging/logger';
import { loadConfig } from './config/config';
import { WritebackDrainService } from './modules/connections/writeback-drain.service';
import { WritebackOutboxService } from './modules/connections/writeback-outbox.service';
import { CrmSyncService } from './modules/crm-sync/crm-sync.service';
import { HousekeepingService } from './modules/housekeeping/housekeeping.service';
import { JourneyInactivitySweep } from './modules/journeys/journey-inactivity';
import { JourneyRunService } from './modules/journeys/journey-run.service';
import { IntelligenceService } from './modules/scoring/intelligence.service';
import { RetrainingService } from './modules/scoring/retraining.service';
import { ScoringLoop } from './modules/scoring/scoring-loop';
import { TaxonomyService } from './modules/taxonomy/taxonomy.service';
import { runProcess } from './runtime/run-process';
import { StartupError } from './runtime/startup-error';
import { createActivities } from './worker/activities';
import { ensureSchedules } from './worker/schedules';
import { createWorker } from './worker/worker';

/** The Temporal worker process (`node backend/dist/worker.js`). */
runProcess('worker', async () => {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'worker');
  const address = config.temporal.address;
  if (!address) throw new StartupError('TEMPORAL_ADDRESS is required for the worker');
  const ctx = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    logger: new NestPinoLogger(logger),
  });
  const activities = createActivities({
    housekeeping: ctx.get(HousekeepingService),
    taxonomy: ctx.get(TaxonomyService),
    crmSync: ctx.get(CrmSyncService),
    retraining: ctx.get(RetrainingService),
    writeback: ctx.get(WritebackDrainService),
    journeys: ctx.get(JourneyRunService),
    journeySweep: ctx.get(JourneyInactivitySweep),
  });
  const connection = await NativeConnection.connect({ address });
  const worker = await createWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    activities,
  });
  const clientConnection = await Connection.connect({ address });
  const created = await ensureSchedules(
    new Client({ connection: clientConnection, namespace: config.temporal.namespace }),
    config.temporal.taskQueue,
  );
  await clientConnection.close();
  const syncSchedules = await ctx.get(CrmSyncService).ensureAllSchedules();
  const retrainSchedules = await ctx.get(IntelligenceService).ensureAllSchedules();
  // People whose behaviour changed are re-scored as it happens; the queue is durable, the loop is not.
  const scoring = ctx.get(ScoringLoop).start();
  // Write-back rows left waiting (a crash, Temporal unreachable when they were queued) get their drains back.
  const writebackDrains = await ctx.get(WritebackOutboxService).wakeAll();
  logger.info(
    {
      taskQueue: config.temporal.taskQueue,
      schedulesCreated: created,
      syncSchedules,
      retrainSchedules,
      writebackDrains,
    },
    'worker running',
  );
  // Runs until SIGINT/SIGTERM, which the Temporal runtime turns into a graceful shutdown.
  await worker.run();
  await scoring.stop();
  await connection.close();
  await ctx.close();
});
