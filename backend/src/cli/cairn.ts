import 'reflect-metadata';
import { bundleWorkflowCode } from '@temporalio/worker';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { openApiDocument, createApi } from '../api';
import { createLogger } from '../common/logging/logger';
import { loadConfig } from '../config/config';
import { runMigrations } from '../database/data-source';
import { seedDemo } from '../modules/demo/demo-seed';
import { runProcess } from '../runtime/run-process';
import { startStack } from '../runtime/stack';
import { StartupError } from '../runtime/startup-error';
import { WORKFLOW_BUNDLE } from '../worker/worker';
import { attribution } from './attribution';
import { printBanner } from './banner';
import { modelEvaluate } from './model-evaluate';

const USAGE = `Usage: npm run cairn -- <command>

  start                 run everything: PostgreSQL, Temporal, migrations, API, worker, web app
  migrate               apply pending database migrations (DATABASE_URL)
  seed-demo             create the demo workspace and users (DATABASE_URL)
  openapi FILE          write the OpenAPI spec as JSON
  bundle-workflows      bundle the Temporal workflow code for the worker
  model:evaluate --csv FILE --label COLUMN [--positive VALUE] [--time COLUMN] [--drop A,B] [--folds K]
                        train and evaluate the risk models on any CSV; prints JSON metrics
  attribution --paths FILE   Markov removal effects and heuristic attribution for a paths file; prints JSON
`;

const commands: Record<string, (args: string[]) => Promise<void>> = {
  async start() {
    const config = loadConfig();
    const log = (line: string) => process.stdout.write(`${line}\n`);
    const started = performance.now();
    const stack = await startStack(config, { log, pathEnv: process.env['PATH'] ?? '', baseEnv: process.env });
    printBanner(stack, config, Math.round(performance.now() - started));
    let stopping = false;
    const shutdown = async (why: string) => {
      if (stopping) return;
      stopping = true;
      log(`\n${why}: stopping Cairn…`);
      await stack.stop();
      log('Stopped.');
      process.exit(why.startsWith('crash') ? 1 : 0);
    };
    process.on('SIGINT', () => void shutdown('Ctrl-C'));
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
    process.on('SIGHUP', () => void shutdown('SIGHUP'));
    void stack.crashed.then((why) => shutdown(`crash: ${why}`));
  },

  async migrate() {
    const url = requireDatabaseUrl();
    const ran = await runMigrations(url);
    process.stdout.write(ran.length ? `Applied: ${ran.join(', ')}\n` : 'Database is up to date.\n');
  },

  async 'seed-demo'() {
    const config = loadConfig();
    const { workspaceId } = await seedDemo(requireDatabaseUrl(), config.demo.password);
    process.stdout.write(`Demo workspace ${workspaceId} is ready.\n`);
  },

  async openapi([file]) {
    if (!file) throw new StartupError('openapi needs an output file');
    const doc = await buildOpenApiDocument();
    await mkdir(dirname(resolve(file)), { recursive: true });
    await writeFile(file, `${JSON.stringify(doc, null, 2)}\n`);
  },

  'model:evaluate': modelEvaluate,
  attribution: attribution,

  async 'bundle-workflows'([file = WORKFLOW_BUNDLE]) {
    const { code } = await bundleWorkflowCode({
      workflowsPath: require.resolve('@cairn/workflows/workflows'),
      logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} },
    });
    await writeFile(file, code);
  },
};

/** The spec comes from the controllers' metadata alone: no database or Temporal is touched. */
export async function buildOpenApiDocument() {
  const config = loadConfig({
    DATABASE_URL: 'postgres://openapi@127.0.0.1:1/openapi',
    TEMPORAL_ADDRESS: '127.0.0.1:1',
    CAIRN_LOG_LEVEL: 'silent',
  });
  const app = await createApi(config, createLogger('silent', 'openapi'), { preview: true });
  const doc = openApiDocument(app);
  await app.close();
  return doc;
}

function requireDatabaseUrl(): string {
  const url = loadConfig().databaseUrl;
  if (!url) throw new StartupError('DATABASE_URL is required for this command');
  return url;
}

if (require.main === module) {
  const [name = 'help', ...args] = process.argv.slice(2);
  const command = commands[name];
  if (!command) {
    process.stdout.write(USAGE);
    process.exit(name === 'help' || name === '--help' ? 0 : 2);
  } else {
    runProcess(`cairn ${name}`, () => command(args));
  }
}
