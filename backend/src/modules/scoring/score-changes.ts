import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface ScoreChange {
  profileId: string;
  stage: { from: string | null; to: string; label: string; reason: string };
  risk: { from: number | null; to: number | null };
  conversion: number | null;
  reasons: string[];
  /** Events since the person was last scored (journeys' event triggers). */
  events: { event: string; properties: Record<string, unknown> }[];
  /** Moves of the person's CRM deals recorded since they were last scored, oldest first (deal-stage triggers). */
  dealStages: DealStageMove[];
}

export interface DealStageMove {
  /** The stage the deal left; null for a deal first seen in this stage. */
  from: string | null;
  to: string;
}

export type ScoreChangeHandler = (
  workspaceId: string,
  changes: ScoreChange[],
  db: EntityManager,
) => Promise<void>;
export type CommittedScoreHandler = (workspaceId: string, changes: ScoreChange[]) => Promise<void>;

/**
 * Where scoring hands its results on — CRM write-back, outbound events, journey triggers — without depending
 * on those modules. Handlers run inside the scoring transaction: a write-back outbox row commits with the
 * score, and a crash before commit re-queues the person, so consumers see every change at least once.
 */
@Injectable()
export class ScoreChanges {
  private readonly log = new Logger('ScoreChanges');
  private readonly handlers: { name: string; handle: ScoreChangeHandler }[] = [];
  private readonly committedHandlers: { name: string; handle: CommittedScoreHandler }[] = [];

  subscribe(name: string, handle: ScoreChangeHandler): void {
    this.handlers.push({ name, handle });
  }

  /**
   * For effects that cannot be rolled back (a message to another system): they run once the scores are
   * committed, and a failure is logged, never undoing the scores.
   */
  subscribeCommitted(name: string, handle: CommittedScoreHandler): void {
    this.committedHandlers.push({ name, handle });
  }

  async publish(workspaceId: string, changes: ScoreChange[], db: EntityManager): Promise<void> {
    if (!changes.length) return;
    for (const h of this.handlers) await h.handle(workspaceId, changes, db);
  }

  async committed(workspaceId: string, changes: ScoreChange[]): Promise<void> {
    if (!changes.length) return;
    for (const h of this.committedHandlers) {
      await h.handle(workspaceId, changes).catch((e: Error) => this.log.warn(`${h.name}: ${e.message}`));
    }
  }
}
