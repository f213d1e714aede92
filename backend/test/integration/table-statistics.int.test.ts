import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { analyzeIfStale } from '../../src/database/table-statistics';
import { createTestDatabase } from '../support/database';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let client: DataSource;

const changed = async (table: string) =>
  Number(
    (
      await client.query(
        `SELECT n_mod_since_analyze AS n FROM pg_stat_user_tables WHERE relid = $1::regclass`,
        [table],
      )
    )[0]?.n ?? 0,
  );

/** Inserts `n` rows and waits until the statistics collector has counted them. */
async function load(table: string, n: number) {
  const before = await changed(table);
  await client.query(
    `INSERT INTO ${table} SELECT g + (SELECT COALESCE(max(id), 0) FROM ${table}) FROM generate_series(1, $1) AS g`,
    [n],
  );
  await client.query(`SELECT pg_stat_force_next_flush()`);
  await vi.waitFor(async () => expect(await changed(table)).toBeGreaterThanOrEqual(before + n), {
    timeout: 15_000,
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
  // One connection: statistics a session has not flushed yet are then flushed by its next statement.
  client = await new DataSource({ type: 'postgres', url: db.url, extra: { max: 1 } }).initialize();
  await client.query(`CREATE TABLE bulk_loaded (id int PRIMARY KEY); CREATE TABLE barely_touched (id int)`);
});
afterAll(async () => {
  await client?.destroy();
  await db?.drop();
});

describe('analyzeIfStale', () => {
  it('analyses a table a bulk load outran, once, and leaves a barely changed one alone', async () => {
    await load('bulk_loaded', 6_000);
    await load('barely_touched', 100);
    expect(await analyzeIfStale(client, ['bulk_loaded', 'barely_touched'])).toEqual(['bulk_loaded']);
    // The planner now knows the rows are there.
    const rows = await client.query(`SELECT reltuples::int AS n FROM pg_class WHERE relname = 'bulk_loaded'`);
    expect(rows[0].n).toBe(6_000);
    expect(await changed('bulk_loaded')).toBe(0);
    expect(await analyzeIfStale(client, ['bulk_loaded', 'barely_touched'])).toEqual([]);
  });

  it('waits for a fifth of a large table to change, not just the fixed floor', async () => {
    await load('bulk_loaded', 60_000);
    await client.query(`ANALYZE bulk_loaded`); // 66,000 rows, statistics fresh
    expect(await changed('bulk_loaded')).toBe(0);
    await load('bulk_loaded', 6_000); // above the 5,000 floor, under a fifth of 72,000
    expect(await analyzeIfStale(client, ['bulk_loaded'])).toEqual([]);
    await load('bulk_loaded', 12_000); // 18,000 changed of 84,000
    expect(await analyzeIfStale(client, ['bulk_loaded'])).toEqual(['bulk_loaded']);
  });
});
