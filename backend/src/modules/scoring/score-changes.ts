import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface ScoreChange {
  profileId: string;
  stage: { from: string | null; to: string; reason: string };
  risk: { from: number | null; to: number | null };
  conversion: number | null;
  reasons: string[];
  /** Events since the person was last scored (journeys' event triggers). */
  events: { event: string; properties: Record<string, unknown> }[];
}

export type ScoreChangeHandler = (
  workspaceId: string,
  changes: ScoreChange[],
  db: EntityManager,
) => Promise<void>;

/**
 * Where scoring hands its results on — CRM write-back, outbound events, journey triggers — without depending
 * on those modules. Handlers run inside the scoring transaction: a write-back outbox row commits with the
 * score, and a crash before commit re-queues the person, so consumers see every change at least once.
 */
@Injectable()
export class ScoreChanges {
  private readonly handlers: { name: string; handle: ScoreChangeHandler }[] = [];

  subscribe(name: string, handle: ScoreChangeHandler): void {
    this.handlers.push({ name, handle });
  }

  async publish(workspaceId: string, changes: ScoreChange[], db: EntityManager): Promise<void> {
    if (!changes.length) return;
    for (const h of this.handlers) await h.handle(workspaceId, changes, db);
  }
}
