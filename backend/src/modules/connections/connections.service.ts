import { Inject, Injectable, Logger } from '@nestjs/common';
import type { SecretBox } from '../../common/crypto/secret-box';
import { SECRET_BOX } from '../../common/crypto/secret-box.provider';
import { DomainError } from '../../common/errors/domain-error';
import type { CairnConfig } from '../../config/config';
import { CONFIG } from '../../config/config.module';
import { newToken, tokenHash } from '../auth/tokens';
import { ConnectionsRepository, type ConnectionRow } from './connections.repository';
import {
  GrantRevokedError,
  oauthProvider,
  pkcePair,
  PROVIDERS,
  type OAuthProvider,
  type Provider,
} from './providers';

const STATE_TTL_MS = 10 * 60_000;
/** Scheduled pulls: every 5 minutes at the most, daily at the least; 15 minutes unless the admin says. */
export const SYNC_INTERVAL = { min: 5, max: 1_440, default: 15 } as const;
/** HubSpot tokens are refreshed this long before they expire, so a sync never starts with a dying token. */
const REFRESH_MARGIN_MS = 5 * 60_000;

interface AccessToken {
  accessToken: string;
  instanceUrl: string | null;
}

/**
 * CRM connections: the OAuth dance (state checked, PKCE for Salesforce), tokens sealed at rest, refresh with
 * one refresher at a time per connection (a row lock), and a status the admin can act on.
 */
@Injectable()
export class ConnectionsService {
  private readonly log = new Logger('connections');

  constructor(
    @Inject(ConnectionsRepository) private readonly repo: ConnectionsRepository,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    @Inject(CONFIG) private readonly config: CairnConfig,
  ) {}

  providers() {
    return PROVIDERS.map((provider) => ({
      provider,
      configured: oauthProvider(this.config, provider) !== null,
    }));
  }

  list(workspaceId: string) {
    return this.repo.list(workspaceId);
  }

  redirectUri(provider: Provider): string {
    return `${this.config.web.publicUrl}/api/oauth/${provider}/callback`;
  }

  async start(workspaceId: string, userId: string, provider: Provider): Promise<string> {
    const p = this.provider(provider);
    const state = newToken();
    const pkce = p.pkce ? pkcePair() : null;
    await this.repo.saveState({
      stateHash: tokenHash(state),
      workspaceId,
      provider,
      userId,
      codeVerifierEnc: pkce ? this.box.seal(pkce.verifier) : null,
      expiresAt: new Date(Date.now() + STATE_TTL_MS),
    });
    return p.authorizeUrl(this.redirectUri(provider), state, pkce?.challenge ?? null);
  }

  /** The provider sent the browser back: only the admin who started, with a live single-use state, gets in. */
  async complete(
    provider: Provider,
    code: string,
    state: string,
    userId: string,
  ): Promise<{ workspaceId: string; connection: ConnectionRow }> {
    const p = this.provider(provider);
    const saved = await this.repo.takeState(tokenHash(state), provider);
    if (!saved || new Date(saved.expiresAt).getTime() < Date.now() || saved.userId !== userId) {
      throw new DomainError(
        'connections.invalid_state',
        'This connection attempt is not valid or has expired. Start again from Connections.',
      );
    }
    let tokens;
    try {
      tokens = await p.exchange(
        code,
        this.redirectUri(provider),
        saved.codeVerifierEnc ? this.box.open(saved.codeVerifierEnc) : null,
      );
    } catch (e) {
      throw new DomainError('connections.oauth_failed', `${(e as Error).message}`);
    }
    const connection = await this.repo.upsert({
      workspaceId: saved.workspaceId,
      provider,
      externalAccount: tokens.externalAccount,
      instanceUrl: tokens.instanceUrl,
      accessTokenEnc: this.box.seal(tokens.accessToken),
      refreshTokenEnc: this.box.seal(tokens.refreshToken),
      expiresAt: tokens.expiresAt,
      scopes: tokens.scopes,
      connectedBy: userId,
    });
    this.log.log(
      `${provider} connected to workspace ${saved.workspaceId} (account ${tokens.externalAccount})`,
    );
    return { workspaceId: saved.workspaceId, connection };
  }

