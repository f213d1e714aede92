import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accepted messages wait here, durable, until identity resolution writes them as events. A row holds one group
 * commit's messages for one workspace as JSON text: PostgreSQL stores it without parsing it, and uncompressed
 * (STORAGE EXTERNAL), because compressing a row that lives a few hundred milliseconds costs more than it saves.
 */
export class EventInbox1765600000000 implements MigrationInterface {
  name = 'EventInbox1765600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE event_inbox (
        id bigserial PRIMARY KEY,
        workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
        received_at timestamptz NOT NULL DEFAULT now(),
        events integer NOT NULL CHECK (events > 0),
        entries text NOT NULL
      )`);
    await q.query(`ALTER TABLE event_inbox ALTER COLUMN entries SET STORAGE EXTERNAL`);
    await q.query(`CREATE INDEX event_inbox_workspace_idx ON event_inbox (workspace_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE event_inbox`);
  }
}
