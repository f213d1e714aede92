import { ValidationPipe, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import { json, raw, urlencoded } from 'express';
import type { Logger } from 'pino';
import { AppModule } from './app.module';
import { bodyErrors } from './common/http/body-errors';
import { requestLogging } from './common/http/request-logging';
import { NestPinoLogger } from './common/logging/logger';
import type { CairnConfig } from './config/config';
import { MetricsService } from './modules/metrics/metrics.service';

export const API_PREFIX = 'api';
/** JSON bodies of the product API stay small; bulk ingestion endpoints set their own limits. */
const BODY_LIMIT = '1mb';
const TRACKING_PATH = '/v1';
/** Above Segment's 500 KB so an oversize batch gets Segment's own 400 and message, not a cut connection. */
const TRACKING_BODY_CAP = '4mb';

/** Builds the HTTP API (not listening): the API process, tests and the OpenAPI export share it. */
export async function createApi(
  config: CairnConfig,
  logger: Logger,
  opts: { preview?: boolean } = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bodyParser: false,
    logger: new NestPinoLogger(logger),
    preview: opts.preview,
    abortOnError: false,
  });
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  if (!opts.preview) app.use(app.get(MetricsService).middleware);
  app.use(requestLogging(logger));
  // Tracking routes get the raw bytes: their limits are Segment's, and webhook signatures cover the exact body.
  app.use(TRACKING_PATH, raw({ type: () => true, limit: TRACKING_BODY_CAP }), bodyErrors);
  app.use(json({ limit: BODY_LIMIT }), urlencoded({ extended: false, limit: BODY_LIMIT }), bodyErrors);
  app.use(cookieParser());
  app.setGlobalPrefix(API_PREFIX, { exclude: ['metrics', 'v1/{*path}'] });
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      stopAtFirstError: false,
    }),
  );
  app.enableShutdownHooks();
  const doc = openApiDocument(app);
  SwaggerModule.setup(`${API_PREFIX}/docs`, app, doc, { jsonDocumentUrl: `${API_PREFIX}/docs/openapi.json` });
  return app;
}

export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Cairn API')
    .setDescription(
      'Customer-journey mapping inside the CRM. Sign in with POST /api/auth/sign-in; state-changing requests ' +
        'send the cairn_csrf cookie value as the x-csrf-token header.',
    )
    .setVersion('0.1.0')
    .addCookieAuth('cairn_session')
    .build();
  const doc = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controllerKey: string, methodKey: string) =>
      `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
  // Decorator order differs between compilers (tsc builds, SWC in tests): a canonical parameter order keeps the
  // committed spec identical whichever produced it.
  for (const item of Object.values(doc.paths)) {
    for (const op of Object.values(item as Record<string, { parameters?: { in: string; name: string }[] }>)) {
      op.parameters?.sort((a, b) => a.in.localeCompare(b.in) || a.name.localeCompare(b.name));
    }
  }
  return doc;
}
