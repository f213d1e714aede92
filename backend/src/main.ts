import 'reflect-metadata';
import cluster from 'node:cluster';
import { createApi } from './api';
import { createLogger } from './common/logging/logger';
import { loadConfig } from './config/config';
import { PortInUseError } from './runtime/ports';
import { runProcess } from './runtime/run-process';

/**
 * The API process (`node backend/dist/main.js`): needs DATABASE_URL and TEMPORAL_ADDRESS resolved. With
 * CAIRN_API_WORKERS > 1 it forks that many workers sharing the port, so one host's cores all serve requests.
 */
runProcess('api', async () => {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'api');
  if (config.api.workers > 1 && cluster.isPrimary) {
    for (let i = 0; i < config.api.workers; i++) cluster.fork();
    cluster.on('exit', (worker, code, signal) => {
      // A worker that dies takes the API down with it: the supervisor (or orchestrator) restarts the whole.
      logger.error({ pid: worker.process.pid, code, signal }, 'API worker exited');
      process.exit(1);
    });
    const stop = () => {
      cluster.removeAllListeners('exit');
      for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
      cluster.on('exit', () => Object.keys(cluster.workers ?? {}).length === 0 && process.exit(0));
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    return;
  }
  const app = await createApi(config, logger);
  await app.listen(config.api.port, config.bindHost).catch((e: NodeJS.ErrnoException) => {
    throw e.code === 'EADDRINUSE' ? new PortInUseError(config.api.port, 'CAIRN_API_PORT') : e;
  });
  logger.info({ url: config.api.url }, 'API listening');
});
