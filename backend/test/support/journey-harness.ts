import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { inject } from 'vitest';
import { WorkerModule } from '../../src/app.module';
import { loadConfig } from '../../src/config/config';
import { createTestDatabase } from './database';

/**
 * What the journey Temporal tests share: a database of their own, the worker's Nest context on a task queue of
 * their own, a Temporal client, a marketer to publish as, and workers started (and stopped, to kill one
 * mid-journey) with the activities each file needs.
 */
export interface JourneyHarness {
  ctx: INestApplicationContext;
  ds: DataSource;
  client: Client;
  taskQueue: string;
  userId: string;
  startWorker(activities: object): Promise<{ stop(): Promise<void> }>;
  close(): Promise<void>;
}

export async function startJourneyHarness(name: string): Promise<JourneyHarness> {
  Runtime.install({
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error } as never,
  });
  const address = inject('temporalAddress');
  const db = await createTestDatabase();
  const taskQueue = `${name}-${randomBytes(4).toString('hex')}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    TEMPORAL_ADDRESS: address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    CAIRN_SECRET_KEY: randomBytes(32).toString('base64'),
  });
  const ctx = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: false });
  const ds = ctx.get(DataSource);
  const clientConnection = await Connection.connect({ address });
  const [user] = await ds.query(
    `INSERT INTO users (email, name, password_hash) VALUES ($1, 'M', 'x') RETURNING id`,
    [`m@${name}.test`],
  );
  const workers = new Set<{ stop(): Promise<void> }>();
  return {
    ctx,
    ds,
    client: new Client({ connection: clientConnection }),
    taskQueue,
    userId: user.id,
    async startWorker(activities) {
      const connection = await NativeConnection.connect({ address });
      const w = await Worker.create({
        connection,
        taskQueue,
        workflowBundle: { codePath: inject('workflowBundlePath') },
        activities,
      });
      const running = w.run();
      const handle = {
        async stop() {
          workers.delete(handle);
          w.shutdown();
          await running;
          await connection.close();
        },
      };
      workers.add(handle);
      return handle;
    },
    async close() {
      for (const w of [...workers]) await w.stop();
      await clientConnection.close();
      await ctx.close();
      await db.drop();
    },
  };
}

export { until } from './until';
