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

describe('insights column order migration', () => {
  it('moves the path arrays behind the counters and back, keeping rows, keys and cascades', async () => {
    const [ws] = await ds.query(`INSERT INTO workspaces (name) VALUES ('Migrations') RETURNING id`);
    const profile = randomUUID();
    await ds.query(
      `INSERT INTO profiles (id, workspace_id, first_seen_at, last_seen_at) VALUES ($1, $2, now(), now())`,
      [profile, ws.id],
    );
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

    await ds.undoLastMigration({ transaction: 'each' });
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
