/**
 * Journeys on a real Temporal dev server and PostgreSQL: how fast the trigger router enrols people
 * (enrolments/s: entry policy in PostgreSQL + `signalWithStart`) and how long from the trigger signal to the
 * journey's first action (the email in the outbox), p50/p95, with one worker in this process: first at a steady
 * rate (latency without a backlog, with where the time goes), then in a burst (throughput).
 *
 *   npm run bench:journeys   (STEADY=60 RATE=5: the steady phase; PROSPECTS=300 CONCURRENCY=16: the burst)
 */
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client, Connection } from '@temporalio/client';
import { temporal as proto } from '@temporalio/proto';
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { definitionToCanvas, type JourneyDefinition } from '@cairn/workflows';
import { randomBytes, randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { runMigrations } from '../src/database/data-source';
import { startEmbeddedPostgres } from '../src/runtime/embedded-postgres';
import { freePort } from '../src/runtime/ports';
import { findTemporalCli } from '../src/runtime/temporal-cli';
import { startTemporalDevServer } from '../src/runtime/temporal-dev-server';

// Nest's injection needs the decorator metadata tsc emits and tsx does not: the services come from the build.
const DIST = join(__dirname, '../dist');
/* eslint-disable @typescript-eslint/no-require-imports */
const { WorkerModule } = require(join(DIST, 'app.module.js')) as typeof import('../src/app.module');
const { loadConfig } = require(join(DIST, 'config/config.js')) as typeof import('../src/config/config');
const { createJourneyActivities, JourneyRunService } = require(
  join(DIST, 'modules/journeys/journey-run.service.js'),
) as typeof import('../src/modules/journeys/journey-run.service');
const { JourneyTriggerRouter } = require(
  join(DIST, 'modules/journeys/journey-trigger-router.js'),
) as typeof import('../src/modules/journeys/journey-trigger-router');
const { JourneysService } = require(
  join(DIST, 'modules/journeys/journeys.service.js'),
) as typeof import('../src/modules/journeys/journeys.service');
/* eslint-enable @typescript-eslint/no-require-imports */

const PROSPECTS = Number(process.env['PROSPECTS'] ?? 300);
const CONCURRENCY = Number(process.env['CONCURRENCY'] ?? 16);
const WARM_UP = 10;
/** Triggers at a steady rate, for latency without a backlog. */
const STEADY = Number(process.env['STEADY'] ?? 60);
const RATE = Number(process.env['RATE'] ?? 5);

const journey: JourneyDefinition = {
  version: 1,
  trigger: { kind: 'stage_transition', from: 'evaluation', to: 'purchase_intent' },
  settings: { entry: { policy: 'once' }, maxSendsPerWeek: 3, quietHours: null, sendRatePerMinute: null },
  entryNodeId: 'welcome',
  nodes: {
    welcome: {
      kind: 'send_email',
      content: {
        source: 'inline',
        subject: 'Ready when you are, {{first_name}}',
        body: '<p>Hi {{first_name}}</p>',
      },
      next: { next: 'later' },
    },
    later: { kind: 'wait', mode: 'duration', durationMs: 86_400_000, next: {} },
  },
};

const eventType = (name: string) =>
  proto.api.enums.v1.EventType[`EVENT_TYPE_${name}` as keyof typeof proto.api.enums.v1.EventType];

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'cairn-bench-journeys-'));
  await chmod(dir, 0o755);
  const log = (line: string) => process.stderr.write(`  ${line}\n`);
  const [pg, temporal] = await Promise.all([
    startEmbeddedPostgres({ dir: join(dir, 'pg'), port: await freePort(), database: 'cairn' }),
    (async () =>
      startTemporalDevServer({
        cliPath: await findTemporalCli({
          configured: process.env['TEMPORAL_CLI_PATH'],
          pathEnv: process.env['PATH'] ?? '',
          log,
        }),
        dataDir: join(dir, 'temporal'),
        host: '127.0.0.1',
        port: await freePort(),
        uiPort: await freePort(),
        namespace: 'default',
        log,
      }))(),
  ]);
  let ctx: INestApplicationContext | undefined;
  let stopWorker: (() => Promise<void>) | undefined;
  try {
    await runMigrations(pg.url);
    const taskQueue = 'bench-journeys';
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: pg.url,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      CAIRN_SECRET_KEY: randomBytes(32).toString('base64'),
      CAIRN_LOG_LEVEL: 'warn',
    });
    Runtime.install({
      logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error } as never,
    });
    ctx = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: false });
    const ds = ctx.get(DataSource);
    const connection = await NativeConnection.connect({ address: temporal.address });
    const worker = await Worker.create({
      connection,
      taskQueue,
      workflowBundle: { codePath: join(DIST, 'workflow-bundle.js') },
      activities: createJourneyActivities(ctx.get(JourneyRunService)),
    });
    const running = worker.run();
    stopWorker = async () => {
      worker.shutdown();
      await running;
      await connection.close();
    };

    const [ws] = await ds.query(`INSERT INTO workspaces (name) VALUES ('Bench') RETURNING id`);
    const [user] = await ds.query(
      `INSERT INTO users (email, name, password_hash) VALUES ('bench@cairn.local', 'B', 'x') RETURNING id`,
    );
    const total = WARM_UP + STEADY + PROSPECTS;
    const ids = Array.from({ length: total }, () => randomUUID());
    await ds.query(
      `INSERT INTO profiles (id, workspace_id, email, traits, consent, first_seen_at, last_seen_at)
       SELECT id, $1, 'p-' || left(id::text, 8) || '@bench.test', '{"firstName": "Ada"}', 'granted', now(), now()
         FROM unnest($2::uuid[]) AS id`,
      [ws.id, ids],
    );
    const journeys = ctx.get(JourneysService);
    const journeyId = await journeys.create(ws.id, user.id, { name: 'Bench' });
    await journeys.saveDraft(ws.id, journeyId, { graph: definitionToCanvas(journey) });
    await journeys.publish(ws.id, journeyId, user.id);
    const router = ctx.get(JourneyTriggerRouter);
    const signal = { kind: 'stage_changed' as const, from: 'evaluation', to: 'purchase_intent' };

    const sent = async () =>
      Number((await ds.query(`SELECT count(*)::int AS n FROM sent_emails`))[0].n as number);
    const waitForSends = async (n: number) => {
      const end = Date.now() + 5 * 60_000;
      while ((await sent()) < n) {
        if (Date.now() > end) throw new Error(`only ${await sent()} of ${n} first actions after 5 minutes`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };

    // Warm-up: the worker loads the bundle and opens its connections.
    await Promise.all(ids.slice(0, WARM_UP).map((id) => router.route(ws.id, id, [signal])));
    await waitForSends(WARM_UP);

    const latencies = async (group: string[]) => {
      const rows: { id: string; at: number }[] = await ds.query(
        `SELECT profile_id AS id, (extract(epoch FROM created_at) * 1000)::float8 AS at FROM sent_emails
          WHERE profile_id = ANY($1::uuid[])`,
        [group],
      );
      return rows.map((r) => r.at - startedAt.get(r.id)!).sort((x, y) => x - y);
    };
    const startedAt = new Map<string, number>();
    const route = async (id: string) => {
      startedAt.set(id, Date.now());
      const r = await router.route(ws.id, id, [signal]);
      if (r.enrolled.length !== 1) throw new Error(`not enrolled: ${JSON.stringify(r.skipped)}`);
    };

    // 1. Trigger-to-first-action latency at a steady rate the worker keeps up with.
    const steady = ids.slice(WARM_UP, WARM_UP + STEADY);
    const routing: Promise<void>[] = [];
    const s0 = Date.now();
    for (const [i, id] of steady.entries()) {
      await new Promise((r) => setTimeout(r, Math.max(0, s0 + (i * 1000) / RATE - Date.now())));
      routing.push(route(id));
    }
    await Promise.all(routing);
    await waitForSends(WARM_UP + STEADY);
    const steadyLatency = await latencies(steady);

    // Where that time goes, from the workflows' histories.
    const phases = new Map<string, number[]>();
    const add = (name: string, v: number) => phases.set(name, [...(phases.get(name) ?? []), v]);
    const [{ version_id: versionId }] = await ds.query(`SELECT version_id FROM journey_enrollments LIMIT 1`);
    const client = new Client({ connection: await Connection.connect({ address: temporal.address }) });
    for (const id of steady) {
      const events =
        (await client.workflow.getHandle(`journey-${versionId}-${id}`).fetchHistory()).events ?? [];
      const at = (type: string) => {
        const e = events.find((x) => x.eventType === eventType(type));
        return e ? Number(e.eventTime!.seconds) * 1000 + (e.eventTime!.nanos ?? 0) / 1e6 : NaN;
      };
      add('router → workflow started', at('WORKFLOW_EXECUTION_STARTED') - startedAt.get(id)!);
      add('first workflow task queued', at('WORKFLOW_TASK_STARTED') - at('WORKFLOW_TASK_SCHEDULED'));
      add('first workflow task (load + step)', at('WORKFLOW_TASK_COMPLETED') - at('WORKFLOW_TASK_STARTED'));
      add('email activity queued', at('ACTIVITY_TASK_STARTED') - at('ACTIVITY_TASK_SCHEDULED'));
      add('email activity (outbox written)', at('ACTIVITY_TASK_COMPLETED') - at('ACTIVITY_TASK_STARTED'));
    }

    // 2. A burst: everyone at once from CONCURRENCY callers; how fast people enter, and how fast the worker
    // catches up.
    const burst = ids.slice(WARM_UP + STEADY);
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < burst.length) await route(burst[next++]!);
      }),
    );
    const routedSeconds = (performance.now() - t0) / 1000;
    await waitForSends(total);
    const allSeconds = (performance.now() - t0) / 1000;
    const burstLatency = await latencies(burst);
    const dupes: { n: number }[] = await ds.query(
      `SELECT count(*)::int AS n FROM sent_emails GROUP BY profile_id HAVING count(*) > 1`,
    );

    const ms = (x: number) => `${x.toFixed(0)} ms`;
    const pct = (xs: number[]) =>
      `p50 ${ms(quantile(xs, 0.5))}   p95 ${ms(quantile(xs, 0.95))}   max ${ms(xs.at(-1) ?? NaN)}`;
    const breakdown = [...phases].map(([name, values]) => {
      const sorted = values.filter(Number.isFinite).sort((x, y) => x - y);
      return `      ${name.padEnd(36)} p50 ${ms(quantile(sorted, 0.5))}   p95 ${ms(quantile(sorted, 0.95))}`;
    });
    process.stdout.write(
      [
        ``,
        `Journeys on the Temporal dev server (${cpus().length} cores, load ${loadavg()[0]!.toFixed(1)}), one worker`,
        `  steady: ${STEADY} triggers at ${RATE}/s`,
        `    trigger → first action (email in the outbox)   ${pct(steadyLatency)}`,
        ...breakdown,
        `  burst: ${PROSPECTS} triggers from ${CONCURRENCY} concurrent callers`,
        `    enrolments/s (entry policy + signalWithStart)   ${(PROSPECTS / routedSeconds).toFixed(1)}`,
        `    first actions/s (until all ${PROSPECTS} sent)           ${(PROSPECTS / allSeconds).toFixed(1)}`,
        `    trigger → first action (queueing included)      ${pct(burstLatency)}`,
        `  duplicate sends: ${dupes.length}`,
        ``,
      ].join('\n'),
    );
  } finally {
    await stopWorker?.();
    await ctx?.close();
    await temporal.stop();
    await pg.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
