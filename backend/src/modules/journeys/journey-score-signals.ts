import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { JourneySignal } from '@cairn/workflows';
import { DataSource } from 'typeorm';
import { ScoreChanges, type ScoreChange } from '../scoring/score-changes';
import { JourneyTriggerRouter } from './journey-trigger-router';

/** People routed at once per scoring batch. */
const CONCURRENCY = 4;

/** What a re-scored person's change means to journeys. */
export function signalsOf(change: ScoreChange): JourneySignal[] {
  const signals: JourneySignal[] = [];
  if (change.stage.from !== change.stage.to) {
    signals.push({ kind: 'stage_changed', from: change.stage.from, to: change.stage.to });
  }
  if (change.risk.to !== null && change.risk.from !== change.risk.to) {
    signals.push({ kind: 'risk_changed', from: change.risk.from, to: change.risk.to });
  }
  for (const e of change.events) signals.push({ kind: 'event', event: e.event, properties: e.properties });
  return signals;
}

/**
 * Hands every scoring round's changes to the trigger router: stage transitions, risk crossings and the events
 * since the person was last scored. It runs inside the scoring transaction, so a failure (Temporal down)
 * re-queues the people and they are routed again: enrolment is idempotent per journey and person.
 */
@Injectable()
export class JourneyScoreSignals implements OnModuleInit {
  constructor(
    @Inject(ScoreChanges) private readonly changes: ScoreChanges,
    @Inject(JourneyTriggerRouter) private readonly router: JourneyTriggerRouter,
    @Inject(DataSource) private readonly ds: DataSource,
  ) {}

  onModuleInit(): void {
    this.changes.subscribe('journeys', (workspaceId, changes) => this.route(workspaceId, changes));
  }

  async route(workspaceId: string, changes: ScoreChange[]): Promise<void> {
    const work = changes
      .map((c) => ({ profileId: c.profileId, signals: signalsOf(c) }))
      .filter((w) => w.signals.length);
    if (!work.length || !(await this.workspaceHasJourneys(workspaceId))) return;
    let next = 0;
    const lane = async () => {
      while (next < work.length) {
        const w = work[next++]!;
        await this.router.route(workspaceId, w.profileId, w.signals);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, work.length) }, lane));
  }

  /** Most scoring rounds are for workspaces without live journeys: one cheap query skips them. */
  private async workspaceHasJourneys(workspaceId: string): Promise<boolean> {
    const [row] = await this.ds.query(
      `SELECT EXISTS (SELECT 1 FROM journeys WHERE workspace_id = $1 AND status = 'active')
           OR EXISTS (SELECT 1 FROM journey_enrollments WHERE workspace_id = $1 AND closed_at IS NULL) AS yes`,
      [workspaceId],
    );
    return row.yes === true;
  }
}
