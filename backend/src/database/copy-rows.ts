import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Loads rows with COPY … FROM STDIN in PostgreSQL's text format: the cheapest way into a table, with no
 * statement to parse and no per-value parameter handling. Objects are written as JSON, dates as ISO-8601.
 */
export async function copyRows(client: ClientBase, sql: string, rows: unknown[][]): Promise<void> {
  await pipeline(Readable.from(chunks(rows)), client.query(copyFrom(sql)));
}

function* chunks(rows: unknown[][]): Generator<string> {
  let chunk = '';
  for (const row of rows) {
    chunk += row.map(field).join('\t') + '\n';
    if (chunk.length > 1 << 16) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

function field(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  const text = v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return text.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]!);
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
