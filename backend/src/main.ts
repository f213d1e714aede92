import 'reflect-metadata';
import { createApi } from './api';
import { createLogger } from './common/logging/logger';
import { loadConfig } from './config/config';
import { PortInUseError } from './runtime/ports';
import { runProcess } from './runtime/run-process';

/** The API process (`node backend/dist/main.js`): needs DATABASE_URL and TEMPORAL_ADDRESS resolved. */
runProcess('api', async () => {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'api');
  const app = await createApi(config, logger);
  await app.listen(config.api.port, config.bindHost).catch((e: NodeJS.ErrnoException) => {
    throw e.code === 'EADDRINUSE' ? new PortInUseError(config.api.port, 'CAIRN_API_PORT') : e;
  });
  logger.info({ url: config.api.url }, 'API listening');
});