  /** A usable access token, refreshed first when due; `force` refreshes now (Salesforce, after INVALID_SESSION_ID). */
  async accessToken(workspaceId: string, id: string, force = false): Promise<AccessToken> {
    /** The connection's token if it needs no refresh, else null; errors for a missing or lapsed connection. */
    const current = (c: ConnectionRow | null): { c: ConnectionRow; token: AccessToken | null } => {
      if (!c) throw notFound();
      if (c.status === 'needs_reauth') throw needsReauth(c.statusReason);
      const due =
        force || (c.expiresAt !== null && new Date(c.expiresAt).getTime() - REFRESH_MARGIN_MS < Date.now());
      return {
        c,
        token: due ? null : { accessToken: this.box.open(c.accessTokenEnc), instanceUrl: c.instanceUrl },
      };
    };
    // Most calls find a valid token: read it without the row lock, which would wait for every sync commit
    // holding a key-share lock on the connection through its foreign keys.
    const seen = current(await this.repo.get(workspaceId, id));
    if (seen.token) return seen.token;
    try {
      return await this.repo.transaction(async (em) => {
        // Again under the lock: another caller may have refreshed it meanwhile.
        const { c, token } = current(await this.repo.get(workspaceId, id, em, true));
        if (token) return token;
        const fresh = await this.provider(c.provider).refresh({
          refreshToken: this.box.open(c.refreshTokenEnc),
          instanceUrl: c.instanceUrl,
        });
        await this.repo.setTokens(
          c.id,
          {
            accessTokenEnc: this.box.seal(fresh.accessToken),
            refreshTokenEnc: this.box.seal(fresh.refreshToken),
            expiresAt: fresh.expiresAt,
            instanceUrl: fresh.instanceUrl,
          },
          em,
        );
        return { accessToken: fresh.accessToken, instanceUrl: fresh.instanceUrl ?? c.instanceUrl };
      });
    } catch (e) {
      if (e instanceof GrantRevokedError) {
        await this.repo.setStatus(
          id,
          'needs_reauth',
          `The CRM refused the stored grant (${e.message}). Connect again.`,
        );
        throw needsReauth(e.message);
      }
      throw e;
    }
  }

  /** Verifies the connection against the provider now, refreshing once if the session has lapsed. */
  async check(workspaceId: string, id: string): Promise<ConnectionRow> {
    const c = await this.repo.get(workspaceId, id);
    if (!c) throw notFound();
    const p = this.provider(c.provider);
    try {
      try {
        await p.check(await this.accessToken(workspaceId, id));
      } catch (e) {
        if (!(e instanceof GrantRevokedError)) throw e;
        await p.check(await this.accessToken(workspaceId, id, true));
      }
      await this.repo.setStatus(id, 'active', null);
    } catch (e) {
      if (e instanceof DomainError && e.code === 'connections.needs_reauth') {
        // status already recorded
      } else {
        await this.repo.setStatus(id, 'error', (e as Error).message);
      }
    }
    return (await this.repo.get(workspaceId, id))!;
  }

  /** How often the connection is pulled on schedule: whole minutes from 5 to 1,440 (24 h). */
  async setSyncInterval(workspaceId: string, id: string, minutes: number): Promise<ConnectionRow> {
    if (!Number.isInteger(minutes) || minutes < SYNC_INTERVAL.min || minutes > SYNC_INTERVAL.max) {
      throw new DomainError(
        'validation.failed',
        `The sync interval must be a whole number of minutes from ${SYNC_INTERVAL.min} to ${SYNC_INTERVAL.max} (24 hours).`,
      );
    }
    if (!(await this.repo.get(workspaceId, id))) throw notFound();
    await this.repo.setSyncInterval(workspaceId, id, minutes);
    return (await this.repo.get(workspaceId, id))!;
  }

  /** Salesforce's report of the org's API allowance use, kept for pacing and for the admin to see. */
  recordApiUsage(id: string, used: number, limit: number): Promise<void> {
    return this.repo.setApiUsage(id, used, limit);
  }

  /** Revokes the grant at the provider (already-revoked is fine) and forgets the tokens. */
  async disconnect(workspaceId: string, id: string): Promise<void> {
    const c = await this.repo.get(workspaceId, id);
    if (!c) throw notFound();
    try {
      await this.provider(c.provider).revoke(this.box.open(c.refreshTokenEnc));
    } catch (e) {
      this.log.warn(
        `revoking the ${c.provider} grant failed; removing the connection anyway: ${(e as Error).message}`,
      );
    }
    await this.repo.remove(workspaceId, id);
  }

  private provider(provider: Provider): OAuthProvider {
    const p = oauthProvider(this.config, provider);
    if (!p) {
      const prefix = provider.toUpperCase();
      throw new DomainError(
        'connections.not_configured',
        `${provider} is not set up on this server: set ${prefix}_CLIENT_ID and ${prefix}_CLIENT_SECRET.`,
      );
    }
    return p;
  }
}

function notFound() {
  return new DomainError('connections.not_found', 'No such connection in this workspace.');
}

function needsReauth(reason: string | null) {
  return new DomainError(
    'connections.needs_reauth',
    `This connection needs to be authorised again${reason ? `: ${reason}` : '.'}`,
  );
}
