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
import { RequestTurns } from './request-turns';
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

/** The prefix every key of the run (and stream, if given) starts with. */
const prefixOf = (...parts: string[]) => `${JSON.stringify(parts).slice(0, -1)},`;

/** A lane: one stream of one run (the streams of a phase are pulled side by side). */
const laneKey = (runId: string, stream: string) => prefixOf(runId, stream);

interface Lane {
  /** How long its last page took to commit: its priority for the next request slot. */
  commitMs: number;
  /** A request slot queued for ahead of knowing the next page's cursor (false: it failed). */
  slot?: Promise<boolean>;
  at: number;
}

/** A page fetched ahead is kept under its lane and the exact state it starts from. */
function stateKey(runId: string, stream: string, s: StreamState): string {
  const t = (d: Date | null) => (d ? new Date(d).getTime() : null);
  const state = JSON.stringify([t(s.cursor), s.after ?? null, t(s.windowFrom), t(s.maxSeen)]);
  return laneKey(runId, stream) + state.slice(1);
}

/**
 * Fetches pages from the CRM within the connection's request budget and the org's API allowance, refreshing a
 * lapsed session once. While one page is being committed, the next two of its stream are fetched (each page
 * carries the cursor of the next), so the database work of a page overlaps the CRM calls of the next ones and
 * the request budget, not the commit, sets the pace. A page fetched ahead is used only by the call that asks for
 * exactly the stream state it starts from.
 */
@Injectable()
export class PageFetcher {
  private readonly log = new Logger('crm-sync');
  private readonly ahead = new Map<string, { page: Promise<PulledPage | null>; at: number }>();
  private readonly turns = new RequestTurns();
  private readonly lanes = new Map<string, Lane>();

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
    const key = stateKey(runId, stream, from);
    const ahead = this.ahead.get(key);
    this.ahead.delete(key);
    if (ahead) {
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
    return this.fetch(workspaceId, runId, c, stream, from, this.takeSlot(laneKey(runId, stream)));
  }

  /**
   * Makes sure the page of `stream` at `state` and (`andNext`) the one after it are being fetched for the run's
   * next calls (not when pacing says wait). Where the CRM does not enforce the window itself, the next page's
   * request slot is queued for now and the request goes out once this page has brought the cursor it needs: with
   * two slots asked for at once, a lane that commits slowly is in the queue whenever a slot comes free, so it is
   * served first, as the turns intend.
   */
  fetchAhead(
    workspaceId: string,
    runId: string,
    c: SyncConnection,
    stream: string,
    state: StreamState,
    andNext = true,
  ): void {
    if (apiUsagePause(c.apiUsageUsed, c.apiUsageLimit) > 0) return;
    for (const map of [this.ahead, this.lanes])
      for (const [id, a] of map) if (Date.now() - a.at > AHEAD_TTL_MS) map.delete(id);
    const lane = laneKey(runId, stream);
    const key = stateKey(runId, stream, state);
    let entry = this.ahead.get(key);
    if (!entry) {
      const slot = this.takeSlot(lane);
      const page = this.fetch(workspaceId, runId, c, stream, state, slot).catch((e: Error) => {
        this.log.debug(`page fetched ahead for ${runId} failed (fetched again when asked for): ${e.message}`);
        return null;
      });
      entry = { page, at: Date.now() };
      this.ahead.set(key, entry);
    }
    if (!andNext) return;
    const next = this.lane(lane);
    if (!BUDGETS[c.provider].enforced && !next.slot)
      next.slot = this.slot(c, lane, stream).then(
        () => true,
        () => false,
      );
    const mine = entry;
    // If this page is taken meanwhile, its taker fetches ahead itself; if it is dropped, nobody wants the next.
    void mine.page.then((page) => {
      if (page && !page.finished && this.ahead.get(key) === mine)
        this.fetchAhead(workspaceId, runId, c, stream, page.next, false);
    });
  }

  /** A page of the stream took this long to commit: the slowest lanes get the next request slots. */
  committed(runId: string, stream: string, ms: number): void {
    this.lane(laneKey(runId, stream)).commitMs = ms;
  }

  /** Forgets the pages fetched ahead for a stream (its page was not committed), or for every stream of a run. */
  drop(runId: string, stream?: string): void {
    const prefix = stream === undefined ? prefixOf(runId) : laneKey(runId, stream);
    for (const map of [this.ahead, this.lanes])
      for (const key of [...map.keys()]) if (key.startsWith(prefix)) map.delete(key);
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

  /** The lane's state, kept while the lane is in use. */
  private lane(key: string): Lane {
    let lane = this.lanes.get(key);
    if (!lane) this.lanes.set(key, (lane = { commitMs: 0, at: 0 }));
    lane.at = Date.now();
    return lane;
  }

  /** The slot the lane queued for ahead, if any, now to be used. */
  private takeSlot(key: string): Promise<boolean> | undefined {
    const lane = this.lanes.get(key);
    const slot = lane?.slot;
    if (lane) lane.slot = undefined;
    return slot;
  }

  /** Waits for the connection's budget, through this process's turns: the lane that commits slowest asks first. */
  private async slot(c: SyncConnection, lane: string, stream: string): Promise<void> {
    const release = await this.turns.take(c.id, this.lanes.get(lane)?.commitMs ?? 0);
    try {
      await this.budget.acquire(c.id, BUDGETS[c.provider], callsPerPage(c.provider, stream));
    } finally {
      release();
    }
  }

  private async fetch(
    workspaceId: string,
    runId: string,
    c: SyncConnection,
    stream: string,
    from: StreamState,
    reserved?: Promise<boolean>,
  ): Promise<PulledPage> {
    // Pull and write-back share one request budget per connection, across every process.
    if (!(await reserved)) await this.slot(c, laneKey(runId, stream), stream);
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
