import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DomainError } from '../../common/errors/domain-error';
import { loadValues, type StoredValues } from './crm-fields';
import type { WriteFailure } from './crm-writes';
import { BULK_JOB_MAX, WriteBackService, type WriteBackUpdate } from './writeback.service';
import {
  WritebackOutboxRepository,
  type ClaimedRow,
  type ConnectionQueue,
  type RowRef,
} from './writeback-outbox.repository';

/** A Salesforce connection with at least this many rows due writes them through Bulk API 2.0 jobs. */
export const BULK_THRESHOLD = 2_000;
/** A record the CRM refused this many times is given up on (`failed`) until its values change again. */
export const MAX_ATTEMPTS = 5;

export interface DrainOptions {
  /** How long a pass may go on claiming more rows (default 60 s). */
  maxMs?: number;
  /** First back-off after a passing failure; doubles per attempt up to an hour (default 5 s). */
  backoffBaseMs?: number;
  bulkThreshold?: number;
  bulkPollIntervalMs?: number;
  /** For tests: runs after the CRM accepted a batch and before it is marked sent (a crash there). */
  afterWrite?: (connectionId: string, written: RowRef[]) => Promise<void>;
}

export interface DrainResult {
  sent: number;
  failed: number;
  due: number;
  waitMs: number | null;
}

const HUBSPOT_CLAIM = 100;
/** HubSpot batches are small and many: three lanes keep its request budget busy. */
export const HUBSPOT_LANES = 3;
const COLLECTIONS_CLAIM = 200;
const LEASE_MS = 2 * 60_000;
const BULK_LEASE_MS = 15 * 60_000;
const HOUR = 3_600_000;

/**
 * The consumer side of write-back: claims due outbox rows per connection (leased, so a drain that dies loses
 * nothing), writes them in the CRM's batch sizes, and marks sent only what the CRM accepted. Rate limits pause
 * the connection's rows for the advised time; passing failures back off exponentially; a lost grant leaves the
 * rows pending until the admin connects again.
 */
@Injectable()
export class WritebackDrainService {
  private readonly log = new Logger('writeback');

  constructor(
    @Inject(WritebackOutboxRepository) private readonly repo: WritebackOutboxRepository,
    @Inject(WriteBackService) private readonly writer: WriteBackService,
  ) {}

  /** One pass over the workspace's connections, side by side (the Temporal activity). */
  async drainWorkspace(workspaceId: string, options: DrainOptions = {}): Promise<DrainResult> {
    const deadline = Date.now() + (options.maxMs ?? 60_000);
    await this.repo.refreshStatisticsIfStale();
    const queues = (await this.repo.queues(workspaceId)).filter(active);
    const done = await Promise.all(
      queues.filter((q) => q.due > 0).map((q) => this.drainConnection(workspaceId, q, deadline, options)),
    );
    const after = (await this.repo.queues(workspaceId)).filter(active);
    const due = after.reduce((n, q) => n + q.due, 0);
    const next = after.filter((q) => q.nextAt).map((q) => q.nextAt!.getTime());
    return {
      sent: done.reduce((n, d) => n + d.sent, 0),
      failed: done.reduce((n, d) => n + d.failed, 0),
      due,
      waitMs: due === 0 && next.length ? Math.max(0, Math.min(...next) - Date.now()) : null,
    };
  }

  /** Drains in this process until nothing waits or `timeoutMs` passes (CLI, tests, benchmarks). */
  async drainNow(
    workspaceId: string,
    options: DrainOptions & { timeoutMs?: number } = {},
  ): Promise<{ sent: number; failed: number; due: number; waitMs: number | null }> {
    const until = Date.now() + (options.timeoutMs ?? 120_000);
    let sent = 0;
    let failed = 0;
    for (;;) {
      const r = await this.drainWorkspace(workspaceId, options);
      sent += r.sent;
      failed += r.failed;
      if (r.due === 0 && r.waitMs === null) return { sent, failed, due: 0, waitMs: null };
      if (Date.now() >= until) return { sent, failed, due: r.due, waitMs: r.waitMs };
      if (r.due === 0) await sleep(Math.min(r.waitMs ?? 0, until - Date.now()) + 5);
    }
  }

  private async drainConnection(
    workspaceId: string,
    q: ConnectionQueue,
    deadline: number,
    options: DrainOptions,
  ): Promise<{ sent: number; failed: number }> {
    const totals = { sent: 0, failed: 0 };
    let stop = false;
    // HubSpot: three lanes claim and write side by side, so one batch's database work overlaps the other's CRM
    // call and the request budget, not this loop, sets the pace; SKIP LOCKED keeps their rows apart. Salesforce
    // writes big Bulk API 2.0 jobs or a few Collections calls: one lane.
    const lane = async () => {
      while (!stop && Date.now() < deadline) {
        // Salesforce goes through Bulk API 2.0 while many rows are due, through Collections calls otherwise.
        const due = q.provider === 'salesforce' ? await this.dueOf(workspaceId, q.connectionId) : q.due;
        const bulk = q.provider === 'salesforce' && due >= (options.bulkThreshold ?? BULK_THRESHOLD);
        const limit = q.provider === 'hubspot' ? HUBSPOT_CLAIM : bulk ? BULK_JOB_MAX : COLLECTIONS_CLAIM;
        const token = randomUUID();
        const rows = await this.repo.claim(q.connectionId, limit, bulk ? BULK_LEASE_MS : LEASE_MS, token);
        if (!rows.length) return;
        const step = await this.send(workspaceId, q.connectionId, token, rows, bulk, options);
        totals.sent += step.sent;
        totals.failed += step.failed;
        if (step.stop) stop = true;
      }
    };
    // Both lanes finish before a failure goes up: none is left running behind the caller's back.
    const lanes = q.provider === 'hubspot' ? HUBSPOT_LANES : 1;
    const ended = await Promise.allSettled(Array.from({ length: lanes }, lane));
    const failure = ended.find((e): e is PromiseRejectedResult => e.status === 'rejected');
    if (failure) throw failure.reason;
    return totals;
  }

