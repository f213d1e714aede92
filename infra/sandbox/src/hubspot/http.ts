/**
 * The request pipeline every HubSpot route runs through: injected latency → bearer authentication
 * (401 EXPIRED_/INVALID_AUTHENTICATION) → injected storms and 5xx → the ten-secondly rolling window
 * and the search endpoints' per-second limit (429 with `policyName`) → OAuth scopes (403 MISSING_SCOPES)
 * → the handler. Handlers throw `HsHttpError` for HubSpot-shaped failures.
 */
import { type Express, type Request, type Response } from 'express';
import { type RequestCounters } from '../core/counters';
import { type Faults } from '../core/faults';
import { sleep, bearerToken } from '../core/server';
import { HsHttpError, hsError, sendHsError } from './errors';
import { type HsAccessToken, type HubSpotStore } from './store';

export interface HsRateLimitConfig {
  /** Requests allowed per app and account in any 10-second window (HubSpot public apps: 110). */
  tenSecondly: number;
  /** Search requests allowed per second per account (HubSpot: 5). */
  searchPerSecond: number;
  /** Turn rate limiting off entirely (faults can still inject 429s). */
  enabled: boolean;
}

export const DEFAULT_RATE_LIMITS: HsRateLimitConfig = { tenSecondly: 110, searchPerSecond: 5, enabled: true };

export interface HsContext {
  store: HubSpotStore;
  faults: Faults;
  limits: HsRateLimitConfig;
  baseUrl(): string;
  /** Where write routes tally the records they changed. */
  counters?: RequestCounters;
}

const RATE_MESSAGES = {
  TEN_SECONDLY_ROLLING: 'You have reached your ten_secondly_rolling limit.',
  SECONDLY: 'You have reached your secondly limit.',
  DAILY: 'You have reached your daily limit.',
} as const;

/** Sliding windows of request timestamps, per app and account. */
export class HsRateLimiter {
  private readonly tenSecond = new Map<string, number[]>();
  private readonly perSecond = new Map<string, number[]>();

  constructor(private readonly ctx: HsContext) {}

  private static prune(list: number[], since: number): void {
    let drop = 0;
    while (drop < list.length && (list[drop] as number) <= since) drop++;
    if (drop) list.splice(0, drop);
  }

  private window(map: Map<string, number[]>, key: string): number[] {
    let list = map.get(key);
    if (!list) {
      list = [];
      map.set(key, list);
    }
    return list;
  }

  /** Records the request, or throws the 429 HubSpot would send. Sets the rate-limit headers. */
  admit(token: HsAccessToken, res: Response, search: boolean): void {
    const { limits, store } = this.ctx;
    const key = `${token.appId}:${token.hubId}`;
    const now = store.nowMs();
    const ten = this.window(this.tenSecond, key);
    HsRateLimiter.prune(ten, now - 10_000);
    const headers = (remaining: number): Record<string, string> =>
      search
        ? {}
        : {
            'X-HubSpot-RateLimit-Interval-Milliseconds': '10000',
            'X-HubSpot-RateLimit-Max': String(limits.tenSecondly),
            'X-HubSpot-RateLimit-Remaining': String(Math.max(0, remaining)),
          };
    if (limits.enabled && ten.length >= limits.tenSecondly) {
      throw rateLimited('TEN_SECONDLY_ROLLING', headers(0));
    }
    if (search) {
      const sec = this.window(this.perSecond, `${token.hubId}`);
      HsRateLimiter.prune(sec, now - 1000);
      if (limits.enabled && sec.length >= limits.searchPerSecond) throw rateLimited('SECONDLY', {});
      sec.push(now);
    }
    ten.push(now);
    for (const [k, v] of Object.entries(headers(limits.tenSecondly - ten.length))) res.setHeader(k, v);
  }
}

export function rateLimited(
  policy: keyof typeof RATE_MESSAGES,
  headers: Record<string, string>,
): HsHttpError {
  return new HsHttpError(
    429,
    { status: 'error', message: RATE_MESSAGES[policy], errorType: 'RATE_LIMIT', policyName: policy },
    headers,
  );
}

