import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Who can be scored at an as-of time, and what happened to them after it. */
@Injectable()
export class TrainingRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  /**
   * People active in the 90 days before `asOf` who had not yet converted: the population a score is for.
   * Opted-out people are never trained on or scored.
   */
  async eligible(workspaceId: string, asOf: Date, goalEvent: string | null): Promise<string[]> {
    const rows: { profile_id: string }[] = await this.ds.query(
      `SELECT DISTINCT e.profile_id FROM events e JOIN profiles p ON p.id = e.profile_id
        WHERE e.workspace_id = $1 AND e."timestamp" < $2 AND e."timestamp" >= $2::timestamptz - interval '90 days'
          AND p.merged_into IS NULL AND p.consent <> 'denied'
          AND ($3::text IS NULL OR NOT EXISTS (SELECT 1 FROM events g WHERE g.workspace_id = $1
                AND g.profile_id = e.profile_id AND g.canonical_event = $3 AND g."timestamp" < $2))
        ORDER BY e.profile_id`,
      [workspaceId, asOf, goalEvent],
    );
    return rows.map((r) => r.profile_id);
  }

  /** Converted = the goal event within `horizonDays` from `asOf` (the label is only ever after the features). */
  async converted(
    workspaceId: string,
    profileIds: string[],
    asOf: Date,
    goalEvent: string,
    horizonDays: number,
  ): Promise<Set<string>> {
    const rows: { profile_id: string }[] = await this.ds.query(
      `SELECT DISTINCT profile_id FROM events
        WHERE workspace_id = $1 AND profile_id = ANY($2::uuid[]) AND canonical_event = $3
          AND "timestamp" >= $4 AND "timestamp" < $4::timestamptz + make_interval(days => $5)`,
      [workspaceId, profileIds, goalEvent, asOf, horizonDays],
    );
    return new Set(rows.map((r) => r.profile_id));
  }
}
