import type { MigrationInterface, QueryRunner } from 'typeorm';

export class JobsPrivacy1764200000000 implements MigrationInterface {
  name = 'JobsPrivacy1764200000000';

  async up(q: QueryRunner): Promise<void> {
    // Long-running work a user started and watches (its steps run in Temporal); progress is read from here.
    await q.query(`
      CREATE TABLE jobs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        kind text NOT NULL,
        state text NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'completed', 'failed')),
        processed bigint NOT NULL DEFAULT 0,
        total bigint NOT NULL DEFAULT 0,
        error text,
        requested_by uuid REFERENCES users(id) ON DELETE SET NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await q.query(`CREATE INDEX jobs_workspace_idx ON jobs (workspace_id, started_at DESC)`);
    await q.query(`
      CREATE TABLE erasure_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        profile_id uuid NOT NULL,
        requested_by uuid REFERENCES users(id) ON DELETE SET NULL,
        status text NOT NULL CHECK (status IN ('completed', 'failed')),
        deleted jsonb NOT NULL DEFAULT '{}',
        requested_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz
      )`);
    await q.query(
      `CREATE INDEX erasure_requests_workspace_idx ON erasure_requests (workspace_id, requested_at DESC)`,
    );
    // Identifiers of erased people, hashed: their future events are dropped at ingest so they stay erased.
    await q.query(`
      CREATE TABLE suppressed_identities (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        value_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, value_hash)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['suppressed_identities', 'erasure_requests', 'jobs'])
      await q.query(`DROP TABLE IF EXISTS ${t}`);
  }
}
