import type { MigrationInterface, QueryRunner } from 'typeorm';

const COLUMNS: Record<string, string> = {
  profile_id: 'uuid NOT NULL',
  workspace_id: 'uuid NOT NULL',
  first_at: 'timestamptz NOT NULL',
  last_at: 'timestamptz NOT NULL',
  events: 'int NOT NULL',
  channel: 'text NOT NULL',
  company_size: 'text',
  plan: 'text',
  region: 'text',
  converted_at: 'timestamptz',
  max_stage: 'smallint',
  cur_stage: 'smallint',
  stage_days: "real[] NOT NULL DEFAULT '{}'",
  stage_path: "text[] NOT NULL DEFAULT '{}'",
  touch_path: "text[] NOT NULL DEFAULT '{}'",
  category_path: "text[] NOT NULL DEFAULT '{}'",
  moments: 'bigint NOT NULL DEFAULT 0',
  pairs: 'bigint NOT NULL DEFAULT 0',
  early_events: 'int NOT NULL DEFAULT 0',
  early_days: 'int NOT NULL DEFAULT 0',
  early_categories: 'int NOT NULL DEFAULT 0',
  early_evaluation: 'int NOT NULL DEFAULT 0',
};

const BEFORE = Object.keys(COLUMNS);
/**
 * Fixed-width columns that are never null first, then the nullable ones, the short texts, and the path arrays
 * last: reading a column means stepping over every variable-length one before it in each row, and every insights
 * scan reads the masks and counters while only paths and attribution read the arrays.
 */
const AFTER = [
  'profile_id',
  'workspace_id',
  'first_at',
  'last_at',
  'moments',
  'pairs',
  'events',
  'early_events',
  'early_days',
  'early_categories',
  'early_evaluation',
  'converted_at',
  'max_stage',
  'cur_stage',
  'channel',
  'company_size',
  'plan',
  'region',
  'stage_days',
  'stage_path',
  'touch_path',
  'category_path',
];

/** Rebuilds insights_profiles with its columns in `order`, keeping its rows, keys and index. */
async function rebuild(q: QueryRunner, order: string[]): Promise<void> {
  await q.query(
    `CREATE TABLE insights_profiles_rebuilt (${order.map((c) => `${c} ${COLUMNS[c]}`).join(', ')})`,
  );
  await q.query(
    `INSERT INTO insights_profiles_rebuilt (${order.join(', ')}) SELECT ${order.join(', ')} FROM insights_profiles`,
  );
  await q.query(`DROP TABLE insights_profiles`);
  await q.query(`ALTER TABLE insights_profiles_rebuilt RENAME TO insights_profiles`);
  await q.query(`
    ALTER TABLE insights_profiles
      ADD PRIMARY KEY (profile_id),
      ADD FOREIGN KEY (profile_id) REFERENCES profiles(id) ON DELETE CASCADE,
      ADD FOREIGN KEY (workspace_id) REFERENCES workspaces(id) ON DELETE CASCADE`);
  await q.query(`CREATE INDEX insights_profiles_cohort_idx ON insights_profiles (workspace_id, first_at)`);
  await q.query(`ANALYZE insights_profiles`);
}

export class InsightsColumnOrder1765100000000 implements MigrationInterface {
  name = 'InsightsColumnOrder1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await rebuild(q, AFTER);
  }

  async down(q: QueryRunner): Promise<void> {
    await rebuild(q, BEFORE);
  }
}
