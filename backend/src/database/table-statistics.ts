/** Anything that runs SQL: a DataSource, or an EntityManager inside a transaction. */
interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** Statistics are refreshed once this many rows, and this share of the table, changed since the last ANALYZE. */
const STALE_MIN_ROWS = 5_000;
const STALE_SHARE = 0.2;

/**
 * PostgreSQL plans with the row counts of the last ANALYZE, and a bulk load outruns autovacuum (which looks at most
 * once a minute): a table that grew from nothing still "has no rows". Keyed statements over a small batch are then
 * planned as hash joins (or nested loops) over everything the table holds, per batch, so the load slows as it
 * grows: a CRM page of 200 records took 120 ms at 70,000 stored instead of a few. Loaders call this between
 * batches; it analyses the given tables where much changed since (a catalogue read otherwise; ANALYZE reads a
 * fixed-size sample). Returns the tables it analysed.
 */
export async function analyzeIfStale(db: Queryable, tables: readonly string[]): Promise<string[]> {
  const rows = (await db.query(
    `SELECT relname AS name, n_mod_since_analyze AS changed, n_live_tup AS live FROM pg_stat_user_tables
      WHERE relid = ANY($1::regclass[])`,
    [tables],
  )) as { name: string; changed: string; live: string }[];
  const stale = rows
    .filter((r) => Number(r.changed) >= Math.max(STALE_MIN_ROWS, STALE_SHARE * Number(r.live)))
    .map((r) => r.name);
  // The names come from the catalogue, not from input.
  if (stale.length) await db.query(`ANALYZE ${stale.map((t) => `"${t}"`).join(', ')}`);
  return stale;
}
