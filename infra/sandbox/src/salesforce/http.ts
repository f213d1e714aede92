/**
 * The request pipeline for Salesforce REST routes (`/services/data/vXX.X/...`): injected latency →
 * `Sforce-Limit-Info` header → session check (401 INVALID_SESSION_ID) → injected storms (403
 * REQUEST_LIMIT_EXCEEDED, concurrent-request flavour) and 5xx → the daily API request limit (403
 * REQUEST_LIMIT_EXCEEDED, TotalRequests) → the handler. Errors are `[{ message, errorCode, fields? }]`.
 */
import { type Express, type Request, type Response } from 'express';
import { type RequestCounters } from '../core/counters';
import { type Faults } from '../core/faults';
import { bearerToken, sleep } from '../core/server';
import { type SalesforceStore, type SfSession } from './store';

export const MIN_API_VERSION = 20;
export const MAX_API_VERSION = 66;

export interface SfErrorItem {
  message: string;
  errorCode: string;
  fields?: string[];
}

export class SfHttpError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly errors: SfErrorItem[],
  ) {
    super(errors[0]?.message ?? 'error');
  }
}

export const sfError = (
  httpStatus: number,
  errorCode: string,
  message: string,
  fields?: string[],
): SfHttpError => new SfHttpError(httpStatus, [{ message, errorCode, ...(fields ? { fields } : {}) }]);

export const NOT_FOUND = (): SfHttpError =>
  sfError(404, 'NOT_FOUND', 'The requested resource does not exist');

export interface SfContext {
  store: SalesforceStore;
  faults: Faults;
  baseUrl(): string;
  /** Where write routes tally the records they changed. */
  counters?: RequestCounters;
}

export function setLimitInfo(ctx: SfContext, res: Response): void {
  res.setHeader('Sforce-Limit-Info', `api-usage=${ctx.store.apiUsage.used}/${ctx.store.apiUsage.limit}`);
}

export function sendSfError(ctx: SfContext, res: Response, err: SfHttpError): void {
  setLimitInfo(ctx, res);
  res.status(err.httpStatus).json(err.errors);
}

/** `v50.0` → `50.0`; unknown versions answer 404 like Salesforce. */
export function apiVersion(req: Request): string {
  const raw = String(req.params.version ?? '');
  const m = /^v(\d+)\.0$/.exec(raw);
  const major = m ? Number(m[1]) : NaN;
  if (!m || major < MIN_API_VERSION || major > MAX_API_VERSION) throw NOT_FOUND();
  return `${major}.0`;
}

export function authenticate(ctx: SfContext, req: Request): SfSession {
  const token = bearerToken(req);
  const session = token ? ctx.store.sessions.get(token) : undefined;
  if (!session || session.revoked || session.expiresAt <= ctx.store.now()) {
    throw sfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
  }
  return session;
}

export interface SfRouteOptions {
  /** Counts against the daily API allowance (default true). */
  countsAsApiCall?: boolean;
}

export type SfHandler = (req: Request, res: Response, session: SfSession) => unknown;

export function sfRoute(
  app: Express,
  ctx: SfContext,
  method: 'get' | 'post' | 'patch' | 'put' | 'delete',
  path: string,
  handler: SfHandler,
  options: SfRouteOptions = {},
): void {
  app[method](path, async (req: Request, res: Response) => {
    try {
      const faultsApply = ctx.faults.applies(req.path);
      if (faultsApply) {
        const ms = ctx.faults.drawLatency();
        if (ms > 0) await sleep(ms);
      }
      const session = authenticate(ctx, req);
      if (faultsApply) {
        if (ctx.faults.takeStorm()) {
          throw sfError(403, 'REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.');
        }
        const status = ctx.faults.drawServerError();
        if (status) {
          if (status === 503)
            for (const [k, v] of Object.entries(ctx.faults.retryAfterHeader())) res.setHeader(k, v);
          throw status === 503
            ? sfError(503, 'SERVER_UNAVAILABLE', 'Server temporarily unavailable. Try again later.')
            : sfError(
                status,
                'UNKNOWN_EXCEPTION',
                `An unexpected error occurred. Please include this ErrorId if you contact support: ${ctx.store.rng.int(100000000, 999999999)}-${ctx.store.rng.int(10000, 99999)} (${ctx.store.rng.int(-999999999, -100000000)})`,
              );
        }
      }
      if (options.countsAsApiCall ?? true) {
        const usage = ctx.store.apiUsage;
        if (usage.used >= usage.limit)
          throw sfError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
        usage.used++;
      }
      setLimitInfo(ctx, res);
      await handler(req, res, session);
    } catch (err) {
      if (err instanceof SfHttpError) return sendSfError(ctx, res, err);
      sendSfError(
        ctx,
        res,
        sfError(
          500,
          'UNKNOWN_EXCEPTION',
          `An unexpected error occurred: ${err instanceof Error ? err.message : String(err)}`,
        ),
      );
    }
  });
}
