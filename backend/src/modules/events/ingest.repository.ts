import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { preparedStatements } from '../../database/prepared-statements';
import type { SqlRunner } from '../identity/profile-merge';
import type { TrackedMessage } from '../segment/segment-message';
import type { Mapping } from '../taxonomy/taxonomy-rules';
import { encodeEntries, type InboxEntry } from './inbox-entry';

export interface IngestResult {
  accepted: number;
  duplicates: number;
}

interface Pending {
  workspaceId: string;
  entries: InboxEntry[];
  resolve: (r: IngestResult) => void;
  reject: (e: unknown) => void;
}

/** Transactions in flight at once per process: about one per core keeps PostgreSQL busy without queueing. */
const MAX_WRITERS = 2;
/** Events per group-commit transaction, and so at most per inbox row: about one resolver batch. */
const MAX_GROUP_EVENTS = 2_000;

/**
 * The acknowledging half of ingestion: appends the messages to the inbox, in one transaction for many requests,
 * so a 200 means they are durable. De-duplication against earlier requests, identity resolution and the events
 * themselves are written after, in bulk (ResolutionRepository): a burst is taken at the speed of an append, not
 * at the speed of resolving people.
 */
@Injectable()
export class IngestRepository {
  private readonly pending: Pending[] = [];
  private writers = 0;
  private lastWriteAt = 0;

  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  /**
   * Resolves once the messages are committed. Requests that arrive while a transaction is running are
   * committed together in the next one (group commit): one set of statements and one fsync for many batches.
   */
  ingest(
    workspaceId: string,
    sourceId: string | null,
    messages: TrackedMessage[],
    mappings: Mapping[],
  ): Promise<IngestResult> {
    if (!messages.length) return Promise.resolve({ accepted: 0, duplicates: 0 });
    const entries = messages.map((message, i) => ({ sourceId, message, mapping: mappings[i]! }));
    return new Promise((resolve, reject) => {
      this.pending.push({ workspaceId, entries, resolve, reject });
      this.drain();
    });
  }

  /** How long no acknowledgement has been written or waiting: 0 while requests are arriving. */
  quietForMs(): number {
    return this.writers > 0 || this.pending.length > 0 ? 0 : Date.now() - this.lastWriteAt;
  }

  private drain(): void {
    while (this.writers < MAX_WRITERS && this.pending.length) {
      const group: Pending[] = [];
      let events = 0;
      while (
        this.pending.length &&
        (events === 0 || events + this.pending[0]!.entries.length <= MAX_GROUP_EVENTS)
      ) {
        const next = this.pending.shift()!;
        events += next.entries.length;
        group.push(next);
      }
      this.writers++;
      void this.commitGroup(group).finally(() => {
        this.writers--;
        this.lastWriteAt = Date.now();
        this.drain();
      });
    }
  }

  private async commitGroup(group: Pending[]): Promise<void> {
    try {
      const results = await this.transaction(group);
      group.forEach((p, i) => p.resolve(results[i]!));
    } catch (e) {
      if (group.length === 1) return group[0]!.reject(e);
      // One bad request must not fail the others it was grouped with: each is tried on its own.
      for (const p of group) {
        await this.transaction([p]).then(([r]) => p.resolve(r!), p.reject);
      }
    }
  }

  private async transaction(group: Pending[]): Promise<IngestResult[]> {
    const qr = this.ds.createQueryRunner();
    const db = await preparedStatements(qr);
    try {
      await qr.startTransaction();
      const results = new Array<IngestResult>(group.length);
      for (const workspaceId of new Set(group.map((p) => p.workspaceId))) {
        const items = group.map((p, i) => ({ p, i })).filter(({ p }) => p.workspaceId === workspaceId);
        const stored = await this.append(
          db,
          workspaceId,
          items.flatMap(({ p }) => p.entries),
        );
        let offset = 0;
        for (const { p, i } of items) {
          const accepted = stored.slice(offset, offset + p.entries.length).filter(Boolean).length;
          results[i] = { accepted, duplicates: p.entries.length - accepted };
          offset += p.entries.length;
        }
      }
      await qr.commitTransaction();
      return results;
    } catch (e) {
      if (qr.isTransactionActive) await qr.rollbackTransaction();
      throw e;
    } finally {
      await qr.release();
    }
  }

  /**
   * Appends the messages to the inbox; says, per message, whether it was taken (false: its messageId came
   * earlier in the same group). Repeats of earlier requests are dropped when resolved: the messageId ledger is
   * written there, in the transaction that writes the events.
   */
  private async append(db: SqlRunner, workspaceId: string, entries: InboxEntry[]): Promise<boolean[]> {
    const seen = new Set<string>();
    const taken = entries.map((e) => !seen.has(e.message.messageId) && !!seen.add(e.message.messageId));
    const kept = entries.filter((_, i) => taken[i]);
    await db.query(`INSERT INTO event_inbox (workspace_id, events, entries) VALUES ($1, $2, $3)`, [
      workspaceId,
      kept.length,
      encodeEntries(kept),
    ]);
    return taken;
  }
}
