import { Client as HubSpotClient } from '@hubspot/api-client';
import { Connection, OAuth2 } from 'jsforce';
import { createHash, randomBytes } from 'node:crypto';
import type { CairnConfig } from '../../config/config';

export const PROVIDERS = ['hubspot', 'salesforce'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** What Cairn reads (contacts, companies, deals, emails) and writes (its properties on contacts). */
export const HUBSPOT_SCOPES = [
  'oauth',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.objects.companies.read',
  'crm.objects.deals.read',
  'crm.schemas.contacts.read',
  'crm.schemas.contacts.write',
  'sales-email-read',
];
export const SALESFORCE_SCOPES = ['api', 'refresh_token'];

export interface TokenSet {
  accessToken: string;
  refreshToken: string;
  expiresAt: Date | null;
  instanceUrl: string | null;
  externalAccount: string;
  scopes: string[];
}

/** The provider said the grant is gone (revoked, expired, wrong code): the admin must connect again. */
export class GrantRevokedError extends Error {}

/**
 * One provider's OAuth through its official client library: HubSpot's `@hubspot/api-client`, Salesforce's
 * `jsforce` (with PKCE). Base URLs come from config, so the sandbox and the real services are the same code.
 */
export interface OAuthProvider {
  /** Salesforce offers PKCE; HubSpot does not. */
  readonly pkce: boolean;
  authorizeUrl(redirectUri: string, state: string, codeChallenge: string | null): string;
  exchange(code: string, redirectUri: string, codeVerifier: string | null): Promise<TokenSet>;
  refresh(current: {
    refreshToken: string;
    instanceUrl: string | null;
  }): Promise<Omit<TokenSet, 'externalAccount' | 'scopes'>>;
  /** Proves the access token works; throws when the provider refuses it. */
  check(current: { accessToken: string; instanceUrl: string | null }): Promise<void>;
  revoke(refreshToken: string): Promise<void>;
}

export function oauthProvider(config: CairnConfig, provider: Provider): OAuthProvider | null {
  if (provider === 'hubspot') return config.crm.hubspot ? hubspot(config.crm.hubspot) : null;
  return config.crm.salesforce ? salesforce(config.crm.salesforce) : null;
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function hubspot(cfg: NonNullable<CairnConfig['crm']['hubspot']>): OAuthProvider {
  const client = () => new HubSpotClient({ basePath: cfg.apiUrl, numberOfApiCallRetries: 0 });
  const expiry = (seconds: number) => new Date(Date.now() + seconds * 1000);
  return {
    pkce: false,
    authorizeUrl(redirectUri, state) {
      const url = new URL(cfg.authorizeUrl);
      url.searchParams.set('client_id', cfg.clientId);
      url.searchParams.set('redirect_uri', redirectUri);
      url.searchParams.set('scope', HUBSPOT_SCOPES.join(' '));
      url.searchParams.set('state', state);
      return url.toString();
    },
    async exchange(code, redirectUri) {
      const c = client();
      const tokens = await hubspotCall(() =>
        c.oauth.tokensApi.create('authorization_code', code, redirectUri, cfg.clientId, cfg.clientSecret),
      );
      const info = await hubspotCall(() => c.oauth.accessTokensApi.get(tokens.accessToken));
      return {
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        expiresAt: expiry(tokens.expiresIn),
        instanceUrl: null,
        externalAccount: String(info.hubId),
        scopes: info.scopes,
      };
    },
    async refresh({ refreshToken }) {
      const tokens = await hubspotCall(() =>
        client().oauth.tokensApi.create(
          'refresh_token',
          undefined,
          undefined,
          cfg.clientId,
          cfg.clientSecret,
          refreshToken,
        ),
      );
      return {
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken || refreshToken,
        expiresAt: expiry(tokens.expiresIn),
        instanceUrl: null,
      };
    },
    async check({ accessToken }) {
      // A real read with the bearer token: token-info alone does not prove CRM access.
      const c = new HubSpotClient({ basePath: cfg.apiUrl, accessToken, numberOfApiCallRetries: 0 });
      await hubspotCall(() => c.crm.contacts.basicApi.getPage(1));
    },
    async revoke(refreshToken) {
      await hubspotCall(() => client().oauth.refreshTokensApi.archive(refreshToken)).catch((e) => {
        if (!(e instanceof GrantRevokedError)) throw e;
      });
    },
  };
}

function salesforce(cfg: NonNullable<CairnConfig['crm']['salesforce']>): OAuthProvider {
  const oauth2 = (redirectUri = '') =>
    new OAuth2({
      loginUrl: cfg.loginUrl,
      clientId: cfg.clientId,
      clientSecret: cfg.clientSecret,
      redirectUri,
    });
  return {
    pkce: true,
    authorizeUrl(redirectUri, state, codeChallenge) {
      const url = new URL('/services/oauth2/authorize', cfg.loginUrl);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('client_id', cfg.clientId);
      url.searchParams.set('redirect_uri', redirectUri);
      url.searchParams.set('scope', SALESFORCE_SCOPES.join(' '));
      url.searchParams.set('state', state);
      url.searchParams.set('code_challenge', codeChallenge!);
      url.searchParams.set('code_challenge_method', 'S256');
      return url.toString();
    },
    async exchange(code, redirectUri, codeVerifier) {
      const t = await salesforceCall(() =>
        oauth2(redirectUri).requestToken(code, { code_verifier: codeVerifier! }),
      );
      // The identity URL ends in /id/<org id>/<user id>.
      const org = (t.id ?? '').split('/').slice(-2)[0] ?? '';
      return {
        accessToken: t.access_token,
        refreshToken: t.refresh_token!,
        expiresAt: null,
        instanceUrl: t.instance_url,
        externalAccount: org,
        scopes: (t.scope ?? '').split(' ').filter(Boolean),
      };
    },
    async refresh({ refreshToken }) {
      const t = await salesforceCall(() => oauth2().refreshToken(refreshToken));
      return {
        accessToken: t.access_token,
        refreshToken: t.refresh_token ?? refreshToken,
        expiresAt: null,
        instanceUrl: t.instance_url,
      };
    },
    async check({ accessToken, instanceUrl }) {
      await salesforceCall(() => new Connection({ instanceUrl: instanceUrl!, accessToken }).identity());
    },
    async revoke(refreshToken) {
      await salesforceCall(() => oauth2().revokeToken(refreshToken)).catch((e) => {
        if (!(e instanceof GrantRevokedError)) throw e;
      });
    },
  };
}

async function hubspotCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    const err = e as { code?: number; body?: { status?: string; category?: string; message?: string } };
    const body = err.body ?? {};
    const message = body.message ?? (e as Error).message;
    if (err.code === 400 || err.code === 401 || err.code === 403)
      throw new GrantRevokedError(`HubSpot: ${message}`);
    throw new Error(`HubSpot: ${message}`);
  }
}

async function salesforceCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    const err = e as { name?: string; errorCode?: string; message?: string };
    const code = err.errorCode ?? err.name ?? '';
    if (
      /invalid_grant|INVALID_SESSION_ID|invalid_client|invalid_token|unsupported_token_type/i.test(
        `${code} ${err.message}`,
      )
    ) {
      throw new GrantRevokedError(`Salesforce: ${err.message ?? code}`);
    }
    throw new Error(`Salesforce: ${err.message ?? code}`);
  }
}
