import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Connections1764400000000 implements MigrationInterface {
  name = 'Connections1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE crm_connections (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        provider text NOT NULL CHECK (provider IN ('hubspot', 'salesforce')),
        status text NOT NULL CHECK (status IN ('active', 'syncing', 'needs_reauth', 'error')),
        status_reason text,
        external_account text NOT NULL,
        instance_url text,
        access_token_enc text NOT NULL,
        refresh_token_enc text NOT NULL,
        expires_at timestamptz,
        scopes text[] NOT NULL DEFAULT '{}',
        -- Admin's choice of existing CRM fields for Cairn's values; absent keys use Cairn's own fields.
        field_map jsonb NOT NULL DEFAULT '{}',
        connected_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (workspace_id, provider)
      )`);
    // OAuth `state` (hashed) with the PKCE verifier (sealed), single use, minutes-long.
    await q.query(`
      CREATE TABLE oauth_states (
        state_hash text PRIMARY KEY,
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        provider text NOT NULL,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        code_verifier_enc text,
        expires_at timestamptz NOT NULL
      )`);
    // Request budgets per connection, shared by every API and worker process through PostgreSQL.
    await q.query(`
      CREATE TABLE crm_rate_budgets (
        connection_id uuid PRIMARY KEY REFERENCES crm_connections(id) ON DELETE CASCADE,
        window_start timestamptz NOT NULL,
        used int NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS crm_rate_budgets`);
    await q.query(`DROP TABLE IF EXISTS oauth_states`);
    await q.query(`DROP TABLE IF EXISTS crm_connections`);
  }
}
