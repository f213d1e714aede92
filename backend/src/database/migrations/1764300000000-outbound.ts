import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Outbound1764300000000 implements MigrationInterface {
  name = 'Outbound1764300000000';

  async up(q: QueryRunner): Promise<void> {
    // Where Cairn sends its own events (stage changes, risk changes, interventions) so other tools can act.
    await q.query(`
      CREATE TABLE segment_outbound (
        workspace_id uuid PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
        write_key_enc text NOT NULL,
        write_key_hint text NOT NULL,
        host text NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS segment_outbound`);
  }
}
