/**
 * Ingest throughput: events acknowledged per second through POST /v1/batch (100-event batches from several
 * concurrent clients; a 200 only once the messages are committed to the durable inbox), then how long until
 * every one of them is resolved into an event with its profile, against the same rows loaded by raw COPY into
 * the events table in the same run — the ceiling no API can beat.
 *
 *   npm run bench:ingest            (EVENTS=200000 CLIENTS=8 to change the load;
 *                                    API_WORKERS=1 for one API process instead of one per core, as
 *                                    the README advises for a dedicated host;
 *                                    API_NODE_ARGS=--cpu-prof to profile the API process)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { runLimited } from '../src/common/async/run-limited';
import { copyRows } from '../src/database/copy-rows';
import { runMigrations } from '../src/database/data-source';
import { hashPassword } from '../src/modules/auth/password';
import { startEmbeddedPostgres } from '../src/runtime/embedded-postgres';
import { freePort } from '../src/runtime/ports';

const EVENTS = Number(process.env['EVENTS'] ?? 200_000);
const CLIENTS = Number(process.env['CLIENTS'] ?? 8);
const BATCH = 100;
const API_WORKERS = Number(process.env['API_WORKERS'] ?? availableParallelism());
const PEOPLE = Math.max(100, Math.round(EVENTS / 20));
const PAGES = [
  '/pricing',
  '/docs/start',
  '/blog/journeys',
  '/case-studies/initech',
  '/features',
  '/compare/acme-vs-globex',
];

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'cairn-bench-'));
  await chmod(dir, 0o755);
  const pg = await startEmbeddedPostgres({ dir: join(dir, 'pg'), port: await freePort(), database: 'cairn' });
  const port = await freePort();
  let api: ReturnType<typeof spawn> | undefined;
  try {
    await runMigrations(pg.url);
    const db = new Client({ connectionString: pg.url });
    await db.connect();
    const [ws] = (await db.query(`INSERT INTO workspaces (name) VALUES ('Bench') RETURNING id`)).rows;
    const email = 'bench@cairn.local';
    const [user] = (
      await db.query(`INSERT INTO users (email, name, password_hash) VALUES ($1, 'B', $2) RETURNING id`, [
        email,
        await hashPassword('bench-password-1'),
      ])
    ).rows;
    await db.query(`INSERT INTO memberships VALUES ($1, $2, 'admin')`, [ws.id, user.id]);

    const nodeArgs = (process.env['API_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
    api = spawn(process.execPath, [...nodeArgs, join(__dirname, '../dist/main.js')], {
      env: {
        PATH: process.env['PATH'],
        DATABASE_URL: pg.url,
        TEMPORAL_ADDRESS: '127.0.0.1:1',
        CAIRN_API_PORT: String(port),
        CAIRN_LOG_LEVEL: 'warn',
        CAIRN_API_WORKERS: String(API_WORKERS),
        CAIRN_COOKIE_SECURE: 'false',
        CAIRN_SECRET_KEY: randomBytes(32).toString('base64'),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
      cwd: process.cwd(),
    });
    const base = `http://127.0.0.1:${port}`;
    await waitFor(`${base}/api/health/live`);
    const writeKey = await createSource(base, ws.id, email);

    const batches = makeBatches();
    process.stdout.write(
      `Ingest: ${EVENTS.toLocaleString()} events, ${PEOPLE.toLocaleString()} people, ${BATCH}-event batches, ${CLIENTS} clients, ${API_WORKERS} API processes\n`,
    );
    const latencies: number[] = [];
    // The load generator shares the two cores with the API and PostgreSQL: plain keep-alive HTTP costs it far
    // less CPU than fetch, so more of the machine goes to what is measured.
    const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
    const authorization = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
    const started = performance.now();
    await clients(batches, async (body) => {
      const t0 = performance.now();
      const res = await post(agent, port, '/v1/batch', body, authorization);
      if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${res.body}`);
      latencies.push(performance.now() - t0);
    });
    agent.destroy();
    const apiSeconds = (performance.now() - started) / 1000;
    // The resolver catches up after the clients stop: the run ends when the inbox is empty (a row being
    // resolved stays visible until its events commit). Probing the inbox is cheap; counting events is not.
    while ((await db.query(`SELECT EXISTS (SELECT 1 FROM event_inbox) AS waiting`)).rows[0].waiting) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const resolvedSeconds = (performance.now() - started) / 1000;
    const stored = Number(
      (await db.query(`SELECT count(*) FROM events WHERE workspace_id = $1`, [ws.id])).rows[0].count,
    );
    if (stored !== EVENTS) throw new Error(`stored ${stored} events, sent ${EVENTS}`);
    // The rest of the run has the machine to itself.
    await stop(api);

    // Ceiling: the same rows, already resolved, straight into the same partitioned table.
    const rows = await db.query(
      `SELECT message_id, profile_id, type, event, canonical_event, category, intent, user_id, anonymous_id, url,
              "timestamp", received_at, properties, context FROM events WHERE workspace_id = $1`,
      [ws.id],
    );
    const [copyWs] = (await db.query(`INSERT INTO workspaces (name) VALUES ('Copy') RETURNING id`)).rows;
    const copied = rows.rows.map((r: Record<string, unknown>) => [
      copyWs.id,
      `c-${r['message_id']}`,
      ...COPY_COLUMNS.map((c) => r[c]),
    ]);
    const copyStarted = performance.now();
    await copyRows(
      db,
      `COPY events (workspace_id, message_id, ${COPY_COLUMNS.map((c) => `"${c}"`).join(', ')}) FROM STDIN`,
      copied,
    );
    const copySeconds = (performance.now() - copyStarted) / 1000;
    await db.end();

    latencies.sort((a, b) => a - b);
    const pct = (p: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
    const apiRate = EVENTS / apiSeconds;
    const copyRate = EVENTS / copySeconds;
    const line = (k: string, v: string) => process.stdout.write(`  ${k.padEnd(34)} ${v}\n`);
    line(
      'POST /v1/batch, acknowledged',
      `${fmt(apiRate)} events/s (${apiSeconds.toFixed(2)} s)   target ≥ 20,000`,
    );
    line('request latency p50 / p99', `${pct(50).toFixed(1)} ms / ${pct(99).toFixed(1)} ms`);
    line(
      'resolved into events and profiles',
      `${fmt(EVENTS / resolvedSeconds)} events/s (${resolvedSeconds.toFixed(2)} s from the first request)`,
    );
    line('raw COPY into events (ceiling)', `${fmt(copyRate)} rows/s (${copySeconds.toFixed(2)} s)`);
    line(
      'acknowledged / COPY',
      `${(apiRate / copyRate).toFixed(2)}   target ≥ 0.5 (resolved / COPY: ${(EVENTS / resolvedSeconds / copyRate).toFixed(2)})`,
    );
  } finally {
    if (api) await stop(api);
    await pg.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The columns the COPY ceiling loads besides workspace and message id, as the resolver wrote them. */
