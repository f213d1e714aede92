import type { MigrationInterface, QueryRunner } from 'typeorm';

/** CRM pull: the objects as the CRM has them, their associations, per-stream cursors and sync runs. */
export class CrmSync1764500000000 implements MigrationInterface {
  name = 'CrmSync1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE crm_objects (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        connection_id uuid NOT NULL REFERENCES crm_connections(id) ON DELETE CASCADE,
        object_type text NOT NULL,
        external_id text NOT NULL,
        properties jsonb NOT NULL DEFAULT '{}',
        remote_updated_at timestamptz,
        archived boolean NOT NULL DEFAULT false,
        profile_id uuid REFERENCES profiles(id) ON DELETE SET NULL,
        account_id uuid REFERENCES accounts(id) ON DELETE SET NULL,
        -- Deals / opportunities: what scoring reads as "deal stage and time in it".
        stage text,
        stage_entered_at timestamptz,
        amount numeric,
        owner_id text,
        close_date date,
        synced_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (connection_id, object_type, external_id)
      )`);
    await q.query(`CREATE INDEX crm_objects_workspace_idx ON crm_objects (workspace_id, object_type)`);
    await q.query(
      `CREATE INDEX crm_objects_profile_idx ON crm_objects (profile_id) WHERE profile_id IS NOT NULL`,
    );

    // Directed as read from the CRM (deal → contact, contact → company, opportunity → contact role …).
    await q.query(`
      CREATE TABLE crm_associations (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        connection_id uuid NOT NULL REFERENCES crm_connections(id) ON DELETE CASCADE,
        from_type text NOT NULL,
        from_id text NOT NULL,
        to_type text NOT NULL,
        to_id text NOT NULL,
        label text,
        PRIMARY KEY (connection_id, from_type, from_id, to_type, to_id)
      )`);
    await q.query(`CREATE INDEX crm_associations_to_idx ON crm_associations (connection_id, to_type, to_id)`);

    // One row per stream (an object type, or its deletions): the high-water mark of completed passes, and
    // where the pass in progress stands, so a crash resumes from the last committed page.
    await q.query(`
      CREATE TABLE sync_cursors (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        connection_id uuid NOT NULL REFERENCES crm_connections(id) ON DELETE CASCADE,
        object_type text NOT NULL,
        cursor timestamptz,
        after text,
        window_from timestamptz,
        max_seen timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (connection_id, object_type)
      )`);

    await q.query(`
      CREATE TABLE sync_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        connection_id uuid NOT NULL REFERENCES crm_connections(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('full', 'incremental')),
        state text NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'completed', 'failed')),
        -- Index into the provider's ordered list of streams; moves on in the transaction that ends a stream.
        stream int NOT NULL DEFAULT 0,
        done bigint NOT NULL DEFAULT 0,
        estimated_total bigint,
        error text,
        started_at timestamptz NOT NULL DEFAULT now(),
        -- Last committed page: a run with no progress for a while is not considered running any more.
        updated_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await q.query(
      `CREATE INDEX sync_runs_connection_idx ON sync_runs (workspace_id, connection_id, started_at DESC)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['sync_runs', 'sync_cursors', 'crm_associations', 'crm_objects'])
      await q.query(`DROP TABLE IF EXISTS ${t}`);
  }
}
