import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The deal-stage trigger function as the intelligence migration left it, for `down`. */
const PREVIOUS_FUNCTION = `
  CREATE OR REPLACE FUNCTION cairn_crm_object_changed() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF NEW.object_type IN ('deals', 'Opportunity') THEN
      IF NEW.stage IS NOT NULL AND (TG_OP = 'INSERT' OR NEW.stage IS DISTINCT FROM OLD.stage) THEN
        INSERT INTO crm_deal_stage_history (workspace_id, connection_id, object_type, external_id, stage, closed, entered_at)
        VALUES (NEW.workspace_id, NEW.connection_id, NEW.object_type, NEW.external_id, NEW.stage,
                NEW.stage IN ('closedwon', 'closedlost') OR COALESCE(lower(NEW.properties->>'IsClosed') = 'true', false),
                COALESCE(NEW.stage_entered_at, now()));
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
  END $$`;

/**
 * What the journey triggers beyond stage, risk and events need:
 * - each deal stage move remembers the stage it left and when Cairn recorded it, so scoring can hand journeys
 *   the moves since a person was queued (as it hands on events by their arrival time);
 * - each segment-entry journey version remembers who was inside its segment when last evaluated, so only a
 *   move from outside to inside enrols;
 * - each inactivity journey remembers the quiet spell (the last-seen time) it last handled per person, so the
 *   sweep routes a spell once.
 */
export class JourneyTriggers1765000000000 implements MigrationInterface {
  name = 'JourneyTriggers1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE crm_deal_stage_history ADD COLUMN from_stage text, ADD COLUMN recorded_at timestamptz`,
    );
    // Moves already recorded are history: none counts as recorded after anyone was queued.
    await q.query(`UPDATE crm_deal_stage_history SET recorded_at = entered_at`);
    await q.query(
      `ALTER TABLE crm_deal_stage_history ALTER COLUMN recorded_at SET DEFAULT now(),
         ALTER COLUMN recorded_at SET NOT NULL`,
    );
    // The same function, now also recording the stage the deal left. `recorded_at` is the transaction's now(),
    // the same as the queue row it inserts, so a move is never older than the queueing it caused.
    await q.query(`
      CREATE OR REPLACE FUNCTION cairn_crm_object_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.object_type IN ('deals', 'Opportunity') THEN
          IF NEW.stage IS NOT NULL AND (TG_OP = 'INSERT' OR NEW.stage IS DISTINCT FROM OLD.stage) THEN
            INSERT INTO crm_deal_stage_history (workspace_id, connection_id, object_type, external_id, stage, closed,
                                                entered_at, from_stage)
            VALUES (NEW.workspace_id, NEW.connection_id, NEW.object_type, NEW.external_id, NEW.stage,
                    NEW.stage IN ('closedwon', 'closedlost') OR COALESCE(lower(NEW.properties->>'IsClosed') = 'true', false),
                    COALESCE(NEW.stage_entered_at, now()),
                    CASE WHEN TG_OP = 'UPDATE' THEN OLD.stage END);
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

    await q.query(`
      CREATE TABLE journey_segment_members (
        version_id uuid NOT NULL REFERENCES journey_versions(id) ON DELETE CASCADE,
        profile_id uuid NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        inside boolean NOT NULL,
        evaluated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (version_id, profile_id)
      )`);

    await q.query(`
      CREATE TABLE journey_inactivity_marks (
        journey_id uuid NOT NULL REFERENCES journeys(id) ON DELETE CASCADE,
        profile_id uuid NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        -- The person's last-seen time when the spell was routed: a later last-seen is a new spell.
        quiet_since timestamptz NOT NULL,
        routed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (journey_id, profile_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE journey_inactivity_marks`);
    await q.query(`DROP TABLE journey_segment_members`);
    await q.query(PREVIOUS_FUNCTION);
    await q.query(`ALTER TABLE crm_deal_stage_history DROP COLUMN recorded_at, DROP COLUMN from_stage`);
  }
}