const COPY_COLUMNS = [
  'profile_id',
  'type',
  'event',
  'canonical_event',
  'category',
  'intent',
  'user_id',
  'anonymous_id',
  'url',
  'timestamp',
  'received_at',
  'properties',
  'context',
];

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** Sends every item, CLIENTS at a time, as that many clients would; the first failure ends the run. */
async function clients<T>(items: T[], send: (item: T) => Promise<void>): Promise<void> {
  const run = await runLimited(items, CLIENTS, send);
  if (run.failure) throw run.failure.error;
}

function makeBatches(): Buffer[] {
  const batches: Buffer[] = [];
  const sentAt = new Date().toISOString();
  for (let b = 0; b < EVENTS / BATCH; b++) {
    const batch = [];
    for (let i = 0; i < BATCH; i++) {
      const n = b * BATCH + i;
      const person = n % PEOPLE;
      const path = PAGES[n % PAGES.length]!;
      const ts = new Date(Date.now() - (EVENTS - n) * 1000).toISOString();
      batch.push(
        n % 10 === 0
          ? {
              type: 'identify',
              messageId: randomUUID(),
              anonymousId: `anon-${person}`,
              userId: `user-${person}`,
              traits: { email: `person${person}@example.com` },
              timestamp: ts,
            }
          : {
              type: 'page',
              messageId: randomUUID(),
              anonymousId: `anon-${person}`,
              name: path,
              properties: { url: `https://acme.com${path}`, referrer: 'https://google.com' },
              context: { library: { name: 'bench' }, userAgent: 'Mozilla/5.0' },
              timestamp: ts,
            },
      );
    }
    batches.push(Buffer.from(JSON.stringify({ batch, sentAt })));
  }
  return batches;
}

async function createSource(base: string, workspaceId: string, email: string): Promise<string> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const csrfToken = ((await csrf.json()) as { token: string }).token;
  let cookie = `cairn_csrf=${csrfToken}`;
  const signIn = await fetch(`${base}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({ email, password: 'bench-password-1' }),
  });
  const cookies = signIn.headers.getSetCookie().map((c) => c.split(';')[0]!);
  cookie = cookies.join('; ');
  const csrfNew = cookies.find((c) => c.startsWith('cairn_csrf='))!.split('=')[1]!;
  const created = await fetch(`${base}/api/workspaces/${workspaceId}/sources`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfNew },
    body: JSON.stringify({ name: 'Bench' }),
  });
  return ((await created.json()) as { writeKey: string }).writeKey;
}

function post(
  agent: Agent,
  port: number,
  path: string,
  body: Buffer,
  authorization: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': body.length, authorization },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