  private async dueOf(workspaceId: string, connectionId: string): Promise<number> {
    return (await this.repo.queues(workspaceId)).find((x) => x.connectionId === connectionId)?.due ?? 0;
  }

  /** Writes one claimed batch and settles every row of it; `stop` when the connection must wait. */
  private async send(
    workspaceId: string,
    connectionId: string,
    token: string,
    rows: ClaimedRow[],
    bulk: boolean,
    options: DrainOptions,
  ): Promise<{ sent: number; failed: number; stop: boolean }> {
    const optedOut = rows.filter((r) => r.consent === null || r.consent === 'denied');
    await this.repo.cancel(connectionId, token, optedOut, 'The person opted out of write-back.');
    const rowsToSend = rows.filter((r) => r.consent !== null && r.consent !== 'denied');
    if (!rowsToSend.length) return { sent: 0, failed: 0, stop: false };
    let result: { written: number; failed: WriteFailure[] };
    try {
      result = await this.writer.write(workspaceId, connectionId, rowsToSend.map(updateOf), {
        bulk,
        stopOnRateLimit: true,
        clientRetries: false,
        ...(options.bulkPollIntervalMs ? { bulkPollIntervalMs: options.bulkPollIntervalMs } : {}),
      });
    } catch (e) {
      // The grant is gone (or the connection): the rows wait, unchanged, for the admin to connect again.
      const lost = e instanceof DomainError;
      const reason = (e as Error).message;
      await this.repo.retryLater(
        connectionId,
        token,
        rowsToSend.map((r) => ({
          ...ref(r),
          reason,
          delayMs: lost ? 0 : this.backoff(r.attempts + 1, options),
          dead: false,
          counts: !lost,
        })),
      );
      if (!lost) this.log.warn(`write-back to ${connectionId} failed: ${reason}`);
      return { sent: 0, failed: rowsToSend.length, stop: true };
    }
    const failedIds = new Map(result.failed.map((f) => [f.recordId, f]));
    const accepted = rowsToSend.filter((r) => !failedIds.has(r.recordId));
    await options.afterWrite?.(connectionId, accepted.map(ref));
    const marked = await this.repo.markSent(
      connectionId,
      token,
      accepted.map((r) => ({ ...ref(r), version: r.version, key: r.valuesKey })),
    );
    if (marked.length < accepted.length) await this.clearErased(workspaceId, connectionId, accepted, marked);
    const byId = new Map(rowsToSend.map((r) => [r.recordId, r]));
    await this.repo.retryLater(
      connectionId,
      token,
      [...failedIds.values()]
        .filter((f) => byId.has(f.recordId))
        .map((f) => this.settle(byId.get(f.recordId)!, f, options)),
    );
    const waits = result.failed.filter((f) => f.retryAfterMs !== undefined).map((f) => f.retryAfterMs!);
    if (waits.length) await this.repo.pause(connectionId, new Date(Date.now() + Math.max(...waits)));
    return { sent: marked.length, failed: result.failed.length, stop: waits.length > 0 };
  }

  private settle(row: ClaimedRow, f: WriteFailure, options: DrainOptions) {
    if (f.retryAfterMs !== undefined)
      return { ...ref(row), reason: f.reason, delayMs: f.retryAfterMs, dead: false, counts: false };
    const attempts = row.attempts + 1;
    return {
      ...ref(row),
      reason: f.reason,
      delayMs: this.backoff(attempts, options),
      dead: !f.retryable && attempts >= MAX_ATTEMPTS,
      counts: true,
    };
  }

  private backoff(attempts: number, options: DrainOptions): number {
    return Math.min(HOUR, (options.backoffBaseMs ?? 5_000) * 2 ** Math.max(0, attempts - 1));
  }

  /**
   * Rows that vanished between claim and marking belonged to a person erased meanwhile, whose erasure may have
   * cleared the CRM fields before this batch landed: clear them again.
   */
  private async clearErased(
    workspaceId: string,
    connectionId: string,
    accepted: ClaimedRow[],
    marked: RowRef[],
  ): Promise<void> {
    const key = (r: RowRef) => `${r.object}/${r.recordId}`;
    const done = new Set(marked.map(key));
    const missing = accepted.filter((r) => !done.has(key(r))).map(ref);
    const still = new Set((await this.repo.existing(connectionId, missing)).map(key));
    const gone = missing.filter((r) => !still.has(key(r)));
    if (!gone.length) return;
    try {
      await this.writer.write(
        workspaceId,
        connectionId,
        gone.map((r) => ({
          recordId: r.recordId,
          object: r.object as WriteBackUpdate['object'],
          values: null,
        })),
      );
    } catch (e) {
      this.log.warn(
        `could not clear ${gone.length} erased records in ${connectionId}: ${(e as Error).message}`,
      );
    }
  }
}

function active(q: ConnectionQueue): boolean {
  return q.status !== 'needs_reauth';
}

function ref(r: ClaimedRow): RowRef {
  return { object: r.object, recordId: r.recordId };
}

function updateOf(r: ClaimedRow): WriteBackUpdate {
  return {
    recordId: r.recordId,
    ...(r.object === 'contacts' ? {} : { object: r.object as 'Contact' | 'Lead' }),
    values: loadValues(r.values as StoredValues | null),
  };
}
