import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Journeys: the canvas drafts, their immutable published versions, who is (or was) inside each, the steps
 * they passed, every outreach action keyed for idempotency, email templates, the outbox of record of every
 * email (whose sandbox rows are the sandbox mailbox), webhook signing secrets and the per-workspace send rate.
 */
export class Journeys1764900000000 implements MigrationInterface {
  name = 'Journeys1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE journeys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        name text NOT NULL,
        description text,
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'paused', 'archived')),
        draft jsonb NOT NULL,
        draft_revision int NOT NULL DEFAULT 1,
        draft_updated_at timestamptz NOT NULL DEFAULT now(),
        current_version_id uuid,
        -- Bumped by every pause/resume/archive, so a prospect's workflow applies the latest of them only.
        control_seq int NOT NULL DEFAULT 0,
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX journeys_workspace_idx ON journeys (workspace_id, status)`);

    await q.query(`
      CREATE TABLE journey_versions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        journey_id uuid NOT NULL REFERENCES journeys(id) ON DELETE CASCADE,
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        version int NOT NULL,
        definition jsonb NOT NULL,
        canvas jsonb NOT NULL,
        published_by uuid REFERENCES users(id) ON DELETE SET NULL,
        published_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (journey_id, version)
      )`);
    await q.query(`
      ALTER TABLE journeys ADD CONSTRAINT journeys_current_version_fk
        FOREIGN KEY (current_version_id) REFERENCES journey_versions(id) ON DELETE SET NULL`);
    // Prospects inside a version run exactly what was published: the row can be added, never changed.
    await q.query(`
      CREATE FUNCTION journey_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'journey versions are immutable; publish a new version instead';
      END $$`);
    await q.query(`
      CREATE TRIGGER journey_versions_no_update BEFORE UPDATE ON journey_versions
        FOR EACH ROW EXECUTE FUNCTION journey_versions_immutable()`);

    await q.query(`
      CREATE TABLE journey_enrollments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        journey_id uuid NOT NULL REFERENCES journeys(id) ON DELETE CASCADE,
        version_id uuid NOT NULL REFERENCES journey_versions(id) ON DELETE CASCADE,
        profile_id uuid NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
        workflow_id text NOT NULL,
        entry int NOT NULL,
        -- active: on the path; completed: the path ended (exit step, holdout control, an open output);
        -- exited: taken out (archived, opted out, could not start).
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'completed', 'exited')),
        current_node_id text,
        arm text CHECK (arm IN ('treatment', 'control')),
        trigger jsonb,
        entered_at timestamptz NOT NULL DEFAULT now(),
        converted_at timestamptz,
        converted_node_id text,
        finished_at timestamptz,
        finish_reason text,
        -- The workflow is over (it watches for the conversion for a while after the path ends).
        closed_at timestamptz,
        UNIQUE (journey_id, profile_id, entry)
      )`);
    await q.query(
      `CREATE UNIQUE INDEX journey_enrollments_one_active ON journey_enrollments (journey_id, profile_id) WHERE status = 'active'`,
    );
    await q.query(
      `CREATE INDEX journey_enrollments_open_idx ON journey_enrollments (workspace_id, profile_id) WHERE closed_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX journey_enrollments_node_idx ON journey_enrollments (journey_id, status, current_node_id)`,
    );

    await q.query(`
      CREATE TABLE journey_steps (
        enrollment_id uuid NOT NULL REFERENCES journey_enrollments(id) ON DELETE CASCADE,
        node_id text NOT NULL,
        visit int NOT NULL,
        journey_id uuid NOT NULL,
        version_id uuid NOT NULL,
        entered_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (enrollment_id, node_id, visit)
      )`);
    await q.query(
      `CREATE INDEX journey_steps_journey_idx ON journey_steps (journey_id, version_id, node_id)`,
    );

    // One row per action a prospect's workflow takes: the key (workflow id, step, entry and visit) is unique,
    // so a retried or replayed activity finds what was done instead of doing it again.
    await q.query(`
      CREATE TABLE journey_actions (
        idempotency_key text PRIMARY KEY,
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        journey_id uuid NOT NULL REFERENCES journeys(id) ON DELETE CASCADE,
        version_id uuid NOT NULL,
        enrollment_id uuid REFERENCES journey_enrollments(id) ON DELETE SET NULL,
        profile_id uuid NOT NULL,
        node_id text NOT NULL,
        kind text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'skipped', 'failed')),
        detail text,
        result jsonb,
        attempts int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz
      )`);
    await q.query(
      `CREATE INDEX journey_actions_sends_idx ON journey_actions (journey_id, profile_id, kind, completed_at)`,
    );
    await q.query(`CREATE INDEX journey_actions_enrollment_idx ON journey_actions (enrollment_id)`);

    await q.query(`
      CREATE TABLE email_templates (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        name text NOT NULL,
        subject text NOT NULL,
        body text NOT NULL,
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX email_templates_workspace_idx ON email_templates (workspace_id, name)`);

    // The outbox of record of every email, whichever adapter delivers it; the sandbox adapter's rows are the
    // sandbox mailbox. A journey email's key is its action's key, so one action is one email at most.
    await q.query(`
      CREATE TABLE sent_emails (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        profile_id uuid REFERENCES profiles(id) ON DELETE SET NULL,
        journey_id uuid REFERENCES journeys(id) ON DELETE SET NULL,
        node_id text,
        template_id uuid REFERENCES email_templates(id) ON DELETE SET NULL,
        kind text NOT NULL CHECK (kind IN ('journey', 'test')),
        idempotency_key text UNIQUE,
        to_address text NOT NULL,
        from_address text NOT NULL,
        subject text NOT NULL,
        html text NOT NULL,
        adapter text NOT NULL,
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'delivered', 'failed')),
        provider_message_id text,
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz
      )`);
    await q.query(`CREATE INDEX sent_emails_workspace_idx ON sent_emails (workspace_id, created_at DESC)`);

    await q.query(`
      CREATE TABLE journey_secrets (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        name text NOT NULL,
        secret_enc text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, name)
      )`);

    // Emails sent per workspace and minute, for the send-rate ceiling every worker shares.
    await q.query(`
      CREATE TABLE journey_send_budget (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        minute timestamptz NOT NULL,
        sent int NOT NULL,
        PRIMARY KEY (workspace_id, minute)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'journey_send_budget',
      'journey_secrets',
      'sent_emails',
      'email_templates',
      'journey_actions',
      'journey_steps',
      'journey_enrollments',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
    await q.query(`ALTER TABLE journeys DROP CONSTRAINT IF EXISTS journeys_current_version_fk`);
    await q.query(`DROP TABLE IF EXISTS journey_versions`);
    await q.query(`DROP FUNCTION IF EXISTS journey_versions_immutable()`);
    await q.query(`DROP TABLE IF EXISTS journeys`);
  }
}
