import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { runMigrations } from '../../src/database/data-source';
import { ensureDatabase, startEmbeddedPostgres } from '../../src/runtime/embedded-postgres';
import { freePort } from '../../src/runtime/ports';

export const TEMPLATE_DB = 'cairn_template';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}

/**
 * One real PostgreSQL per test run, and one migrated template database; each test file clones the template
 * (CREATE DATABASE … TEMPLATE), so files run in parallel on isolated data.
 */
export default async function setup(project: TestProject) {
  const dir = await mkdtemp(join(tmpdir(), 'cairn-pg-'));
  await chmod(dir, 0o755);
  const pg = await startEmbeddedPostgres({
    dir: join(dir, 'data'),
    port: await freePort(),
    database: TEMPLATE_DB,
  });
  await runMigrations(pg.url);
  const adminUrl = pg.url.replace(/\/[^/]+$/, '/postgres');
  await ensureDatabase(adminUrl, 'postgres');
  project.provide('pgAdminUrl', adminUrl);
  return async () => {
    await pg.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
