/**
 * Salesforce OAuth 2.0 web-server flow with PKCE: authorize + consent page, the token endpoint
 * (authorization_code with code_verifier, refresh_token), revoke, userinfo and the identity URL.
 */
import { createHash } from 'node:crypto';
import { type Express, type Request, type Response } from 'express';
import { renderConsentPage } from '../core/consent';
import { bearerToken, escapeHtml, sleep } from '../core/server';
import { type SfContext } from './http';
import { type SfConnectedApp } from './store';

const AUTH_CODE_TTL_MS = 15 * 60 * 1000;
/**
 * Salesforce checks the verifier against the base64url alphabet (it rejects '~' although RFC 7636
 * allows it) but not the RFC's 128-character maximum: jsforce sends 171 characters and is accepted.
 */
const VERIFIER_RE = /^[A-Za-z0-9_-]{43,}$/;

function base64Url(buf: Buffer): string {
  return buf.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function s256(verifier: string): string {
  return base64Url(createHash('sha256').update(verifier).digest());
}

function errorPage(res: Response, error: string, description: string): void {
  res
    .status(400)
    .type('html')
    .send(
      `<!doctype html><html><head><title>Salesforce authorization error</title></head><body><h1>error=${escapeHtml(error)}</h1><p>error_description=${escapeHtml(description)}</p></body></html>`,
    );
}

function callbackAllowed(app: SfConnectedApp, uri: string): boolean {
  if (!/^https?:\/\//.test(uri)) return false;
  return app.redirectUris.length === 0 || app.redirectUris.includes(uri);
}

class TokenError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
  }
}

