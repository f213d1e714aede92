import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ScoreChanges, type ScoreChange } from '../scoring/score-changes';
import { OutboundEventsService } from './outbound-events.service';

/** A move of at least this much in drop-off risk is news worth sending to other tools. */
const RISK_STEP = 0.1;

/**
 * Tells other tools (through the workspace's Segment write key, when configured) when a person changes stage or
 * their drop-off risk moves markedly, so they can act on it too.
 */
@Injectable()
export class ScoreEventsSubscriber implements OnModuleInit {
  constructor(
    @Inject(ScoreChanges) private readonly changes: ScoreChanges,
    @Inject(OutboundEventsService) private readonly outbound: OutboundEventsService,
  ) {}

  onModuleInit(): void {
    this.changes.subscribeCommitted('segment-outbound', (workspaceId, changes) =>
      this.send(workspaceId, changes),
    );
  }

  private async send(workspaceId: string, changes: ScoreChange[]): Promise<void> {
    for (const c of changes) {
      const who = { profileId: c.profileId };
      if (c.stage.from !== null && c.stage.from !== c.stage.to) {
        const sent = await this.outbound.emit(workspaceId, 'Journey Stage Changed', who, {
          from_stage: c.stage.from,
          to_stage: c.stage.to,
          reason: c.stage.reason,
        });
        if (sent === 'not-configured') return;
      }
      const { from, to } = c.risk;
      if (from !== null && to !== null && Math.abs(to - from) >= RISK_STEP) {
        const sent = await this.outbound.emit(workspaceId, 'Drop-off Risk Changed', who, {
          previous_risk: Math.round(from * 100),
          risk: Math.round(to * 100),
          reasons: c.reasons,
        });
        if (sent === 'not-configured') return;
      }
    }
  }
}
