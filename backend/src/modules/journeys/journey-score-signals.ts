import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { JourneySignal } from '@cairn/workflows';
import { DataSource, type EntityManager } from 'typeorm';
import { runLimited } from '../../common/async/run-limited';
import { ScoreChanges, type ScoreChange } from '../scoring/score-changes';
import { JourneySegments } from './journey-segments';
import { JourneyTriggerRouter, type RouteOptions } from './journey-trigger-router';

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
  for (const d of change.dealStages) signals.push({ kind: 'deal_stage_changed', from: d.from, to: d.to });
  return signals;
}

/**
 * Hands every scoring round's changes to the trigger router: stage transitions, risk crossings, the events and
 * CRM deal stage moves since the person was last scored, and entries into segment journeys' segments (those
 * routed to their journey only). It runs inside the scoring transaction, so a failure (Temporal down)
 * re-queues the people and they are routed again: enrolment is idempotent per journey and person.
 */
@Injectable()
export class JourneyScoreSignals implements OnModuleInit {
  constructor(
    @Inject(ScoreChanges) private readonly changes: ScoreChanges,
    @Inject(JourneyTriggerRouter) private readonly router: JourneyTriggerRouter,
    @Inject(JourneySegments) private readonly segments: JourneySegments,
    @Inject(DataSource) private readonly ds: DataSource,
  ) {}

  onModuleInit(): void {
    this.changes.subscribe('journeys', (workspaceId, changes, db) => this.route(workspaceId, changes, db));
  }

  async route(workspaceId: string, changes: ScoreChange[], db: EntityManager): Promise<void> {
    if (!changes.length || !(await this.workspaceHasJourneys(workspaceId))) return;
    const live = await this.router.liveJourneys(workspaceId);
    const work: { profileId: string; signals: JourneySignal[]; options: RouteOptions }[] = changes
      .map((c) => ({ profileId: c.profileId, signals: signalsOf(c), options: { live } }))
      .filter((w) => w.signals.length);
    for (const entry of await this.segments.evaluate(workspaceId, live, changes, db)) {
      work.push({
        profileId: entry.profileId,
        signals: [entry.signal],
        options: { journeyIds: new Set([entry.journeyId]), live },
      });
    }
    const { failure } = await runLimited(work, CONCURRENCY, (w) =>
      this.router.route(workspaceId, w.profileId, w.signals, w.options).then(() => undefined),
    );
    if (failure) throw failure.error;
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
