import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The streams in the order runs walked them until now, and the phases they are pulled in from now on (the
 * Salesforce ones side by side within a phase). Snapshots: a later change of the pullers must not change this.
 */
const SF_TYPES = [
  'Account',
  'Contact',
  'Lead',
  'Opportunity',
  'OpportunityContactRole',
  'EmailMessage',
  'Task',
];
const SF_STREAMS = [...SF_TYPES, ...SF_TYPES.map((t) => `${t}:deleted`)];
const SF_PHASES = [
  ['Account'],
  ['Contact', 'Lead', 'Opportunity'],
  ['OpportunityContactRole', 'EmailMessage', 'Task'],
  SF_TYPES.map((t) => `${t}:deleted`),
];

/** Old stream index → (phase, streams of that phase already done), for Salesforce runs under way. */
function salesforceMapping(): { index: number; phase: number; done: string[] }[] {
  return SF_STREAMS.map((stream, index) => {
    const phase = SF_PHASES.findIndex((p) => p.includes(stream));
    const streams = SF_PHASES[phase]!;
    return { index, phase, done: streams.slice(0, streams.indexOf(stream)) };
  });
}

/**
 * A sync run's progress becomes a phase (a set of streams pulled side by side) and the streams of it already done,
 * instead of the index of one stream. Runs under way keep their place.
 */
export class SyncRunPhases1765300000000 implements MigrationInterface {
  name = 'SyncRunPhases1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sync_runs RENAME COLUMN stream TO phase`);
    await q.query(`ALTER TABLE sync_runs ADD COLUMN streams_done text[] NOT NULL DEFAULT '{}'`);
    const map = salesforceMapping();
    await q.query(
      `UPDATE sync_runs r SET phase = m.phase, streams_done = m.done
         FROM crm_connections c,
              (SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(index int, phase int, done text[])) AS m
        WHERE c.id = r.connection_id AND c.provider = 'salesforce' AND r.state = 'running' AND r.phase = m.index`,
      [JSON.stringify(map)],
    );
    // Finished runs: past the last phase.
    await q.query(
      `UPDATE sync_runs r SET phase = $1 FROM crm_connections c
        WHERE c.id = r.connection_id AND c.provider = 'salesforce' AND r.phase >= $2`,
      [SF_PHASES.length, SF_STREAMS.length],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    // Back to the phase's first stream: the streams of it already done are at the end of their cursors.
    const first = SF_PHASES.map((streams, phase) => ({ phase, first: SF_STREAMS.indexOf(streams[0]!) }));
    await q.query(
      `UPDATE sync_runs r SET phase = CASE WHEN r.phase >= $2 THEN $3 ELSE m.first END
         FROM crm_connections c, (SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(phase int, first int)) AS m
        WHERE c.id = r.connection_id AND c.provider = 'salesforce' AND m.phase = LEAST(r.phase, $2 - 1)`,
      [JSON.stringify(first), SF_PHASES.length, SF_STREAMS.length],
    );
    await q.query(`ALTER TABLE sync_runs DROP COLUMN streams_done`);
    await q.query(`ALTER TABLE sync_runs RENAME COLUMN phase TO stream`);
  }
}
