import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Journey intelligence: each workspace's stage definitions and model settings, every person's current stage
 * with its transitions, model versions with their evaluation, current scores with their history, and the queue
 * of people whose behaviour or CRM records changed since they were last scored, and deal stage history.
 */
export class Intelligence1764700000000 implements MigrationInterface {
  name = 'Intelligence1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE intelligence_settings (
        workspace_id uuid PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
        stages jsonb NOT NULL,
        goal jsonb NOT NULL,
        horizon_days int NOT NULL CHECK (horizon_days BETWEEN 1 AND 365),
        min_precision real NOT NULL CHECK (min_precision BETWEEN 0 AND 1),
        retrain_cron text NOT NULL,
        -- How the latest retraining went, for the model page: {state, message, at}.
        last_retrain jsonb,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE profile_stages (
        profile_id uuid PRIMARY KEY REFERENCES profiles(id) ON DELETE CASCADE,
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        stage text NOT NULL,
        stage_index int NOT NULL,
        entered_at timestamptz NOT NULL,
        reason text NOT NULL
      )`);
    await q.query(`CREATE INDEX profile_stages_workspace_idx ON profile_stages (workspace_id, stage_index)`);
    await q.query(`
      CREATE TABLE stage_transitions (
        id bigserial PRIMARY KEY,
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        profile_id uuid NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
        from_stage text,
        to_stage text NOT NULL,
        reason text NOT NULL,
        at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX stage_transitions_workspace_idx ON stage_transitions (workspace_id, at)`);
    await q.query(`CREATE INDEX stage_transitions_profile_idx ON stage_transitions (profile_id, at)`);

    await q.query(`
      CREATE TABLE models (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        version int NOT NULL,
        status text NOT NULL CHECK (status IN ('candidate', 'active', 'retired', 'rejected')),
        decision text NOT NULL,
        trained_at timestamptz NOT NULL DEFAULT now(),
        artifact jsonb NOT NULL,
        metrics jsonb NOT NULL,
        UNIQUE (workspace_id, version)
      )`);
    await q.query(`CREATE UNIQUE INDEX models_one_active ON models (workspace_id) WHERE status = 'active'`);

    await q.query(`
      CREATE TABLE profile_scores (
        profile_id uuid PRIMARY KEY REFERENCES profiles(id) ON DELETE CASCADE,
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        model_id uuid REFERENCES models(id) ON DELETE SET NULL,
        risk real,
        conversion real,
        reasons jsonb NOT NULL DEFAULT '[]',
        scored_at timestamptz NOT NULL
      )`);
    await q.query(
      `CREATE INDEX profile_scores_risk_idx ON profile_scores (workspace_id, risk DESC NULLS LAST)`,
    );
    await q.query(`
      CREATE TABLE score_history (
        id bigserial PRIMARY KEY,
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        profile_id uuid NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
        model_id uuid REFERENCES models(id) ON DELETE SET NULL,
        stage text NOT NULL,
        risk real,
        conversion real,
        scored_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX score_history_profile_idx ON score_history (profile_id, scored_at)`);
    await q.query(`CREATE INDEX score_history_workspace_idx ON score_history (workspace_id, scored_at)`);

    // One row per person waiting to be re-scored; a repeat is a no-op, so a burst of events costs one scoring.
    await q.query(`
      CREATE TABLE scoring_queue (
        profile_id uuid PRIMARY KEY,
        workspace_id uuid NOT NULL,
        queued_at timestamptz NOT NULL DEFAULT now()
      )`);

    // Deal stages over time, so features can say what stage a deal was in at any as-of time. A trigger keeps it,
    // whoever writes crm_objects; rows already there start their history at their known stage.
    await q.query(`
      CREATE TABLE crm_deal_stage_history (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        connection_id uuid NOT NULL REFERENCES crm_connections(id) ON DELETE CASCADE,
        object_type text NOT NULL,
        external_id text NOT NULL,
        stage text NOT NULL,
        closed boolean NOT NULL,
        entered_at timestamptz NOT NULL
      )`);
    await q.query(
      `CREATE INDEX crm_deal_stage_history_deal_idx ON crm_deal_stage_history (connection_id, object_type, external_id, entered_at)`,
    );
    await q.query(`
      CREATE FUNCTION cairn_crm_object_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.object_type IN ('deals', 'Opportunity') THEN
          IF NEW.stage IS NOT NULL AND (TG_OP = 'INSERT' OR NEW.stage IS DISTINCT FROM OLD.stage) THEN
            INSERT INTO crm_deal_stage_history (workspace_id, connection_id, object_type, external_id, stage, closed, entered_at)
            VALUES (NEW.workspace_id, NEW.connection_id, NEW.object_type, NEW.external_id, NEW.stage,
                    NEW.stage IN ('closedwon', 'closedlost') OR COALESCE(lower(NEW.properties->>'IsClosed') = 'true', false),
                    COALESCE(NEW.stage_entered_at, now()));
            -- The people on the deal are re-scored: a deal moving is a journey moving.
            INSERT INTO scoring_queue (profile_id, workspace_id)
            SELECT DISTINCT c.profile_id, NEW.workspace_id
              FROM crm_associations a
              JOIN crm_objects c ON c.connection_id = a.connection_id AND c.object_type = a.to_type AND c.external_id = a.to_id
             WHERE a.connection_id = NEW.connection_id AND a.from_type = NEW.object_type AND a.from_id = NEW.external_id
               AND c.profile_id IS NOT NULL
            ON CONFLICT DO NOTHING;
          END IF;
        ELSIF NEW.profile_id IS NOT NULL THEN
          INSERT INTO scoring_queue (profile_id, workspace_id) VALUES (NEW.profile_id, NEW.workspace_id)
          ON CONFLICT DO NOTHING;
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(
      `CREATE TRIGGER crm_objects_changed AFTER INSERT OR UPDATE ON crm_objects
       FOR EACH ROW EXECUTE FUNCTION cairn_crm_object_changed()`,
    );
    await q.query(
      `INSERT INTO crm_deal_stage_history (workspace_id, connection_id, object_type, external_id, stage, closed, entered_at)
       SELECT workspace_id, connection_id, object_type, external_id, stage,
              stage IN ('closedwon', 'closedlost') OR COALESCE(lower(properties->>'IsClosed') = 'true', false),
              COALESCE(stage_entered_at, synced_at)
         FROM crm_objects WHERE object_type IN ('deals', 'Opportunity') AND stage IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER crm_objects_changed ON crm_objects`);
    await q.query(`DROP FUNCTION cairn_crm_object_changed()`);
    for (const t of [
      'crm_deal_stage_history',
      'scoring_queue',
      'score_history',
      'profile_scores',
      'models',
      'stage_transitions',
      'profile_stages',
      'intelligence_settings',
    ]) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
