import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The 7-day risk trend is kept with the score (as of its scoring) instead of looked up per person on every
 * read: sorting 100k prospects by a history lookup per person took 641 ms (p50), by the stored column 156 ms.
 * No index on it: the list sorts people left-joined to their scores, a top-N sort the planner cannot take from an
 * index on the joined side, so one would only cost every score write.
 */
export class ScoreTrend1765400000000 implements MigrationInterface {
  name = 'ScoreTrend1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE profile_scores ADD COLUMN risk_week_before real`);
    await q.query(`
      UPDATE profile_scores sc SET risk_week_before = (
        SELECT h.risk FROM score_history h
         WHERE h.profile_id = sc.profile_id AND h.scored_at <= sc.scored_at - interval '7 days'
         ORDER BY h.scored_at DESC LIMIT 1)`);
    await q.query(
      `ALTER TABLE profile_scores ADD COLUMN risk_trend real GENERATED ALWAYS AS (risk - risk_week_before) STORED`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE profile_scores DROP COLUMN risk_trend, DROP COLUMN risk_week_before`);
  }
}
