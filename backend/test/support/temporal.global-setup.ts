import { bundleWorkflowCode } from '@temporalio/worker';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from '../../src/runtime/ports';
import { findTemporalCli } from '../../src/runtime/temporal-cli';
import { startTemporalDevServer } from '../../src/runtime/temporal-dev-server';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    workflowBundlePath: string;
  }
}

/** One real Temporal dev server per test run, and the workflow bundle built once for every test file. */
export default async function setup(project: TestProject) {
  const dir = await mkdtemp(join(tmpdir(), 'cairn-temporal-'));
  const log = (line: string) => process.stderr.write(`[temporal setup] ${line}\n`);
  const [server, bundle] = await Promise.all([
    (async () =>
      startTemporalDevServer({
        cliPath: await findTemporalCli({
          configured: process.env['TEMPORAL_CLI_PATH'],
          pathEnv: process.env['PATH'] ?? '',
          log,
        }),
        dataDir: dir,
        host: '127.0.0.1',
        port: await freePort(),
        uiPort: await freePort(),
        namespace: 'default',
        log,
      }))(),
    bundleWorkflowCode({
      // The sources, not the package's build: tests must exercise the code as it is now.
      workflowsPath: join(__dirname, '../../../workflows/src/workflows/index.ts'),
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} },
    }),
  ]);
  const bundlePath = join(dir, 'workflow-bundle.js');
  await writeFile(bundlePath, bundle.code);
  project.provide('temporalAddress', server.address);
  project.provide('workflowBundlePath', bundlePath);
  return async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