export function registerOAuth(app: Express, ctx: SfContext): void {
  const { store, faults } = ctx;
  const latency = async (req: Request): Promise<void> => {
    if (!faults.applies(req.path)) return;
    const ms = faults.drawLatency();
    if (ms > 0) await sleep(ms);
  };

  app.get('/services/oauth2/authorize', (req: Request, res: Response) => {
    const q = req.query as Record<string, string | undefined>;
    const oauthApp = store.apps.get(String(q.client_id ?? ''));
    if (!oauthApp) return errorPage(res, 'invalid_client_id', 'client identifier invalid');
    const redirectUri = String(q.redirect_uri ?? '');
    if (!callbackAllowed(oauthApp, redirectUri)) {
      return errorPage(res, 'redirect_uri_mismatch', 'redirect_uri must match configuration');
    }
    const back = (error: string, description: string): void => {
      const url = new URL(redirectUri);
      url.searchParams.set('error', error);
      url.searchParams.set('error_description', description);
      if (q.state !== undefined) url.searchParams.set('state', String(q.state));
      res.redirect(302, url.toString());
    };
    if (q.response_type !== 'code') return back('unsupported_response_type', 'response type not supported');
    const challenge = q.code_challenge;
    if (
      challenge !== undefined &&
      q.code_challenge_method !== undefined &&
      q.code_challenge_method !== 'S256'
    ) {
      return back('invalid_request', 'unsupported code challenge method');
    }
    if (challenge === undefined && oauthApp.requirePkce)
      return back('invalid_request', 'missing required code challenge');
    if (challenge !== undefined && !/^[A-Za-z0-9_-]{43}$/.test(challenge)) {
      return back('invalid_request', 'invalid code challenge');
    }
    const scope = String(q.scope ?? 'api refresh_token');
    const ticket = store.rng.alphanumeric(32);
    store.consentTickets.set(ticket, {
      id: ticket,
      clientId: oauthApp.clientId,
      redirectUri,
      scope,
      ...(challenge !== undefined ? { codeChallenge: challenge } : {}),
      ...(q.state !== undefined ? { state: String(q.state) } : {}),
    });
    res
      .status(200)
      .type('html')
      .send(
        renderConsentPage({
          title: 'Salesforce (sandbox) — Allow Access?',
          appName: oauthApp.name,
          account: `${store.username} (org ${store.orgId})`,
          scopes: scope.split(/\s+/).filter(Boolean),
          action: '/services/oauth2/authorize/decision',
          fields: { ticket },
          accent: '#0176d3',
        }),
      );
  });

  app.post('/services/oauth2/authorize/decision', (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const ticket = store.consentTickets.get(String(body.ticket ?? ''));
    if (!ticket) return errorPage(res, 'invalid_request', 'authorization request expired');
    store.consentTickets.delete(ticket.id);
    const url = new URL(ticket.redirectUri);
    if (body.decision !== 'approve') {
      url.searchParams.set('error', 'access_denied');
      url.searchParams.set('error_description', 'end-user denied authorization');
    } else {
      const code = `aPrx${store.rng.alphanumeric(80)}==`;
      store.authCodes.set(code, {
        code,
        clientId: ticket.clientId,
        redirectUri: ticket.redirectUri,
        scope: ticket.scope,
        userId: store.userId,
        expiresAt: store.now() + AUTH_CODE_TTL_MS,
        used: false,
        ...(ticket.codeChallenge !== undefined ? { codeChallenge: ticket.codeChallenge } : {}),
      });
      url.searchParams.set('code', code);
    }
    if (ticket.state !== undefined) url.searchParams.set('state', ticket.state);
    res.redirect(302, url.toString());
  });

  app.post('/services/oauth2/token', async (req: Request, res: Response) => {
    await latency(req);
    try {
      const b = (req.body ?? {}) as Record<string, string | undefined>;
      const oauthApp = store.apps.get(String(b.client_id ?? ''));
      if (!oauthApp) throw new TokenError('invalid_client_id', 'client identifier invalid');
      if (b.client_secret !== undefined && b.client_secret !== oauthApp.clientSecret) {
        throw new TokenError('invalid_client', 'invalid client credentials');
      }
      const loginUrl = ctx.baseUrl();
      const idUrl = store.identityUrl(loginUrl);
      if (b.grant_type === 'authorization_code') {
        const code = store.authCodes.get(String(b.code ?? ''));
        if (!code || code.used || code.clientId !== oauthApp.clientId) {
          throw new TokenError('invalid_grant', 'invalid authorization code');
        }
        if (code.expiresAt <= store.now())
          throw new TokenError('invalid_grant', 'expired authorization code');
        if (b.redirect_uri !== code.redirectUri) {
          throw new TokenError('redirect_uri_mismatch', 'redirect_uri must match configuration');
        }
        if (code.codeChallenge !== undefined) {
          const verifier = b.code_verifier;
          if (!verifier || !VERIFIER_RE.test(verifier) || s256(verifier) !== code.codeChallenge) {
            throw new TokenError('invalid_grant', 'invalid code verifier');
          }
        } else if (b.client_secret === undefined) {
          throw new TokenError('invalid_client', 'invalid client credentials');
        }
        code.used = true;
        const refresh = code.scope.split(/\s+/).some((s) => s === 'refresh_token' || s === 'offline_access')
          ? store.newRefreshToken()
          : undefined;
        if (refresh) {
          store.refreshTokens.set(refresh, {
            token: refresh,
            userId: code.userId,
            clientId: oauthApp.clientId,
            scope: code.scope,
            revoked: false,
          });
        }
        const session = store.openSession(oauthApp.clientId, refresh);
        const issuedAt = String(session.issuedAt);
        res.status(200).json({
          access_token: session.token,
          ...(refresh ? { refresh_token: refresh } : {}),
          signature: store.signature(oauthApp, idUrl, issuedAt),
          scope: code.scope,
          instance_url: ctx.baseUrl(),
          id: idUrl,
          token_type: 'Bearer',
          issued_at: issuedAt,
        });
        return;
      }
      if (b.grant_type === 'refresh_token') {
        const refresh = store.refreshTokens.get(String(b.refresh_token ?? ''));
        if (!refresh || refresh.revoked || refresh.clientId !== oauthApp.clientId) {
          throw new TokenError('invalid_grant', 'expired access/refresh token');
        }
        let token = refresh.token;
        if (oauthApp.rotateRefreshTokens) {
          refresh.revoked = true;
          token = store.newRefreshToken();
          store.refreshTokens.set(token, { ...refresh, token, revoked: false });
        }
        const session = store.openSession(oauthApp.clientId, token);
        const issuedAt = String(session.issuedAt);
        res.status(200).json({
          access_token: session.token,
          ...(oauthApp.rotateRefreshTokens ? { refresh_token: token } : {}),
          signature: store.signature(oauthApp, idUrl, issuedAt),
          scope: refresh.scope,
          instance_url: ctx.baseUrl(),
          id: idUrl,
          token_type: 'Bearer',
          issued_at: issuedAt,
        });
        return;
      }
      throw new TokenError('unsupported_grant_type', 'grant type not supported');
    } catch (err) {
      if (err instanceof TokenError) {
        res.status(err.status).json({ error: err.error, error_description: err.description });
        return;
      }
      throw err;
    }
  });

  const revoke = async (req: Request, res: Response): Promise<void> => {
    await latency(req);
    const token = String(((req.body ?? {}) as Record<string, unknown>).token ?? req.query.token ?? '');
    const refresh = store.refreshTokens.get(token);
    const session = store.sessions.get(token);
    if (refresh && !refresh.revoked) {
      refresh.revoked = true;
      for (const s of store.sessions.values()) if (s.refreshToken === token) s.revoked = true;
      res.status(200).end();
      return;
    }
    if (session && !session.revoked) {
      session.revoked = true;
      res.status(200).end();
      return;
    }
    res
      .status(400)
      .json({ error: 'unsupported_token_type', error_description: 'this token type is not supported' });
  };
  app.post('/services/oauth2/revoke', revoke);
  app.get('/services/oauth2/revoke', revoke);

  const identity = (req: Request, res: Response, openid: boolean): void => {
    const token =
      bearerToken(req) ?? (typeof req.query.oauth_token === 'string' ? req.query.oauth_token : undefined);
    const session = token ? store.sessions.get(token) : undefined;
    if (!session || session.revoked || session.expiresAt <= store.now()) {
      res.status(403).type('text/plain').send('Bad_OAuth_Token');
      return;
    }
    const user = store.byId(session.userId);
    const base = ctx.baseUrl();
    const v = '{version}';
    const urls = {
      enterprise: `${base}/services/Soap/c/${v}/${store.orgId}`,
      metadata: `${base}/services/Soap/m/${v}/${store.orgId}`,
      partner: `${base}/services/Soap/u/${v}/${store.orgId}`,
      rest: `${base}/services/data/v${v}/`,
      sobjects: `${base}/services/data/v${v}/sobjects/`,
      search: `${base}/services/data/v${v}/search/`,
      query: `${base}/services/data/v${v}/query/`,
      tooling_rest: `${base}/services/data/v${v}/tooling/`,
      profile: `${base}/${session.userId}`,
      custom_domain: base,
    };
    const common = {
      email: user?.fields.Email ?? store.username,
      email_verified: true,
      given_name: user?.fields.FirstName ?? null,
      family_name: user?.fields.LastName ?? null,
      zoneinfo: 'GMT',
      locale: 'en_US',
      language: 'en_US',
      active: true,
      user_type: 'STANDARD',
      urls,
    };
    if (openid) {
      res.json({
        sub: store.identityUrl(base),
        user_id: session.userId,
        organization_id: store.orgId,
        preferred_username: store.username,
        nickname: 'integ',
        name: user?.fields.Name ?? 'Integration User',
        ...common,
      });
      return;
    }
    res.json({
      id: store.identityUrl(base),
      asserted_user: true,
      user_id: session.userId,
      organization_id: store.orgId,
      username: store.username,
      nick_name: 'integ',
      display_name: user?.fields.Name ?? 'Integration User',
      first_name: user?.fields.FirstName ?? null,
      last_name: user?.fields.LastName ?? null,
      timezone: 'GMT',
      utcOffset: 0,
      is_app_installed: true,
      ...common,
    });
  };
  app.get('/services/oauth2/userinfo', (req, res) => identity(req, res, true));
  app.get('/id/:orgId/:userId', (req, res) => identity(req, res, false));
}

/** The authorization URL for the emulator, with a PKCE challenge for `codeVerifier`. */
export function salesforceAuthorizeUrl(
  baseUrl: string,
  params: { clientId: string; redirectUri: string; codeVerifier?: string; scope?: string; state?: string },
): string {
  const url = new URL('/services/oauth2/authorize', baseUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', params.clientId);
  url.searchParams.set('redirect_uri', params.redirectUri);
  url.searchParams.set('scope', params.scope ?? 'api refresh_token');
  if (params.codeVerifier) {
    url.searchParams.set('code_challenge', s256(params.codeVerifier));
    url.searchParams.set('code_challenge_method', 'S256');
  }
  if (params.state !== undefined) url.searchParams.set('state', params.state);
  return url.toString();
}
