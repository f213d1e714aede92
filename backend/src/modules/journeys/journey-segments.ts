import { Inject, Injectable } from '@nestjs/common';
import {
  matchesConditions,
  type JourneySignal,
  type JourneyTrigger,
  type ProspectSnapshot,
} from '@cairn/workflows';
import type { EntityManager } from 'typeorm';
import type { ScoreChange } from '../scoring/score-changes';
import { JourneyProspects } from './journey-prospects';
import type { LiveJourney } from './journey-trigger-router';

type SegmentTrigger = Extract<JourneyTrigger, { kind: 'segment_entered' }>;
type Sql = Pick<EntityManager, 'query'>;

/** A person who came into a journey's segment with this scoring round, and the signal that says so. */
export interface SegmentEntry {
  journeyId: string;
  profileId: string;
  signal: Extract<JourneySignal, { kind: 'profile_changed' }>;
}

/**
 * Segment-entry triggers: after each scoring round, every changed person is tested against each live segment
 * journey's conditions on their new snapshot (stage and risk as just scored, traits and account as stored), and
 * only a move from outside to inside is an entry. Who was inside is remembered per version
 * (`journey_segment_members`), written in the scoring transaction, so a re-scoring while inside enrols nobody
 * and a rolled-back round is evaluated again. A person never evaluated for the version is judged by their
 * previous stage and risk with today's traits: a newly published segment journey does not take in everyone
 * already inside, and a first risk score is no crossing into a risk segment (as with risk-crossing triggers).
 */
@Injectable()
export class JourneySegments {
  constructor(@Inject(JourneyProspects) private readonly prospects: JourneyProspects) {}

  async evaluate(
    workspaceId: string,
    live: LiveJourney[],
    changes: ScoreChange[],
    db: Sql,
  ): Promise<SegmentEntry[]> {
    const segments = live.flatMap((j) =>
      j.definition.trigger.kind === 'segment_entered'
        ? [{ journeyId: j.journeyId, versionId: j.versionId, trigger: j.definition.trigger }]
        : [],
    );
    if (!segments.length || !changes.length) return [];
    const profileIds = changes.map((c) => c.profileId);
    const [stored, known] = await Promise.all([
      this.prospects.traitsAndAccounts(workspaceId, profileIds),
      this.members(
        db,
        segments.map((s) => s.versionId),
        profileIds,
      ),
    ]);

    const entries: SegmentEntry[] = [];
    const writes: { versionId: string; profileId: string; inside: boolean }[] = [];
    for (const c of changes) {
      const person = stored.get(c.profileId);
      if (!person) continue;
      const after: ProspectSnapshot = { stage: c.stage.to, risk: c.risk.to, ...person };
      const previous: ProspectSnapshot | null =
        c.stage.from === null ? null : { stage: c.stage.from, risk: c.risk.from ?? c.risk.to, ...person };
      for (const s of segments) {
        const inside = within(s.trigger, after);
        const before = within(s.trigger, previous);
        const was = known.get(`${s.versionId}:${c.profileId}`) ?? before;
        if (was !== inside || !known.has(`${s.versionId}:${c.profileId}`)) {
          writes.push({ versionId: s.versionId, profileId: c.profileId, inside });
        }
        if (inside && !was) {
          // The router checks the transition again: `before` must be outside the segment.
          entries.push({
            journeyId: s.journeyId,
            profileId: c.profileId,
            signal: { kind: 'profile_changed', before: before ? null : previous, after },
          });
        }
      }
    }
    if (writes.length) {
      await db.query(
        `INSERT INTO journey_segment_members (version_id, profile_id, workspace_id, inside)
         SELECT v, p, $1, i FROM unnest($2::uuid[], $3::uuid[], $4::boolean[]) AS u(v, p, i)
         ON CONFLICT (version_id, profile_id) DO UPDATE SET inside = EXCLUDED.inside, evaluated_at = now()`,
        [
          workspaceId,
          writes.map((w) => w.versionId),
          writes.map((w) => w.profileId),
          writes.map((w) => w.inside),
        ],
      );
    }
    return entries;
  }

  private async members(db: Sql, versionIds: string[], profileIds: string[]): Promise<Map<string, boolean>> {
    const rows: { version_id: string; profile_id: string; inside: boolean }[] = await db.query(
      `SELECT version_id, profile_id, inside FROM journey_segment_members
        WHERE version_id = ANY($1::uuid[]) AND profile_id = ANY($2::uuid[])`,
      [versionIds, profileIds],
    );
    return new Map(rows.map((r) => [`${r.version_id}:${r.profile_id}`, r.inside]));
  }
}

function within(trigger: SegmentTrigger, snapshot: ProspectSnapshot | null): boolean {
  return snapshot !== null && matchesConditions(trigger.match, trigger.conditions, snapshot);
}
