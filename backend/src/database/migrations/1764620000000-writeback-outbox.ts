import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The durable write-back outbox (one row per connection and CRM record: the values wanted there, the values the
 * CRM last accepted, retry state and the drain's claim), a sync interval per connection, the Salesforce API
 * usage last reported in `Sforce-Limit-Info`, and paced request budgets.
 */
export class WritebackOutbox1764620000000 implements MigrationInterface {
  name = 'WritebackOutbox1764620000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE crm_writeback_outbox (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        connection_id uuid NOT NULL REFERENCES crm_connections(id) ON DELETE CASCADE,
        -- HubSpot 'contacts'; Salesforce 'Contact' or 'Lead'.
        object text NOT NULL,
        record_id text NOT NULL,
        -- Erasing the person deletes the profile and with it everything still to be written for them.
        profile_id uuid REFERENCES profiles(id) ON DELETE CASCADE,
        state text NOT NULL CHECK (state IN ('pending', 'sent', 'failed', 'cancelled')),
        -- The values wanted in the CRM (JSON null: clear Cairn's fields) and their comparable content.
        values jsonb,
        values_key text NOT NULL,
        -- Moves on with every change, so a drain marks sent only what it sent.
        version int NOT NULL DEFAULT 1,
        -- The content the CRM last accepted for this record (changed-only writes compare with it).
        last_sent text,
        last_sent_at timestamptz,
        attempts int NOT NULL DEFAULT 0,
        not_before timestamptz NOT NULL DEFAULT now(),
        last_error text,
        claim_token uuid,
        claimed_until timestamptz,
        enqueued_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (connection_id, object, record_id)
      )`);
    await q.query(
      `CREATE INDEX crm_writeback_outbox_due_idx ON crm_writeback_outbox (connection_id, not_before) WHERE state = 'pending'`,
    );
    await q.query(
      `CREATE INDEX crm_writeback_outbox_workspace_idx ON crm_writeback_outbox (workspace_id) WHERE state = 'pending'`,
    );
    await q.query(
      `CREATE INDEX crm_writeback_outbox_profile_idx ON crm_writeback_outbox (profile_id) WHERE profile_id IS NOT NULL`,
    );
    await q.query(`
      ALTER TABLE crm_connections
        ADD COLUMN sync_interval_minutes int NOT NULL DEFAULT 15
          CHECK (sync_interval_minutes BETWEEN 5 AND 1440),
        ADD COLUMN api_usage_used int,
        ADD COLUMN api_usage_limit int,
        ADD COLUMN api_usage_at timestamptz`);
    // Request budgets are paced: the next free slot of the connection's budget.
    await q.query(`ALTER TABLE crm_rate_budgets ADD COLUMN next_slot timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS crm_writeback_outbox`);
    await q.query(`ALTER TABLE crm_rate_budgets DROP COLUMN IF EXISTS next_slot`);
    await q.query(`
      ALTER TABLE crm_connections DROP COLUMN IF EXISTS sync_interval_minutes,
        DROP COLUMN IF EXISTS api_usage_used, DROP COLUMN IF EXISTS api_usage_limit,
        DROP COLUMN IF EXISTS api_usage_at`);
  }
}
