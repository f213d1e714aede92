import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ScoreChanges } from '../scoring/score-changes';
import { WritebackOutboxService } from './writeback-outbox.service';

/**
 * Puts every re-scored person's stage, risk and reasons into the write-back outbox in the scoring transaction
 * (the outbox keeps only changed values, coalesced per record), and wakes the drain once that commits.
 */
@Injectable()
export class ScoreWritebackSubscriber implements OnModuleInit {
  /** Workspaces whose scoring transaction queued rows: only those wake the drain once it commits. */
  private readonly queued = new Set<string>();

  constructor(
    @Inject(ScoreChanges) private readonly changes: ScoreChanges,
    @Inject(WritebackOutboxService) private readonly outbox: WritebackOutboxService,
  ) {}

  onModuleInit(): void {
    this.changes.subscribe('crm-writeback', async (workspaceId, changes, db) => {
      const rows = await this.outbox.enqueue(
        workspaceId,
        changes.map((c) => ({
          profileId: c.profileId,
          values: {
            stage: c.stage.label,
            risk: c.risk.to === null ? null : Math.round(c.risk.to * 100),
            reasons: c.reasons,
            scoredAt: new Date(),
          },
        })),
        db,
      );
      if (rows) this.queued.add(workspaceId);
    });
    this.changes.subscribeCommitted('crm-writeback', (workspaceId) => {
      if (this.queued.delete(workspaceId)) this.outbox.kick(workspaceId);
      return Promise.resolve();
    });
  }
}
