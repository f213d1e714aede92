import { Inject, Injectable, Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { DomainError } from '../../common/errors/domain-error';
import type { CairnConfig } from '../../config/config';
import { CONFIG } from '../../config/config.module';
import { ConnectionsService } from '../connections/connections.service';
import { BUDGETS, RateBudget } from '../connections/rate-budget';
import { apiUsagePause } from './api-usage';
import {
  RateLimitedError,
  SessionExpiredError,
  type CrmProvider,
  type PulledPage,
  type StreamState,
} from './crm-records';
import type { SyncConnection } from './crm-sync.repository';
import { HubSpotPuller, hubspotCallsPerPage } from './hubspot-puller';
import { SalesforcePuller } from './salesforce-puller';

export interface Puller {
  page(stream: string, state: StreamState): Promise<PulledPage>;
  estimate(stream: string, state: StreamState): Promise<number>;
  /** Salesforce: `Sforce-Limit-Info` as last reported. */
  apiUsage?(): { used: number; limit: number } | null;
}

/** A pause up to this long is waited out in the page; longer ones go back to the caller as a rate limit. */
const INLINE_PAUSE_MS = 30_000;
/** A page fetched ahead and not asked for within this long is dropped. */
const AHEAD_TTL_MS = 2 * 60_000;

/** Requests one page of a stream costs at most; Salesforce pages are one query call. */
function callsPerPage(provider: CrmProvider, stream: string): number {
  return provider === 'hubspot' ? hubspotCallsPerPage(stream) : 1;
}

/** Pages fetched ahead are kept per run and stream: the streams of a phase are pulled side by side. */
const aheadKey = (runId: string, stream: string) => `${runId}\u0000${stream}`;

function stateKey(runId: string, stream: string, s: StreamState): string {
  const t = (d: Date | null) => (d ? new Date(d).getTime() : null);
  return JSON.stringify([runId, stream, t(s.cursor), s.after ?? null, t(s.windowFrom), t(s.maxSeen)]);
}

/**
 * Fetches pages from the CRM within the connection's request budget and the org's API allowance, refreshing a
 * lapsed session once. While one page is being committed, the next one of the stream can be fetched ahead
 * (its cursor is already known), so the database work of a page overlaps the CRM calls of the next and the
 * request budget, not the commit, sets the pace. A page fetched ahead is used only by the call that asks for
 * exactly that stream state; otherwise it is dropped.
 */
@Injectable()
export class PageFetcher {
  private readonly log = new Logger('crm-sync');
  private readonly ahead = new Map<string, { key: string; page: Promise<PulledPage | null>; at: number }>();

  constructor(
    @Inject(ConnectionsService) private readonly connections: ConnectionsService,
    @Inject(RateBudget) private readonly budget: RateBudget,
    @Inject(CONFIG) private readonly config: CairnConfig,
  ) {}

  /** The page of `stream` at `from`: the one fetched ahead for it, if any, else fetched now. */
  async page(
    workspaceId: string,
    runId: string,
    c: SyncConnection,
    stream: string,
    from: StreamState,
  ): Promise<PulledPage> {
    const ahead = this.ahead.get(aheadKey(runId, stream));
    this.ahead.delete(aheadKey(runId, stream));
    if (ahead && ahead.key === stateKey(runId, stream, from)) {
      const page = await ahead.page;
      if (page) return page;
    }
    // The org's daily API allowance is shared with its other integrations: slow down as it runs out.
    const pause = apiUsagePause(c.apiUsageUsed, c.apiUsageLimit);
    if (pause > INLINE_PAUSE_MS) {
      throw new RateLimitedError(
        `Salesforce: ${c.apiUsageUsed} of ${c.apiUsageLimit} daily API requests used; pulling resumes later`,
        pause,
      );
    }
    if (pause > 0) await sleep(pause);
    return this.fetch(workspaceId, runId, c, stream, from);
  }

  /** Starts fetching the page of `stream` at `state` for the run's next call (not when pacing says wait). */
  fetchAhead(
    workspaceId: string,
    runId: string,
    c: SyncConnection,
    stream: string,
    state: StreamState,
  ): void {
    if (apiUsagePause(c.apiUsageUsed, c.apiUsageLimit) > 0) return;
    for (const [id, a] of this.ahead) if (Date.now() - a.at > AHEAD_TTL_MS) this.ahead.delete(id);
    const page = this.fetch(workspaceId, runId, c, stream, state).catch((e: Error) => {
      this.log.debug(`page fetched ahead for ${runId} failed (fetched again when asked for): ${e.message}`);
      return null;
    });
    this.ahead.set(aheadKey(runId, stream), { key: stateKey(runId, stream, state), page, at: Date.now() });
  }

  /** Forgets the page fetched ahead for a stream (its page was not committed), or for every stream of a run. */
  drop(runId: string, stream?: string): void {
    if (stream !== undefined) this.ahead.delete(aheadKey(runId, stream));
    else
      for (const key of [...this.ahead.keys()]) if (key.startsWith(`${runId}\u0000`)) this.ahead.delete(key);
  }

  async puller(
    workspaceId: string,
    connectionId: string,
    provider: CrmProvider,
    force = false,
  ): Promise<Puller> {
    const token = await this.connections.accessToken(workspaceId, connectionId, force);
    if (provider === 'hubspot') {
      const cfg = this.config.crm.hubspot;
      if (!cfg) throw new DomainError('connections.not_configured', 'HubSpot is not set up on this server.');
      return new HubSpotPuller(cfg.apiUrl, token.accessToken);
    }
    if (!token.instanceUrl) throw new Error('The Salesforce connection has no instance URL; connect again.');
    return new SalesforcePuller(token.instanceUrl, token.accessToken);
  }

  private async fetch(
    workspaceId: string,
    runId: string,
    c: SyncConnection,
    stream: string,
    from: StreamState,
  ): Promise<PulledPage> {
    // Pull and write-back share one request budget per connection, across every process.
    await this.budget.acquire(c.id, BUDGETS[c.provider], callsPerPage(c.provider, stream));
    let puller = await this.puller(workspaceId, c.id, c.provider);
    try {
      return await puller.page(stream, from);
    } catch (e) {
      if (!(e instanceof SessionExpiredError)) throw e;
      // The session lapsed (Salesforce sessions time out; tokens get revoked): refresh once and try again.
      this.log.log(`${c.provider} session expired during sync ${runId}; refreshing`);
      puller = await this.puller(workspaceId, c.id, c.provider, true);
      return await puller.page(stream, from);
    } finally {
      const usage = puller.apiUsage?.();
      if (usage) await this.connections.recordApiUsage(c.id, usage.used, usage.limit);
    }
  }
}
