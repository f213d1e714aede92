/**
 * The HubSpot emulator: `startHubSpotSandbox()` starts one on an ephemeral port and returns its base
 * URL (give it to `new Client({ basePath })`), its store, fault controls, request counters and the
 * OAuth app to use.
 */
import { type NextFunction, type Request, type Response } from 'express';
import { RequestCounters } from '../core/counters';
import { Faults } from '../core/faults';
import { Rng } from '../core/random';
import { createApp, listen } from '../core/server';
import { registerAssociations } from './associations';
import { registerCrm } from './crm';
import { HsHttpError, sendHsError } from './errors';
import { type HsContext, type HsRateLimitConfig, DEFAULT_RATE_LIMITS, HsRateLimiter } from './http';
import { hubspotAuthorizeUrl, registerOAuth } from './oauth';
import { registerProperties } from './properties';
import { type HsApp, HubSpotStore } from './store';

export interface HubSpotSandboxOptions {
  /** Port to listen on; 0 or omitted picks a free one. */
  port?: number;
  host?: string;
  /** Seed for every random choice (ids, tokens, faults). */
  seed?: string | number;
  /** Rate limits; `tenSecondly` defaults to 110 (public apps), `searchPerSecond` to 5. */
  rateLimits?: Partial<HsRateLimitConfig>;
  /** The OAuth app registered at start (client id/secret are generated from the seed when omitted). */
  app?: Partial<HsApp>;
  hubId?: number;
  /** Clock (epoch ms) used for timestamps and token expiry. */
  now?: () => number;
  accessTokenTtlSeconds?: number;
}

export interface HubSpotSandbox {
  baseUrl: string;
  port: number;
  store: HubSpotStore;
  faults: Faults;
  counters: RequestCounters;
  /** Rate limits in force; mutable at runtime. */
  rateLimits: HsRateLimitConfig;
  /** The OAuth app registered at start. */
  app: HsApp;
  /** The consent page URL for an authorization request (HubSpot's client builds app.hubspot.com URLs). */
  authorizeUrl(params: {
    redirectUri: string;
    scopes: string[];
    optionalScopes?: string[];
    state?: string;
    clientId?: string;
  }): string;
  close(): Promise<void>;
}

export async function startHubSpotSandbox(options: HubSpotSandboxOptions = {}): Promise<HubSpotSandbox> {
  const rng = new Rng(options.seed ?? 'hubspot');
  const store = new HubSpotStore({
    rng: rng.fork('store'),
    ...(options.hubId !== undefined ? { hubId: options.hubId } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.accessTokenTtlSeconds !== undefined
      ? { accessTokenTtlSeconds: options.accessTokenTtlSeconds }
      : {}),
  });
  const oauthApp = store.registerApp(options.app ?? {});
  const faults = new Faults(rng.fork('faults'), {
    expireAccessTokens: () => store.expireAccessTokens(),
    revokeRefreshTokens: () => store.revokeRefreshTokens(),
  });
  const counters = new RequestCounters();
  const rateLimits: HsRateLimitConfig = { ...DEFAULT_RATE_LIMITS, ...options.rateLimits };
  let baseUrl = '';
  const ctx: HsContext = { store, faults, limits: rateLimits, baseUrl: () => baseUrl, counters };
  const limiter = new HsRateLimiter(ctx);

  const app = createApp({ counters });
  registerOAuth(app, ctx, limiter);
  registerCrm(app, ctx, limiter);
  registerProperties(app, ctx, limiter);
  registerAssociations(app, ctx, limiter);

  app.use((req: Request, res: Response) => {
    sendHsError(
      res,
      new HsHttpError(404, {
        status: 'error',
        message: `No route for ${req.method} ${req.path}`,
        category: 'OBJECT_NOT_FOUND',
      }),
      store.correlationId(),
    );
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = (err as { status?: number }).status ?? 500;
    const message =
      (err as { type?: string }).type === 'entity.parse.failed'
        ? `Invalid input JSON on line 1: ${(err as Error).message}`
        : `internal error: ${(err as Error).message}`;
    sendHsError(
      res,
      new HsHttpError(status, {
        status: 'error',
        message,
        category: status < 500 ? 'VALIDATION_ERROR' : 'INTERNAL_ERROR',
      }),
      store.correlationId(),
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
    rateLimits,
    app: oauthApp,
    authorizeUrl: (p) =>
      hubspotAuthorizeUrl(baseUrl, {
        clientId: p.clientId ?? oauthApp.clientId,
        redirectUri: p.redirectUri,
        scopes: p.scopes,
        ...(p.optionalScopes ? { optionalScopes: p.optionalScopes } : {}),
        ...(p.state !== undefined ? { state: p.state } : {}),
      }),
    close: () => listening.close(),
  };
}

export { HubSpotStore } from './store';
export type { HsRecord, HsApp, HsAccessToken, HsOwner } from './store';
export type { HsObjectType, HsPropertyDef } from './schema';
export { BATCH_LIMIT, LIST_LIMIT } from './crm';
export { SEARCH_LIMITS } from './search';
