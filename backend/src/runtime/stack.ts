import type { ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { configToEnv, type CairnConfig } from '../config/config';
import { runMigrations } from '../database/data-source';
import { describeDemoHistory, loadDemoHistory, type DemoHistoryResult } from '../modules/demo/demo-history';
import { DEMO_USERS, seedDemo } from '../modules/demo/demo-seed';
import { startEmbeddedPostgres } from './embedded-postgres';
import { startCrmSandbox } from './crm-sandbox';
import { assertPortFree } from './ports';
import { loadOrCreateSecretKey } from './secret-key';
import { StartupError } from './startup-error';
import { findTemporalCli } from './temporal-cli';
import { spawnChild, stopChild } from './child-processes';
import { startTemporalDevServer, waitForTemporal } from './temporal-dev-server';

// Resolved from this file's folder, whether it runs compiled (dist/runtime) or from source (src/runtime).
const BACKEND_DIST = resolve(__dirname, '../../dist');
const FRONTEND_DIR = resolve(__dirname, '../../../frontend');

export interface RunningStack {
  webUrl: string;
  apiUrl: string;
  /** The database everything runs on (embedded or given). */
  databaseUrl: string;
  temporalUiUrl: string | undefined;
  demo: { workspaceId: string; password: string; users: typeof DEMO_USERS } | undefined;
  /** The CRM emulators, when the demo runs them. */
  sandbox: { hubspot: string; salesforce: string } | undefined;
  /**
   * Demo mode: the demo's behaviour history loading in the background (null when it was already there);
   * rejects when it could not be loaded.
   */
  demoHistory: Promise<DemoHistoryResult | null> | undefined;
  /** Resolves when a supervised process exits unexpectedly, with its name. */
  crashed: Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts the whole of Cairn in one supervised tree: PostgreSQL and Temporal (embedded unless configured),
 * migrations, the demo workspace, then the API, the worker and the web app as child processes. Stopping
 * tears down in reverse order; a failure part-way tears down what had started.
 */
export async function startStack(
  config: CairnConfig,
  opts: { log: (line: string) => void; pathEnv: string; baseEnv: NodeJS.ProcessEnv },
): Promise<RunningStack> {
  const { log } = opts;
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse())
      await stop().catch((e) => log(`while stopping: ${(e as Error).message}`));
    stops.length = 0;
  };
  try {
    await preflight(config);
    const host = config.bindHost;
    await mkdir(config.dataDir, { recursive: true });
    const secretKey = config.secretKey ?? (await loadOrCreateSecretKey(config.dataDir));

    let databaseUrl = config.databaseUrl;
    if (!databaseUrl) {
      log(`Starting PostgreSQL (embedded, data in ${join(config.dataDir, 'postgres')})`);
      const pg = await startEmbeddedPostgres({
        dir: join(config.dataDir, 'postgres'),
        port: config.embeddedPostgresPort,
        database: 'cairn',
      });
      stops.push(pg.stop);
      databaseUrl = pg.url;
    }

    let temporalAddress = config.temporal.address;
    let temporalUiUrl: string | undefined;
    if (!temporalAddress) {
      const cliPath = await findTemporalCli({
        configured: config.temporal.cliPath,
        pathEnv: opts.pathEnv,
        log,
      });
      log(
        `Starting Temporal dev server (${cliPath ?? 'SDK download'}, state in ${join(config.dataDir, 'temporal')})`,
      );
      const temporal = await startTemporalDevServer({
        cliPath,
        dataDir: join(config.dataDir, 'temporal'),
        host: '127.0.0.1',
        port: config.temporal.port,
        uiPort: config.temporal.uiPort,
        namespace: config.temporal.namespace,
        log,
      });
      stops.push(temporal.stop);
      temporalAddress = temporal.address;
      temporalUiUrl = temporal.uiUrl;
    }

    const applied = await runMigrations(databaseUrl);
    if (applied.length) log(`Applied migrations: ${applied.join(', ')}`);
    const demo = config.demo.enabled
      ? {
          ...(await seedDemo(databaseUrl, config.demo.password)),
          password: config.demo.password,
          users: DEMO_USERS,
        }
      : undefined;

    let crm = config.crm;
    let sandboxUrls: RunningStack['sandbox'];
    if (config.demo.enabled && !crm.hubspot && !crm.salesforce) {
      const sandbox = await startCrmSandbox(config.sandboxPorts);
      stops.push(sandbox.stop);
      crm = sandbox.crm;
      sandboxUrls = { hubspot: sandbox.hubspotUrl, salesforce: sandbox.salesforceUrl };
      log(
        `Started the HubSpot and Salesforce sandbox emulators for the demo (${sandbox.hubspotUrl}, ${sandbox.salesforceUrl})`,
      );
    }

    const resolved = {
      ...config,
      databaseUrl,
      secretKey,
      crm,
      temporal: { ...config.temporal, address: temporalAddress },
    };
    const childEnv: NodeJS.ProcessEnv = { ...opts.baseEnv, ...configToEnv(resolved) };
    const logDir = join(config.dataDir, 'logs');
    await mkdir(logDir, { recursive: true });
    const children: { name: string; child: ChildProcess }[] = [];
    const supervise = (name: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = childEnv) => {
      const child = spawnChild(process.execPath, args, { cwd, env });
      pipeLogs(child, join(logDir, `${name}.log`), name, log);
      children.push({ name, child });
      stops.push(() => stopChild(child));
      return child;
    };
    supervise('api', [join(BACKEND_DIST, 'main.js')], BACKEND_DIST);
    supervise('worker', [join(BACKEND_DIST, 'worker.js')], BACKEND_DIST);
    const nextBin = require.resolve('next/dist/bin/next', { paths: [FRONTEND_DIR] });
    supervise('web', [nextBin, 'start', '-p', String(config.web.port), '-H', host], FRONTEND_DIR, {
      ...childEnv,
      NODE_ENV: 'production',
    });

    const crashed = new Promise<string>((resolveCrash) => {
      for (const { name, child } of children) {
        child.once('exit', (code, signal) => {
          if (stops.length)
            resolveCrash(`${name} exited (${signal ?? `code ${code}`}); see ${join(logDir, `${name}.log`)}`);
        });
      }
    });
    const apiUrl = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${config.api.port}`;
    const webUrl = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${config.web.port}`;
    await Promise.race([
      Promise.all([
        waitForHttp(`${apiUrl}/api/health/ready`, 90_000),
        waitForHttp(`${webUrl}/sign-in`, 90_000),
      ]),
      crashed.then((why) => {
        throw new StartupError(`Cairn did not start: ${why}`);
      }),
    ]);
    let demoHistory: RunningStack['demoHistory'];
    if (demo) {
      // In the background: start-up stays fast, and the line comes when the demo's history is in.
      const stopHistory = new AbortController();
      demoHistory = loadDemoHistory({
        config: resolved,
        workspaceId: demo.workspaceId,
        apiUrl,
        signal: stopHistory.signal,
      });
      const logged = demoHistory.then(
        (result) => result && log(describeDemoHistory(result)),
        (e: Error) => stopHistory.signal.aborted || log(`Demo history was not loaded: ${e.message}`),
      );
      stops.push(async () => {
        stopHistory.abort();
        await logged;
      });
    }
    return {
      webUrl: config.web.publicUrl,
      apiUrl,
      databaseUrl,
      temporalUiUrl,
      demo,
      sandbox: sandboxUrls,
      demoHistory,
      crashed,
      stop: stopAll,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

/** Everything a user can get wrong is checked before anything starts, so a mistake costs seconds. */
async function preflight(config: CairnConfig): Promise<void> {
  const host = config.bindHost;
  await assertPortFree(host, config.api.port, 'CAIRN_API_PORT');
  await assertPortFree(host, config.web.port, 'CAIRN_WEB_PORT');
  if (config.databaseUrl) await assertDatabaseReachable(config.databaseUrl);
  else await assertPortFree('127.0.0.1', config.embeddedPostgresPort, 'CAIRN_EMBEDDED_PG_PORT');
  const { address, namespace } = config.temporal;
  if (address) {
    await waitForTemporal(address, namespace, undefined, 10_000).catch((e: Error) => {
      throw new StartupError(`Cannot reach Temporal at TEMPORAL_ADDRESS=${address}: ${e.message}`);
    });
  } else {
    await assertPortFree('127.0.0.1', config.temporal.port, 'CAIRN_TEMPORAL_PORT');
    await assertPortFree('127.0.0.1', config.temporal.uiPort, 'CAIRN_TEMPORAL_UI_PORT');
  }
  if (config.demo.enabled && !config.crm.hubspot && !config.crm.salesforce) {
    await assertPortFree('127.0.0.1', config.sandboxPorts.hubspot, 'CAIRN_SANDBOX_HUBSPOT_PORT');
    await assertPortFree('127.0.0.1', config.sandboxPorts.salesforce, 'CAIRN_SANDBOX_SALESFORCE_PORT');
  }
  if (
    !existsSync(join(BACKEND_DIST, 'workflow-bundle.js')) ||
    !existsSync(join(FRONTEND_DIR, '.next', 'BUILD_ID'))
  ) {
    throw new StartupError('Cairn is not built yet: run `npm run build` (npm start does it for you).');
  }
}

async function assertDatabaseReachable(url: string): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (e) {
    const where = safeUrl(url);
    throw new StartupError(`Cannot connect to PostgreSQL at DATABASE_URL=${where}: ${(e as Error).message}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The URL without its password, for messages. */
function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new StartupError(`${url} did not answer within ${timeoutMs / 1000} s (${last})`);
}

/**
 * Full logs go to a file per process; warnings and errors also reach the console, so `npm start` stays
 * readable while nothing is lost.
 */
function pipeLogs(child: ChildProcess, file: string, name: string, log: (line: string) => void): void {
  const out = createWriteStream(file, { flags: 'a' });
  let pending = '';
  const onData = (chunk: Buffer) => {
    out.write(chunk);
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (isWarningOrWorse(line)) log(`[${name}] ${line}`);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  child.once('exit', () => out.end());
}

function isWarningOrWorse(line: string): boolean {
  if (!line.trim()) return false;
  if (!line.startsWith('{')) return /error|warn|fail/i.test(line);
  try {
    return ((JSON.parse(line) as { level?: number }).level ?? 0) >= 40;
  } catch {
    return true;
  }
}
