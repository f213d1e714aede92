import type { ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { spawnChild, stopChild } from './child-processes';
import { StartupError } from './startup-error';

export interface TemporalHandle {
  address: string;
  uiUrl: string | undefined;
  stop(): Promise<void>;
}

/**
 * Starts `temporal server start-dev` with its state in a SQLite file under `dataDir`, so running journeys
 * survive a restart. With no CLI binary, the Temporal SDK downloads and runs its own dev server.
 */
export async function startTemporalDevServer(opts: {
  cliPath: string | undefined;
  dataDir: string;
  host: string;
  port: number;
  uiPort: number;
  namespace: string;
  log: (line: string) => void;
}): Promise<TemporalHandle> {
  await mkdir(opts.dataDir, { recursive: true });
  const dbFilename = join(opts.dataDir, 'temporal.sqlite');
  const address = `${opts.host}:${opts.port}`;
  if (!opts.cliPath) return startWithSdk({ ...opts, dbFilename });

  const child = spawnChild(
    opts.cliPath,
    [
      'server',
      'start-dev',
      '--ip',
      opts.host,
      '--port',
      String(opts.port),
      '--ui-port',
      String(opts.uiPort),
      '--db-filename',
      dbFilename,
      '--namespace',
      opts.namespace,
      '--log-format',
      'json',
      '--log-level',
      'error',
    ],
    {},
  );
  const output: string[] = [];
  const keep = (b: Buffer) => {
    output.push(b.toString());
    if (output.length > 50) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  try {
    await waitForTemporal(address, opts.namespace, child, 60_000);
  } catch (e) {
    child.kill('SIGKILL');
    throw new StartupError(
      `The Temporal dev server did not start on ${address}: ${(e as Error).message}\n${output.join('').slice(-2000)}`,
    );
  }
  return { address, uiUrl: `http://${opts.host}:${opts.uiPort}`, stop: () => stopChild(child) };
}

async function startWithSdk(opts: {
  host: string;
  port: number;
  uiPort: number;
  namespace: string;
  dbFilename: string;
  log: (line: string) => void;
}): Promise<TemporalHandle> {
  opts.log('No Temporal CLI found; using the Temporal SDK download of the dev server');
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      ip: opts.host,
      port: opts.port,
      ui: true,
      uiPort: opts.uiPort,
      dbFilename: opts.dbFilename,
      namespace: opts.namespace,
    },
  });
  return {
    address: env.address,
    uiUrl: `http://${opts.host}:${opts.uiPort}`,
    stop: () => env.teardown(),
  };
}

/** Ready means the namespace answers, not just an open port: the frontend listens before it can serve. */
export async function waitForTemporal(
  address: string,
  namespace: string,
  child: ChildProcess | undefined,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: '1s' });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch (e) {
      last = e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(
    `not ready within ${timeoutMs / 1000} s (${(last as Error | undefined)?.message ?? 'no answer'})`,
  );
}
