import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { CONFIG } from '../../config/config.module';
import type { CairnConfig } from '../../config/config';
import type { InboxEntry } from '../events/inbox-entry';
import { IngestRepository } from '../events/ingest.repository';
import { ResolutionRepository } from '../events/resolution.repository';
import { SuppressionService } from '../privacy/suppression.service';

/**
 * Events per resolving transaction: enough to amortise the per-statement costs; more gains nothing measurable
 * and holds more identity locks (one per identifier) for longer.
 */
const MAX_EVENTS = 2_000;
/** How often the inbox is looked at without being told: rows left by a killed process or another API process. */
const POLL_MS = 1_000;
/** While requests keep arriving, one batch is still resolved at least this often. */
const TRICKLE_MS = 1_000;
/** A pause in arrivals this long means the burst is over (requests from busy senders come closer together). */
const PAUSE_MS = 50;
/** How often the resolver, giving way, looks for that pause. */
const LOOK_MS = 10;

/**
 * Drains the inbox into events. Told at once when this process accepts messages, and polls besides, so what a
 * killed process acknowledged is resolved after restart. Resolvers in several processes share the inbox:
 * each takes rows the others do not hold.
 *
 * During a burst, acknowledging comes first: senders (Segment clients, webhook deliveries) time out and retry
 * when answers are slow, and an acknowledgement costs a third of what resolving does. So while this process is
 * writing acknowledgements the resolver takes one batch a second. Once arrivals pause it resolves at full
 * speed. Once the oldest waiting message is older than the configured lag (a
 * sustained overload), it stops giving way and acknowledgements wait for it: each request is admitted when as
 * many events have been resolved, so senders slow to its pace instead of the inbox growing without end.
 */
@Injectable()
export class EventResolver implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('event-resolver');
  private running: Promise<void> | undefined;
  private again = false;
  private stopping = false;
  private timer: NodeJS.Timeout | undefined;
  private lagging = false;
  /** Since when, at the latest, something has waited in the inbox: unset once a drain finds it empty. */
  private waitingSince: number | undefined;
  /** Events resolved since the first waiting request was queued, not yet spent on admitting requests. */
  private credit = 0;
  private readonly admissions: { events: number; admit: () => void }[] = [];

  constructor(
    @Inject(CONFIG) private readonly config: CairnConfig,
    @Inject(ResolutionRepository) private readonly resolution: ResolutionRepository,
    @Inject(IngestRepository) private readonly ingest: IngestRepository,
    @Inject(SuppressionService) private readonly suppression: SuppressionService,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.kick(), POLL_MS);
    this.timer.unref();
    this.kick();
  }

  /** Before the database pool closes: the batch under way commits, the rest waits in the inbox. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.settled();
  }

  /** Something may be waiting: drain now, or right after the drain under way. */
  kick(): void {
    if (this.stopping) return;
    this.waitingSince ??= Date.now();
    if (this.running) {
      this.again = true;
      return;
    }
    this.again = false;
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again) this.kick();
    });
  }

  /** Resolves when `events` more may be acknowledged: at once, unless resolution lags beyond its bound. */
  admit(events: number): Promise<void> {
    if (!this.lagging || !events) return Promise.resolve();
    return new Promise((admit) => this.admissions.push({ events, admit }));
  }

  /** Resolves when this process has no drain under way or asked for: what it acknowledged is now events. */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    try {
      while (!this.stopping) {
        if (!this.lagging) await this.giveWayToArrivals();
        const { taken, oldest } = await this.resolveNext(false);
        if (!taken) {
          this.waitingSince = undefined;
          break;
        }
        this.resolved(taken, Date.now() - oldest!.getTime() > this.config.ingest.maxLagMs);
      }
    } catch (e) {
      this.log.warn(`resolving a batch failed, retrying its messages one by one: ${(e as Error).message}`);
      try {
        const { failed } = await this.resolveNext(true);
        if (failed) this.log.error(`${failed} accepted messages could not be stored; see the event debugger`);
        this.again = true;
      } catch (e2) {
        // The database itself is failing: everything stays in the inbox for the next poll.
        this.log.error(`resolving events failed: ${(e2 as Error).message}`);
      }
    } finally {
      // Caught up, stopping or failing: nothing to pace requests by any more.
      this.resolved(0, false);
    }
  }

  private resolved(events: number, lagging: boolean): void {
    this.lagging = lagging;
    this.credit += events;
    while (this.admissions.length && (!lagging || this.credit >= this.admissions[0]!.events)) {
      const next = this.admissions.shift()!;
      this.credit = Math.max(0, this.credit - next.events);
      next.admit();
    }
    if (!this.admissions.length) this.credit = 0;
  }

  private async giveWayToArrivals(): Promise<void> {
    const until = Math.min(Date.now() + TRICKLE_MS, (this.waitingSince ?? 0) + this.config.ingest.maxLagMs);
    while (this.ingest.quietForMs() < PAUSE_MS && Date.now() < until && !this.stopping) await sleep(LOOK_MS);
  }

  private resolveNext(oneByOne: boolean) {
    return this.resolution.resolveNext(MAX_EVENTS, (ws, entries) => this.consented(ws, entries), oneByOne);
  }

  /** People erased after their messages were accepted are not brought back. */
  private async consented(workspaceId: string, entries: InboxEntry[]): Promise<InboxEntry[]> {
    const { kept, dropped } = await this.suppression.filter(
      workspaceId,
      entries.map((e) => e.message),
    );
    if (!dropped) return entries;
    const keep = new Set(kept);
    return entries.filter((e) => keep.has(e.message));
  }
}
