import { Inject, Injectable } from '@nestjs/common';
import type { InactivityJourney, InactivitySweepPage, JourneySweepActivities } from '@cairn/workflows';
import { DataSource } from 'typeorm';
import { runLimited } from '../../common/async/run-limited';
import { JourneyTriggerRouter } from './journey-trigger-router';

/** People routed per activity call. */
const PAGE = 200;
/** People routed at once within a page. */
const CONCURRENCY = 4;
const DAY_MS = 86_400_000;

/**
 * Inactivity triggers: a scheduled sweep (`journeyInactivityWorkflow`) finds, per live inactivity journey and a
 * page at a time, the people of its workspace not seen for at least its days, and routes each an `inactive`
 * signal aimed at that journey. A quiet spell is the person's last-seen time: once routed (whatever the router
 * decided under the entry policy) it is marked for the journey, and only a later last-seen — the person came
 * back and went quiet again — makes a new spell.
 */
@Injectable()
export class JourneyInactivitySweep {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(JourneyTriggerRouter) private readonly router: JourneyTriggerRouter,
  ) {}

  journeys(): Promise<InactivityJourney[]> {
    return this.ds.query(
      `SELECT j.workspace_id AS "workspaceId", j.id AS "journeyId", v.id AS "versionId",
              (v.definition->'trigger'->>'days')::int AS days
         FROM journeys j JOIN journey_versions v ON v.id = j.current_version_id
        WHERE j.status = 'active' AND v.definition->'trigger'->>'kind' = 'inactivity'
        ORDER BY j.workspace_id, j.id`,
    );
  }

  async sweepPage(
    journey: InactivityJourney,
    asOf: Date,
    after: string | null,
  ): Promise<InactivitySweepPage> {
    // last_seen_at goes back as text: a JS Date would drop its microseconds and never match the mark again.
    const idle: { id: string; lastSeen: string; idleMs: string }[] = await this.ds.query(
      `SELECT p.id, p.last_seen_at::text AS "lastSeen",
              (extract(epoch FROM $3::timestamptz - p.last_seen_at) * 1000)::bigint AS "idleMs"
         FROM profiles p
        WHERE p.workspace_id = $1 AND p.merged_into IS NULL AND p.consent <> 'denied'
          AND p.last_seen_at <= $3::timestamptz - make_interval(days => $4)
          AND ($5::uuid IS NULL OR p.id > $5)
          AND NOT EXISTS (SELECT 1 FROM journey_inactivity_marks m
                           WHERE m.journey_id = $2 AND m.profile_id = p.id AND m.quiet_since >= p.last_seen_at)
        ORDER BY p.id LIMIT $6`,
      [journey.workspaceId, journey.journeyId, asOf, journey.days, after, PAGE],
    );
    const options = {
      journeyIds: new Set([journey.journeyId]),
      live: idle.length ? await this.router.liveJourneys(journey.workspaceId) : [],
    };
    let enrolled = 0;
    const { done, failure } = await runLimited(idle, CONCURRENCY, async (p) => {
      const r = await this.router.route(
        journey.workspaceId,
        p.id,
        [{ kind: 'inactive', idleDays: Math.floor(Number(p.idleMs) / DAY_MS) }],
        options,
      );
      enrolled += r.enrolled.length;
    });
    // Spells routed are marked even when another person failed: the retried page skips them.
    if (done.length) {
      await this.ds.query(
        `INSERT INTO journey_inactivity_marks (journey_id, profile_id, workspace_id, quiet_since)
         SELECT $1, p, $2, q FROM unnest($3::uuid[], $4::timestamptz[]) AS u(p, q)
         ON CONFLICT (journey_id, profile_id) DO UPDATE SET quiet_since = EXCLUDED.quiet_since, routed_at = now()`,
        [journey.journeyId, journey.workspaceId, done.map((p) => p.id), done.map((p) => p.lastSeen)],
      );
    }
    if (failure) throw failure.error;
    return {
      next: idle.length === PAGE ? idle[idle.length - 1]!.id : null,
      routed: done.length,
      enrolled,
    };
  }
}

export function createJourneySweepActivities(sweep: JourneyInactivitySweep): JourneySweepActivities {
  return {
    inactivityJourneys: () => sweep.journeys(),
    sweepInactivityPage: ({ journey, asOf, after }) => sweep.sweepPage(journey, new Date(asOf), after),
  };
}
