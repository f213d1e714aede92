/**
 * The express app factory and listener shared by the emulators: body parsing, request counting,
 * an ephemeral (or fixed) port and a `close()` that does not hang on keep-alive sockets.
 */
import { type AddressInfo } from 'node:net';
import { type Server } from 'node:http';
import express, { type Express, type Request } from 'express';
import { type RequestCounters } from './counters';

export interface CreateAppOptions {
  counters: RequestCounters;
  /** Largest accepted JSON body. */
  jsonLimit?: string;
  /** Largest accepted text (CSV) body. */
  textLimit?: string;
}

/** The registered route pattern of a request, once express has matched it. */
export function routeOf(req: Request): string {
  const route = (req as Request & { route?: { path?: unknown } }).route;
  return typeof route?.path === 'string' ? route.path : '(unmatched)';
}

export function createApp(options: CreateAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.use((req, res, next) => {
    const url = req.originalUrl;
    const path = req.path;
    const method = req.method;
    res.on('finish', () => {
      options.counters.record({
        at: new Date(),
        method,
        route: routeOf(req),
        path,
        url,
        status: res.statusCode,
      });
    });
    next();
  });
  app.use(
    express.json({ limit: options.jsonLimit ?? '50mb', type: ['application/json', 'application/*+json'] }),
  );
  app.use(express.urlencoded({ extended: false, limit: '1mb' }));
  app.use(express.text({ type: ['text/csv', 'text/plain'], limit: options.textLimit ?? '150mb' }));
  return app;
}

export interface Listening {
  server: Server;
  port: number;
  baseUrl: string;
  close(): Promise<void>;
}

/** Starts listening on `port` (0 = an ephemeral port) and resolves once the socket is bound. */
export function listen(app: Express, port = 0, host = '127.0.0.1'): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('error', reject);
    server.once('listening', () => {
      const bound = (server.address() as AddressInfo).port;
      const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
      resolve({
        server,
        port: bound,
        baseUrl: `http://${shownHost}:${bound}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((err) => (err ? fail(err) : done()));
            server.closeAllConnections();
          }),
      });
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Reads a header that may be repeated, as one string. */
export function header(req: Request, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** The bearer token of a request, if any. */
export function bearerToken(req: Request): string | undefined {
  const auth = header(req, 'authorization');
  if (!auth) return undefined;
  const m = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(auth.trim());
  return m?.[1]?.trim();
}

/** Escapes text for HTML. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
