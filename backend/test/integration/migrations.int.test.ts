import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source';
import { createTestDatabase } from '../support/database';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let ds: DataSource;

beforeAll(async () => {
  db = await createTestDatabase();
  ds = new DataSource({ ...dataSourceOptions(db.url), migrationsTransactionMode: 'each' });
  await ds.initialize();
});
afterAll(async () => {
  await ds?.destroy();
  await db?.drop();
});

const columns = async () =>
  (
    (await ds.query(
      `SELECT attname FROM pg_attribute WHERE attrelid = 'insights_profiles'::regclass AND attnum > 0
          AND NOT attisdropped ORDER BY attnum`,
    )) as { attname: string }[]
  ).map((c) => c.attname);

/** A workspace with one person in it. */
async function workspaceWithPerson(name: string): Promise<{ workspaceId: string; person: string }> {
  const [ws] = await ds.query(`INSERT INTO workspaces (name) VALUES ($1) RETURNING id`, [name]);
  const person = randomUUID();
  await ds.query(
    `INSERT INTO profiles (id, workspace_id, first_seen_at, last_seen_at) VALUES ($1, $2, now(), now())`,
    [person, ws.id],
  );
  return { workspaceId: ws.id, person };
}

/** Undoes migrations, newest first, down to and including `name`. */
async function undoThrough(name: string) {
  for (;;) {
    const [last] = await ds.query(`SELECT name FROM migrations ORDER BY id DESC LIMIT 1`);
    await ds.undoLastMigration({ transaction: 'each' });
    if (last.name === name) return;
  }
}

describe('score trend migration', () => {
  it('fills the trend of scores already there from their history, and drops it going back', async () => {
    const { workspaceId, person } = await workspaceWithPerson('Trend');
    await undoThrough('ScoreTrend1765400000000');
    await ds.query(
      `INSERT INTO score_history (workspace_id, profile_id, stage, risk, scored_at) VALUES
         ($1, $2, 'aware', 0.7, now() - interval '20 days'), ($1, $2, 'aware', 0.3, now() - interval '9 days'),
         ($1, $2, 'aware', 0.5, now() - interval '5 days')`,
      [workspaceId, person],
    );
    await ds.query(
      `INSERT INTO profile_scores (profile_id, workspace_id, risk, scored_at) VALUES ($1, $2, 0.9, now() - interval '1 day')`,
      [person, workspaceId],
    );
    await ds.runMigrations({ transaction: 'each' });
    const [row] = await ds.query(
      `SELECT risk_week_before AS before, risk_trend AS trend FROM profile_scores WHERE profile_id = $1`,
      [person],
    );
    // The last history row at least a week before the score (9 days ago, not 5 or 20).
    expect(row.before).toBeCloseTo(0.3, 6);
    expect(row.trend).toBeCloseTo(0.6, 6);
    await undoThrough('ScoreTrend1765400000000');
    const [kept] = await ds.query(`SELECT * FROM profile_scores WHERE profile_id = $1`, [person]);
    expect(kept.risk).toBeCloseTo(0.9, 6);
    expect(kept).not.toHaveProperty('risk_trend');
    await ds.runMigrations({ transaction: 'each' });
  });
});

describe('sync run phases migration', () => {
  it('keeps a Salesforce run under way at its place: the old stream index becomes its phase and streams done', async () => {
    const [ws] = await ds.query(`INSERT INTO workspaces (name) VALUES ('Phases') RETURNING id`);
    const [conn] = await ds.query(
      `INSERT INTO crm_connections (workspace_id, provider, status, external_account, access_token_enc, refresh_token_enc)
       VALUES ($1, 'salesforce', 'active', 'org', 'x', 'x') RETURNING id`,
      [ws.id],
    );
    await undoThrough('SyncRunPhases1765300000000');
    // Stream 2 was Lead: contacts were through, leads and opportunities (and the rest) to come.
    const [run] = await ds.query(
      `INSERT INTO sync_runs (workspace_id, connection_id, kind, stream) VALUES ($1, $2, 'full', 2) RETURNING id`,
      [ws.id, conn.id],
    );
    await ds.runMigrations({ transaction: 'each' });
    const state = async () =>
      (await ds.query(`SELECT phase, streams_done AS done FROM sync_runs WHERE id = $1`, [run.id]))[0];
    expect(await state()).toEqual({ phase: 1, done: ['Contact'] });

    await undoThrough('SyncRunPhases1765300000000');
    // Back at the phase's first stream, whose cursor is at its end: pulling it again reads nothing twice.
    expect((await ds.query(`SELECT stream FROM sync_runs WHERE id = $1`, [run.id]))[0].stream).toBe(1);
    await ds.runMigrations({ transaction: 'each' });
    expect(await state()).toEqual({ phase: 1, done: [] });
  });
});

