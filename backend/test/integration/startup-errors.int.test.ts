import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config';
import { freePort, PortInUseError } from '../../src/runtime/ports';
import { startStack } from '../../src/runtime/stack';
import { StartupError } from '../../src/runtime/startup-error';
import { createTestDatabase } from '../support/database';

const run = promisify(execFile);
const CLI = join(__dirname, '../../dist/cli/cairn.js');
const noLog = () => undefined;

let occupied: Server;
let busyPort: number;

beforeAll(async () => {
  busyPort = await freePort();
  occupied = createServer();
  await new Promise<void>((r) => occupied.listen(busyPort, '127.0.0.1', r));
});
afterAll(() => new Promise<void>((r) => occupied.close(() => r())));

async function startWith(env: Record<string, string>) {
  const config = loadConfig({
    CAIRN_API_PORT: String(await freePort()),
    CAIRN_WEB_PORT: String(await freePort()),
    CAIRN_EMBEDDED_PG_PORT: String(await freePort()),
    CAIRN_TEMPORAL_PORT: String(await freePort()),
    CAIRN_TEMPORAL_UI_PORT: String(await freePort()),
    CAIRN_SANDBOX_HUBSPOT_PORT: String(await freePort()),
    CAIRN_SANDBOX_SALESFORCE_PORT: String(await freePort()),
    CAIRN_DATA_DIR: '/tmp/cairn-startup-errors-never-created',
    ...env,
  });
  return startStack(config, { log: noLog, pathEnv: '', baseEnv: {} });
}

describe('start-up with bad configuration', () => {
  it('names the variable to change when a port is in use', async () => {
    for (const variable of [
      'CAIRN_API_PORT',
      'CAIRN_WEB_PORT',
      'CAIRN_TEMPORAL_PORT',
      'CAIRN_EMBEDDED_PG_PORT',
      'CAIRN_SANDBOX_HUBSPOT_PORT',
    ]) {
      const error = await startWith({ [variable]: String(busyPort) }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PortInUseError);
      expect((error as Error).message).toBe(
        `Port ${busyPort} is already in use. Set ${variable} to a free port (e.g. ${variable}=${busyPort + 1}).`,
      );
    }
  });

  it('says PostgreSQL cannot be reached, without printing the password', async () => {
    const url = `postgres://cairn:s3cret@127.0.0.1:${await freePort()}/cairn`;
    const error = await startWith({ DATABASE_URL: url }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartupError);
    expect((error as Error).message).toMatch(
      /^Cannot connect to PostgreSQL at DATABASE_URL=postgres:\/\/cairn:\*\*\*@127\.0\.0\.1/,
    );
    expect((error as Error).message).not.toContain('s3cret');
  });

  it('says Temporal cannot be reached', async () => {
    const db = await createTestDatabase();
    try {
      const address = `127.0.0.1:${await freePort()}`;
      const error = await startWith({ DATABASE_URL: db.url, TEMPORAL_ADDRESS: address }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(StartupError);
      expect((error as Error).message).toContain(`Cannot reach Temporal at TEMPORAL_ADDRESS=${address}`);
    } finally {
      await db.drop();
    }
  });

  it('prints one clear message and no stack from the CLI', async () => {
    const result = await run(process.execPath, [CLI, 'start'], {
      env: { PATH: process.env['PATH'], CAIRN_API_PORT: 'eighty', DATABASE_URL: 'mysql://nope' },
    }).catch((e: { code: number; stderr: string }) => e);
    expect((result as { code: number }).code).toBe(1);
    const stderr = (result as { stderr: string }).stderr;
    expect(stderr).toMatch(/^✖ cairn start: Invalid configuration:/);
    expect(stderr).toContain('CAIRN_API_PORT');
    expect(stderr).toContain('DATABASE_URL');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