export function authenticate(ctx: HsContext, req: Request): HsAccessToken {
  const token = bearerToken(req);
  const entry = token ? ctx.store.accessTokens.get(token) : undefined;
  if (!entry) {
    throw hsError(
      401,
      'INVALID_AUTHENTICATION',
      'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
    );
  }
  const now = ctx.store.nowMs();
  if (entry.expiresAt <= now) {
    const hours = Math.floor((now - entry.expiresAt) / 3_600_000);
    throw hsError(
      401,
      'EXPIRED_AUTHENTICATION',
      `The OAuth token used to make this call expired ${hours} hour(s) ago.`,
      {
        context: { 'expire time': [new Date(entry.expiresAt).toISOString()] },
      },
    );
  }
  return entry;
}

export type FaultMode = 'all' | 'latency' | 'none';

export interface RouteOptions {
  /** Requires a bearer token (default true). */
  auth?: boolean;
  /** Scopes of which the token needs any one. */
  scopes?: (req: Request) => readonly string[] | undefined;
  /** Counts against the search per-second limit. */
  search?: boolean;
  faults?: FaultMode;
}

export type HsHandler = (req: Request, res: Response, token: HsAccessToken | undefined) => unknown;

export function hsRoute(
  app: Express,
  ctx: HsContext,
  limiter: HsRateLimiter,
  method: 'get' | 'post' | 'patch' | 'put' | 'delete',
  path: string,
  options: RouteOptions,
  handler: HsHandler,
): void {
  const auth = options.auth ?? true;
  const faultMode = options.faults ?? (auth ? 'all' : 'latency');
  app[method](path, async (req: Request, res: Response) => {
    try {
      const faultsApply = faultMode !== 'none' && ctx.faults.applies(req.path);
      if (faultsApply) {
        const ms = ctx.faults.drawLatency();
        if (ms > 0) await sleep(ms);
      }
      const token = auth ? authenticate(ctx, req) : undefined;
      if (faultsApply && faultMode === 'all') {
        const storm = ctx.faults.takeStorm();
        if (storm) throw rateLimited(storm, ctx.faults.retryAfterHeader());
        const status = ctx.faults.drawServerError();
        if (status) {
          throw new HsHttpError(
            status,
            {
              status: 'error',
              message: 'internal error',
              category: status === 503 ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_ERROR',
            },
            status === 503 ? ctx.faults.retryAfterHeader() : {},
          );
        }
      }
      if (token) limiter.admit(token, res, options.search ?? false);
      const required = options.scopes?.(req);
      if (token && required && required.length > 0 && !required.some((s) => token.scopes.includes(s))) {
        throw hsError(
          403,
          'MISSING_SCOPES',
          "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
          {
            errors: [
              {
                message: 'One or more of the following scopes are required.',
                context: { requiredGranularScopes: [...required] },
              },
            ],
            links: { scopes: 'https://developers.hubspot.com/scopes' },
          },
        );
      }
      await handler(req, res, token);
    } catch (err) {
      if (err instanceof HsHttpError) {
        sendHsError(res, err, ctx.store.correlationId());
        return;
      }
      sendHsError(
        res,
        new HsHttpError(500, {
          status: 'error',
          message: `internal error: ${err instanceof Error ? err.message : String(err)}`,
          category: 'INTERNAL_ERROR',
        }),
        ctx.store.correlationId(),
      );
    }
  });
}

/** Query parameter as a list: repeated (`a=1&a=2`) and comma-separated (`a=1,2`) forms both count. */
export function listParam(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const raw = Array.isArray(value) ? value : [value];
  return raw
    .flatMap((v) => String(v).split(','))
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function boolParam(value: unknown): boolean {
  return String(Array.isArray(value) ? value[0] : value).toLowerCase() === 'true';
}

export function stringParam(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return String(Array.isArray(value) ? value[0] : value);
}
