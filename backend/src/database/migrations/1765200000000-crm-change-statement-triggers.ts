import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The row trigger as the journey-triggers migration left it, for `down`. */
const ROW_FUNCTION = `
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
 * The same rules as the row trigger (a deal whose stage is new or moved gets a history row and its people
 * re-scored; any other row with a profile re-scores that profile), applied once per statement to all the rows it
 * wrote. A CRM page writes 100–200 rows in one statement: per row, the trigger's queries cost more than the
 * insert itself (~11 ms of a 200-contact page).
 */
const STATEMENT_FUNCTION = `
  CREATE OR REPLACE FUNCTION cairn_crm_objects_changed() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE
    -- Deals whose stage is new (inserted) or moved (updated), with the stage they left.
    moved text := CASE TG_OP
      WHEN 'INSERT' THEN
        'SELECT n.*, NULL::text AS from_stage FROM new_rows n
          WHERE n.object_type IN (''deals'', ''Opportunity'') AND n.stage IS NOT NULL'
      ELSE
        'SELECT n.*, o.stage AS from_stage FROM new_rows n
           JOIN old_rows o ON o.connection_id = n.connection_id AND o.object_type = n.object_type
                          AND o.external_id = n.external_id
          WHERE n.object_type IN (''deals'', ''Opportunity'') AND n.stage IS NOT NULL
            AND n.stage IS DISTINCT FROM o.stage'
    END;
  BEGIN
    EXECUTE format($q$
      WITH moved AS (%s),
      history AS (
        INSERT INTO crm_deal_stage_history (workspace_id, connection_id, object_type, external_id, stage, closed,
                                            entered_at, from_stage)
        SELECT workspace_id, connection_id, object_type, external_id, stage,
               stage IN ('closedwon', 'closedlost') OR COALESCE(lower(properties->>'IsClosed') = 'true', false),
               COALESCE(stage_entered_at, now()), from_stage
          FROM moved)
      INSERT INTO scoring_queue (profile_id, workspace_id)
      -- The people on a moved deal are re-scored: a deal moving is a journey moving.
      SELECT c.profile_id, d.workspace_id
        FROM moved d
        JOIN crm_associations a ON a.connection_id = d.connection_id AND a.from_type = d.object_type
                               AND a.from_id = d.external_id
        JOIN crm_objects c ON c.connection_id = a.connection_id AND c.object_type = a.to_type
                          AND c.external_id = a.to_id
       WHERE c.profile_id IS NOT NULL
      UNION
      SELECT n.profile_id, n.workspace_id FROM new_rows n
       WHERE n.object_type NOT IN ('deals', 'Opportunity') AND n.profile_id IS NOT NULL
      ON CONFLICT DO NOTHING
    $q$, moved);
    RETURN NULL;
  END $$`;

export class CrmChangeStatementTriggers1765200000000 implements MigrationInterface {
  name = 'CrmChangeStatementTriggers1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(STATEMENT_FUNCTION);
    await q.query(`DROP TRIGGER crm_objects_changed ON crm_objects`);
    await q.query(`DROP FUNCTION cairn_crm_object_changed()`);
    // Transition tables need one trigger per event.
    await q.query(
      `CREATE TRIGGER crm_objects_inserted AFTER INSERT ON crm_objects REFERENCING NEW TABLE AS new_rows
       FOR EACH STATEMENT EXECUTE FUNCTION cairn_crm_objects_changed()`,
    );
    await q.query(
      `CREATE TRIGGER crm_objects_updated AFTER UPDATE ON crm_objects
       REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
       FOR EACH STATEMENT EXECUTE FUNCTION cairn_crm_objects_changed()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER crm_objects_updated ON crm_objects`);
    await q.query(`DROP TRIGGER crm_objects_inserted ON crm_objects`);
    await q.query(`DROP FUNCTION cairn_crm_objects_changed()`);
    await q.query(ROW_FUNCTION);
    await q.query(
      `CREATE TRIGGER crm_objects_changed AFTER INSERT OR UPDATE ON crm_objects
       FOR EACH ROW EXECUTE FUNCTION cairn_crm_object_changed()`,
    );
  }
}
