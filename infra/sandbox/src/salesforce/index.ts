/**
 * The Salesforce emulator: `startSalesforceSandbox()` starts one on an ephemeral port. Its base URL is
 * both the login URL (`new OAuth2({ loginUrl })`) and the `instance_url` token responses carry.
 */
import { type NextFunction, type Request, type Response } from 'express';
import { RequestCounters } from '../core/counters';
import { Faults } from '../core/faults';
import { Rng } from '../core/random';
import { createApp, listen } from '../core/server';
import { type SfBulkJob, registerBulk2 } from './bulk2';
import { type SfContext, NOT_FOUND, apiVersion, sendSfError, sfError, sfRoute } from './http';
import { registerOAuth, salesforceAuthorizeUrl } from './oauth';
import { registerRest } from './rest';
import { type SfConnectedApp, SalesforceStore } from './store';
import { registerTooling } from './tooling';

/** The API version jsforce 3.10 uses when none is configured. */
export const JSFORCE_DEFAULT_VERSION = '50.0';

export interface SalesforceSandboxOptions {
  port?: number;
  host?: string;
  seed?: string | number;
  /** The connected app registered at start (client id/secret generated from the seed when omitted). */
  app?: Partial<SfConnectedApp>;
  /** Daily API request allowance reported in Sforce-Limit-Info (default 100,000). */
  dailyApiLimit?: number;
  /** Session (access token) lifetime in seconds (default 7,200). */
  sessionTimeoutSeconds?: number;
  /** Bulk 2.0 processing delay per state step in ms (default 50). */
  bulkProcessingDelayMs?: number;
  now?: () => number;
}

export interface SalesforceSandbox {
  /** Login URL and instance URL. */
  baseUrl: string;
  port: number;
  store: SalesforceStore;
  faults: Faults;
  counters: RequestCounters;
  app: SfConnectedApp;
  bulkJobs: Map<string, SfBulkJob>;
  authorizeUrl(params: {
    redirectUri: string;
    codeVerifier?: string;
    scope?: string;
    state?: string;
    clientId?: string;
  }): string;
  close(): Promise<void>;
}

export async function startSalesforceSandbox(
  options: SalesforceSandboxOptions = {},
): Promise<SalesforceSandbox> {
  const rng = new Rng(options.seed ?? 'salesforce');
  const store = new SalesforceStore({
    rng: rng.fork('store'),
    ...(options.now ? { now: options.now } : {}),
    ...(options.dailyApiLimit !== undefined ? { dailyApiLimit: options.dailyApiLimit } : {}),
    ...(options.sessionTimeoutSeconds !== undefined
      ? { sessionTimeoutSeconds: options.sessionTimeoutSeconds }
      : {}),
  });
  const connectedApp = store.registerApp(options.app ?? {});
  const faults = new Faults(rng.fork('faults'), {
    expireAccessTokens: () => store.expireSessions(),
    revokeRefreshTokens: () => store.revokeRefreshTokens(),
  });
  const counters = new RequestCounters();
  let baseUrl = '';
  const ctx: SfContext = { store, faults, baseUrl: () => baseUrl, counters };
  const bulkJobs = new Map<string, SfBulkJob>();

  const app = createApp({ counters });
  registerOAuth(app, ctx);
  registerTooling(app, ctx);
  const bulk = registerBulk2(app, ctx, bulkJobs, { processingDelayMs: options.bulkProcessingDelayMs ?? 50 });
  registerRest(app, ctx);
  for (const method of ['get', 'post', 'patch', 'put', 'delete'] as const) {
    sfRoute(app, ctx, method, '/services/data/:version/*rest', (req) => {
      apiVersion(req);
      throw NOT_FOUND();
    });
  }
  app.use((_req: Request, res: Response) => {
    sendSfError(ctx, res, NOT_FOUND());
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const parse = (err as { type?: string }).type === 'entity.parse.failed';
    const status = (err as { status?: number }).status ?? 500;
    sendSfError(
      ctx,
      res,
      parse
        ? sfError(400, 'JSON_PARSER_ERROR', `Unexpected character in JSON input: ${(err as Error).message}`)
        : sfError(status, status === 413 ? 'REQUEST_TOO_LARGE' : 'UNKNOWN_EXCEPTION', (err as Error).message),
    );
  });

  const listening = await listen(app, options.port ?? 0, options.host);
  baseUrl = listening.baseUrl;
  return {
    baseUrl,
    port: listening.port,
    store,
    faults,
    counters,
    app: connectedApp,
    bulkJobs,
    authorizeUrl: (p) =>
      salesforceAuthorizeUrl(baseUrl, {
        clientId: p.clientId ?? connectedApp.clientId,
        redirectUri: p.redirectUri,
        ...(p.codeVerifier ? { codeVerifier: p.codeVerifier } : {}),
        ...(p.scope ? { scope: p.scope } : {}),
        ...(p.state !== undefined ? { state: p.state } : {}),
      }),
    close: async () => {
      bulk.stop();
      await listening.close();
    },
  };
}

export { SalesforceStore } from './store';
export type { SfRecord, SfConnectedApp, SfValue } from './store';
export type { SfBulkJob } from './bulk2';
export { COLLECTION_LIMIT, DEFAULT_BATCH_SIZE } from './rest';
export { parseSoql, compileSoql, executeSoql, SoqlError } from './soql';
export { s256 } from './oauth';
