/**
 * HubSpot OAuth 2.0: the authorize/consent page (served on the emulator's own host, standing in for
 * app.hubspot.com), the v1 token endpoint (authorization_code and refresh_token grants), token
 * introspection and refresh-token revocation.
 */
import { type Express, type Request, type Response } from 'express';
import { renderConsentPage } from '../core/consent';
import { escapeHtml } from '../core/server';
import { HsHttpError, hsError } from './errors';
import { type HsContext, type HsRateLimiter, hsRoute } from './http';
import { type HsApp } from './store';

const AUTH_CODE_TTL_MS = 5 * 60 * 1000;

function errorPage(res: Response, status: number, message: string): void {
  res
    .status(status)
    .type('html')
    .send(
      `<!doctype html><html><head><title>HubSpot authorization error</title></head><body><h1>Authorization failed</h1><p>${escapeHtml(message)}</p></body></html>`,
    );
}

function redirectAllowed(app: HsApp, uri: string): boolean {
  if (!/^https?:\/\//.test(uri)) return false;
  return app.redirectUris.length === 0 || app.redirectUris.includes(uri);
}

function splitScopes(raw: unknown): string[] {
  if (raw === undefined) return [];
  return String(raw)
    .split(/[\s+,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A token-endpoint failure: `{ status: "BAD_…", message, correlationId }`. */
function tokenError(status: string, message: string): HsHttpError {
  return new HsHttpError(400, { status, message });
}

export function registerOAuth(app: Express, ctx: HsContext, limiter: HsRateLimiter): void {
  const { store } = ctx;

  app.get('/oauth/authorize', (req: Request, res: Response) => {
    const clientId = String(req.query.client_id ?? '');
    const redirectUri = String(req.query.redirect_uri ?? '');
    const oauthApp = store.apps.get(clientId);
    if (!oauthApp) return errorPage(res, 400, `Couldn't find an app with client_id ${clientId}.`);
    if (!redirectAllowed(oauthApp, redirectUri)) {
      return errorPage(res, 400, `The redirect_uri ${redirectUri} does not match the app's redirect URL.`);
    }
    const required = splitScopes(req.query.scope);
    const optional = splitScopes(req.query.optional_scope);
    const notAllowed = required.filter((s) => !oauthApp.scopes.includes(s));
    if (notAllowed.length) {
      return errorPage(
        res,
        400,
        `The app is not configured to request these scopes: ${notAllowed.join(', ')}`,
      );
    }
    const scopes = [...new Set([...required, ...optional.filter((s) => oauthApp.scopes.includes(s))])];
    const ticket = store.randomToken('ticket');
    const state = req.query.state === undefined ? undefined : String(req.query.state);
    store.consentTickets.set(ticket, {
      id: ticket,
      clientId,
      redirectUri,
      scopes,
      ...(state !== undefined ? { state } : {}),
    });
    res
      .status(200)
      .type('html')
      .send(
        renderConsentPage({
          title: 'HubSpot (sandbox) — Connect app',
          appName: oauthApp.name,
          account: `${store.hubDomain} (Hub ID ${store.hubId})`,
          scopes,
          action: '/oauth/authorize/decision',
          fields: { ticket },
          accent: '#ff7a59',
        }),
      );
  });

  app.post('/oauth/authorize/decision', (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const ticket = store.consentTickets.get(String(body.ticket ?? ''));
    if (!ticket) return errorPage(res, 400, 'This authorization request has expired. Start again.');
    store.consentTickets.delete(ticket.id);
    const target = new URL(ticket.redirectUri);
    if (body.decision !== 'approve') {
      target.searchParams.set('error', 'access_denied');
      target.searchParams.set('error_description', 'The user denied the request.');
    } else {
      const code = store.randomToken('code');
      store.authCodes.set(code, {
        code,
        clientId: ticket.clientId,
        redirectUri: ticket.redirectUri,
        scopes: ticket.scopes,
        expiresAt: store.nowMs() + AUTH_CODE_TTL_MS,
        used: false,
      });
      target.searchParams.set('code', code);
    }
    if (ticket.state !== undefined) target.searchParams.set('state', ticket.state);
    res.redirect(302, target.toString());
  });

  hsRoute(app, ctx, limiter, 'post', '/oauth/v1/token', { auth: false }, (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const grantType = String(b.grant_type ?? '');
    const oauthApp = store.apps.get(String(b.client_id ?? ''));
    if (!oauthApp) throw tokenError('BAD_CLIENT_ID', 'missing or invalid client id');
    if (String(b.client_secret ?? '') !== oauthApp.clientSecret) {
      throw tokenError('BAD_CLIENT_SECRET', 'missing or invalid client secret');
    }
    if (grantType === 'authorization_code') {
      const code = store.authCodes.get(String(b.code ?? ''));
      if (!code || code.used || code.expiresAt <= store.nowMs() || code.clientId !== oauthApp.clientId) {
        throw tokenError('BAD_AUTH_CODE', 'missing or invalid auth code');
      }
      if (String(b.redirect_uri ?? '') !== code.redirectUri) {
        throw tokenError('BAD_REDIRECT_URI', 'redirect_uri does not match the one used to get the auth code');
      }
      code.used = true;
      const refresh = store.randomToken('refresh');
      store.refreshTokens.set(refresh, {
        token: refresh,
        appId: oauthApp.appId,
        clientId: oauthApp.clientId,
        hubId: store.hubId,
        userId: store.userId,
        user: store.user,
        scopes: code.scopes,
        revoked: false,
      });
      const access = store.issueAccessToken(oauthApp, code.scopes, refresh);
      res.status(200).json({
        token_type: 'bearer',
        refresh_token: refresh,
        access_token: access.token,
        expires_in: store.accessTokenTtlSeconds,
      });
      return;
    }
    if (grantType === 'refresh_token') {
      const refresh = store.refreshTokens.get(String(b.refresh_token ?? ''));
      if (!refresh || refresh.revoked || refresh.clientId !== oauthApp.clientId) {
        throw tokenError('BAD_REFRESH_TOKEN', 'missing or invalid refresh token');
      }
      const access = store.issueAccessToken(oauthApp, refresh.scopes, refresh.token);
      res.status(200).json({
        token_type: 'bearer',
        refresh_token: refresh.token,
        access_token: access.token,
        expires_in: store.accessTokenTtlSeconds,
      });
      return;
    }
    throw tokenError('BAD_GRANT_TYPE', `unsupported grant_type: ${grantType}`);
  });

  hsRoute(app, ctx, limiter, 'get', '/oauth/v1/access-tokens/:token', { auth: false }, (req, res) => {
    const entry = store.accessTokens.get(String(req.params.token));
    if (!entry) throw hsError(404, 'OBJECT_NOT_FOUND', 'Token not found');
    const remaining = Math.floor((entry.expiresAt - store.nowMs()) / 1000);
    if (remaining <= 0) throw hsError(404, 'OBJECT_NOT_FOUND', 'The token has expired');
    res.status(200).json({
      token: entry.token,
      user: entry.user,
      hub_domain: store.hubDomain,
      scopes: entry.scopes,
      scope_to_scope_group_pks: [],
      trial_scopes: [],
      trial_scope_to_scope_group_pks: [],
      hub_id: entry.hubId,
      app_id: entry.appId,
      expires_in: Number.isFinite(remaining) ? remaining : 0,
      user_id: entry.userId,
      token_type: 'access',
    });
  });

  hsRoute(app, ctx, limiter, 'get', '/oauth/v1/refresh-tokens/:token', { auth: false }, (req, res) => {
    const entry = store.refreshTokens.get(String(req.params.token));
    if (!entry || entry.revoked) throw hsError(404, 'OBJECT_NOT_FOUND', 'refresh token not found');
    res.status(200).json({
      token: entry.token,
      user: entry.user,
      hub_domain: store.hubDomain,
      scopes: entry.scopes,
      hub_id: entry.hubId,
      client_id: entry.clientId,
      user_id: entry.userId,
      token_type: 'refresh',
    });
  });

  hsRoute(app, ctx, limiter, 'delete', '/oauth/v1/refresh-tokens/:token', { auth: false }, (req, res) => {
    const entry = store.refreshTokens.get(String(req.params.token));
    if (!entry || entry.revoked) throw hsError(404, 'OBJECT_NOT_FOUND', 'refresh token not found');
    entry.revoked = true;
    res.status(204).end();
  });
}

/** The authorization URL for the emulator (the real client's `getAuthorizationUrl` hard-codes app.hubspot.com). */
export function hubspotAuthorizeUrl(
  baseUrl: string,
  params: {
    clientId: string;
    redirectUri: string;
    scopes: string[];
    optionalScopes?: string[];
    state?: string;
  },
): string {
  const url = new URL('/oauth/authorize', baseUrl);
  url.searchParams.set('client_id', params.clientId);
  url.searchParams.set('redirect_uri', params.redirectUri);
  url.searchParams.set('scope', params.scopes.join(' '));
  if (params.optionalScopes?.length) url.searchParams.set('optional_scope', params.optionalScopes.join(' '));
  if (params.state !== undefined) url.searchParams.set('state', params.state);
  return url.toString();
}
