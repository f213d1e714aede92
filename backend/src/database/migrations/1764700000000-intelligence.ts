import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Journey intelligence: each workspace's stage definitions and model settings, every person's current stage
 * with its transitions, model versions with their evaluation, current scores with their history, and the queue
 * of people whose behaviour changed since they were last scored.
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
    await q.query(`CREATE INDEX profile_scores_risk_idx ON profile_scores (workspace_id, risk DESC NULLS LAST)`);
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
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
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
