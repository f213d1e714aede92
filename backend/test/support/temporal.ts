import { NestFactory } from '@nestjs/core';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { inject } from 'vitest';
import { WorkerModule } from '../../src/app.module';
import { loadConfig } from '../../src/config/config';
import { WritebackDrainService } from '../../src/modules/connections/writeback-drain.service';
import { CrmSyncService } from '../../src/modules/crm-sync/crm-sync.service';
import { HousekeepingService } from '../../src/modules/housekeeping/housekeeping.service';
import { RetrainingService } from '../../src/modules/scoring/retraining.service';
import { TaxonomyService } from '../../src/modules/taxonomy/taxonomy.service';
import { createActivities } from '../../src/worker/activities';
import { createTestDatabase } from './database';

let runtimeQuiet = false;

/** A real worker (production activities on a fresh database) and client against the run's dev server. */
export async function startTestWorker(env: Record<string, string> = {}) {
  if (!runtimeQuiet) {
    Runtime.install({
      logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error } as never,
    });
    runtimeQuiet = true;
  }
  const address = inject('temporalAddress');
  const db = await createTestDatabase();
  const taskQueue = `test-${randomBytes(4).toString('hex')}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    TEMPORAL_ADDRESS: address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    ...env,
  });
  const ctx = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: false });
  const nativeConnection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    activities: createActivities({
      housekeeping: ctx.get(HousekeepingService),
      taxonomy: ctx.get(TaxonomyService),
      crmSync: ctx.get(CrmSyncService),
      retraining: ctx.get(RetrainingService),
      writeback: ctx.get(WritebackDrainService),
    }),
  });
  const running = worker.run();
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  return {
    client,
    taskQueue,
    ds: ctx.get(DataSource),
    /** The worker's Nest context, for services under test. */
    ctx,
    async close() {
      worker.shutdown();
      await running;
      await connection.close();
      await nativeConnection.close();
      await ctx.close();
      await db.drop();
    },
  };
}
