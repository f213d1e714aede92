import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import type { QueryRunner } from 'typeorm';
import { copyRows } from './copy-rows';

export interface StatementRunner {
  query(sql: string, params?: unknown[]): Promise<unknown>;
  /** COPY … FROM STDIN of the given rows on the same connection (and so in its transaction). */
  copy(sql: string, rows: unknown[][]): Promise<void>;
}

/**
 * Runs SQL as named prepared statements on the query runner's connection, so statements run many times a
 * second (ingestion) are parsed and planned once per connection instead of on every call. Results have the
 * shape of TypeORM's `QueryRunner.query`. Meant for a fixed set of SQL texts: each distinct text stays
 * prepared for the life of the connection.
 */
export async function preparedStatements(qr: QueryRunner): Promise<StatementRunner> {
  const client = (await qr.connect()) as PoolClient;
  return {
    async query(text, values = []) {
      const res = await client.query({ name: statementName(text), text, values });
      return res.command === 'UPDATE' || res.command === 'DELETE' ? [res.rows, res.rowCount] : res.rows;
    },
    copy: (sql, rows) => copyRows(client, sql, rows),
  };
}

const names = new Map<string, string>();

function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `cairn_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}
