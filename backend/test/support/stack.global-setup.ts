import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../../src/config/config';
import { freePort } from '../../src/runtime/ports';
import { startStack } from '../../src/runtime/stack';

declare module 'vitest' {
  export interface ProvidedContext {
    webUrl: string;
    databaseUrl: string;
    dataDir: string;
    demo: { password: string; admin: string; marketer: string; sales: string };
    /** Written when the demo's behaviour history has loaded (or failed to): `{ result }` or `{ error }`. */
    demoHistoryFile: string;
  }
}

/** The whole of Cairn as `npm start` runs it (built output, embedded services), on free ports and a temp folder. */
export default async function setup(project: TestProject) {
  const dir = await mkdtemp(join(tmpdir(), 'cairn-e2e-'));
  await chmod(dir, 0o755);
  const webPort = await freePort();
  const config = loadConfig({
    CAIRN_DATA_DIR: join(dir, 'data'),
    CAIRN_API_PORT: String(await freePort()),
    CAIRN_WEB_PORT: String(webPort),
    CAIRN_PUBLIC_URL: `http://127.0.0.1:${webPort}`,
    CAIRN_EMBEDDED_PG_PORT: String(await freePort()),
    CAIRN_TEMPORAL_PORT: String(await freePort()),
    CAIRN_TEMPORAL_UI_PORT: String(await freePort()),
    CAIRN_SANDBOX_HUBSPOT_PORT: String(await freePort()),
    CAIRN_SANDBOX_SALESFORCE_PORT: String(await freePort()),
    TEMPORAL_CLI_PATH: process.env['TEMPORAL_CLI_PATH'],
    CAIRN_LOG_LEVEL: 'warn',
  });
  const log = (line: string) => process.stderr.write(`[stack] ${line}\n`);
  const stack = await startStack(config, {
    log,
    pathEnv: process.env['PATH'] ?? '',
    baseEnv: { PATH: process.env['PATH'] },
  });
  // The history loads behind the tests; those that need it wait for this file (support/demo-history.ts).
  const demoHistoryFile = join(dir, 'demo-history.json');
  void stack.demoHistory
    ?.then(
      (result) => writeFile(demoHistoryFile, JSON.stringify({ result })),
      (e: Error) => writeFile(demoHistoryFile, JSON.stringify({ error: e.message })),
    )
    .catch(() => {}); // torn down first
  const byRole = Object.fromEntries(stack.demo!.users.map((u) => [u.role, u.email]));
  project.provide('webUrl', stack.webUrl);
  project.provide('databaseUrl', stack.databaseUrl);
  project.provide('dataDir', config.dataDir);
  project.provide('demoHistoryFile', demoHistoryFile);
  project.provide('demo', {
    password: stack.demo!.password,
    admin: byRole['admin']!,
    marketer: byRole['marketer']!,
    sales: byRole['sales']!,
  });
  return async () => {
    await stack.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