describe('CRM change triggers migration', () => {
  const triggers = async () =>
    (
      (await ds.query(
        `SELECT tgname FROM pg_trigger WHERE tgrelid = 'crm_objects'::regclass AND NOT tgisinternal ORDER BY 1`,
      )) as { tgname: string }[]
    ).map((t) => t.tgname);

  it('goes from the row trigger to statement triggers and back, re-scoring a deal move either way', async () => {
    const { workspaceId, person } = await workspaceWithPerson('Triggers');
    const ws = { id: workspaceId };
    const [conn] = await ds.query(
      `INSERT INTO crm_connections (workspace_id, provider, status, external_account, access_token_enc, refresh_token_enc)
       VALUES ($1, 'hubspot', 'active', 'portal', 'x', 'x') RETURNING id`,
      [ws.id],
    );
    await ds.query(
      `INSERT INTO crm_associations (workspace_id, connection_id, from_type, from_id, to_type, to_id)
       VALUES ($1, $2, 'deals', 'd-1', 'contacts', 'c-1')`,
      [ws.id, conn.id],
    );
    const write = (type: string, id: string, values: { profile?: string; stage?: string }) =>
      ds.query(
        `INSERT INTO crm_objects (workspace_id, connection_id, object_type, external_id, profile_id, stage)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (connection_id, object_type, external_id) DO UPDATE SET stage = EXCLUDED.stage`,
        [ws.id, conn.id, type, id, values.profile ?? null, values.stage ?? null],
      );
    /** A deal move as each version records it: its history and the person queued for scoring. */
    const move = async (stage: string) => {
      await ds.query(`DELETE FROM scoring_queue`);
      await write('deals', 'd-1', { stage });
      const [h] = await ds.query(
        `SELECT from_stage, stage FROM crm_deal_stage_history WHERE external_id = 'd-1' ORDER BY recorded_at DESC LIMIT 1`,
      );
      return { history: h, queued: await ds.query(`SELECT profile_id FROM scoring_queue`) };
    };
    await write('contacts', 'c-1', { profile: person });
    expect(await ds.query(`SELECT profile_id FROM scoring_queue`)).toEqual([{ profile_id: person }]);
    await write('deals', 'd-1', { stage: 'appointmentscheduled' });
    expect(await triggers()).toEqual(['crm_objects_inserted', 'crm_objects_updated']);
    const after = await move('qualifiedtobuy');

    await undoThrough('CrmChangeStatementTriggers1765200000000');
    expect(await triggers()).toEqual(['crm_objects_changed']);
    expect(await move('contractsent')).toEqual({
      history: { from_stage: 'qualifiedtobuy', stage: 'contractsent' },
      queued: [{ profile_id: person }],
    });

    await ds.runMigrations({ transaction: 'each' });
    expect(after).toEqual({
      history: { from_stage: 'appointmentscheduled', stage: 'qualifiedtobuy' },
      queued: [{ profile_id: person }],
    });
    expect(await move('closedwon')).toEqual({
      history: { from_stage: 'contractsent', stage: 'closedwon' },
      queued: [{ profile_id: person }],
    });
    // An update that leaves the stage alone is no move.
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM crm_deal_stage_history`);
    await write('deals', 'd-1', { stage: 'closedwon' });
    expect((await ds.query(`SELECT count(*)::int AS n FROM crm_deal_stage_history`))[0].n).toBe(n);
  });
});

describe('insights column order migration', () => {
  it('moves the path arrays behind the counters and back, keeping rows, keys and cascades', async () => {
    const { workspaceId, person: profile } = await workspaceWithPerson('Migrations');
    const ws = { id: workspaceId };
    await ds.query(
      `INSERT INTO insights_profiles (profile_id, workspace_id, first_at, last_at, events, channel, stage_path,
                                      moments, pairs, early_events)
       VALUES ($1, $2, '2026-01-02', '2026-01-05', 7, 'linkedin / social', '{aware,engaged}', 5, 9, 3)`,
      [profile, ws.id],
    );
    const row = async () =>
      (
        await ds.query(
          `SELECT events, channel, stage_path, moments::int, pairs::int, early_events FROM insights_profiles`,
        )
      )[0];
    const expected = {
      events: 7,
      channel: 'linkedin / social',
      stage_path: ['aware', 'engaged'],
      moments: 5,
      pairs: 9,
      early_events: 3,
    };
    const after = await columns();
    expect(after.indexOf('early_evaluation')).toBeLessThan(after.indexOf('channel'));
    expect(after.slice(-4)).toEqual(['stage_days', 'stage_path', 'touch_path', 'category_path']);

    await undoThrough('InsightsColumnOrder1765100000000');
    expect((await columns()).slice(-6)).toEqual([
      'moments',
      'pairs',
      'early_events',
      'early_days',
      'early_categories',
      'early_evaluation',
    ]);
    expect(await row()).toEqual(expected);

    await ds.runMigrations({ transaction: 'each' });
    expect(await columns()).toEqual(after);
    expect(await row()).toEqual(expected);
    // Keys survived the rebuild: a second summary of the person is refused, erasing them removes it.
    await expect(
      ds.query(
        `INSERT INTO insights_profiles (profile_id, workspace_id, first_at, last_at, events, channel)
         VALUES ($1, $2, now(), now(), 1, 'x')`,
        [profile, ws.id],
      ),
    ).rejects.toThrow(/duplicate key/);
    await ds.query(`DELETE FROM profiles WHERE id = $1`, [profile]);
    expect(await ds.query(`SELECT 1 FROM insights_profiles`)).toHaveLength(0);
  });
});

describe('workspace-scoped keys migration', () => {
  it("refuses identities and CRM rows that name another workspace's parent, keeps the cascades, and goes back", async () => {
    const a = await workspaceWithPerson('Keys A');
    const b = await workspaceWithPerson('Keys B');
    const [conn] = await ds.query(
      `INSERT INTO crm_connections (workspace_id, provider, status, external_account, access_token_enc, refresh_token_enc)
       VALUES ($1, 'hubspot', 'active', 'hub', 'x', 'x') RETURNING id`,
      [b.workspaceId],
    );
    const identity = `INSERT INTO identities (workspace_id, kind, value, profile_id) VALUES ($1, 'user_id', 'u-1', $2)`;
    const crmRow = `INSERT INTO crm_objects (workspace_id, connection_id, object_type, external_id) VALUES ($1, $2, 'contacts', '1')`;
    await expect(ds.query(identity, [a.workspaceId, b.person])).rejects.toThrow(/identities_profile_fkey/);
    await expect(ds.query(crmRow, [a.workspaceId, conn.id])).rejects.toThrow(/crm_objects_connection_fkey/);

    // Deleting the workspace still takes its people, identities and CRM rows with it.
    await ds.query(identity, [b.workspaceId, b.person]);
    await ds.query(crmRow, [b.workspaceId, conn.id]);
    await ds.query(`DELETE FROM workspaces WHERE id = $1`, [b.workspaceId]);
    const [left] = await ds.query(
      `SELECT (SELECT count(*) FROM identities WHERE workspace_id = $1)::int AS identities,
              (SELECT count(*) FROM crm_objects WHERE workspace_id = $1)::int AS rows`,
      [b.workspaceId],
    );
    expect(left).toEqual({ identities: 0, rows: 0 });

    await undoThrough('WorkspaceScopedKeys1765500000000');
    await ds.query(identity, [a.workspaceId, a.person]);
    await ds.runMigrations({ transaction: 'each' });
    const [kept] = await ds.query(`SELECT profile_id FROM identities WHERE workspace_id = $1`, [
      a.workspaceId,
    ]);
    expect(kept.profile_id).toBe(a.person);
  });
});
