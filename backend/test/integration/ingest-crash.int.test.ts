import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/modules/auth/password';
import { tokenHash } from '../../src/modules/auth/tokens';
import { SecretBox } from '../../src/common/crypto/secret-box';
import { freePort } from '../../src/runtime/ports';
import { createTestDatabase } from '../support/database';
import { until } from '../support/until';

/** The API runs as its own process (the built one), so it can be killed for real. */
const MAIN = join(__dirname, '../../dist/main.js');
const SECRET = randomBytes(32);

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pg: Client;
const writeKey = `cw_${randomBytes(12).toString('hex')}`;

async function startApi(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env['PATH'],
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: '127.0.0.1:1',
      CAIRN_API_PORT: String(port),
      CAIRN_LOG_LEVEL: 'silent',
      CAIRN_SECRET_KEY: SECRET.toString('base64'),
    },
    stdio: 'ignore',
  });
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health/live`)).ok) return child;
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('API did not start');
}

function batch(n: number) {
  return Array.from({ length: 100 }, (_, i) => ({
    type: 'track',
    event: 'Crash Test',
    messageId: `crash-${n}-${i}-${randomUUID()}`,
    anonymousId: `anon-${(n * 100 + i) % 500}`,
    properties: { n, i },
  }));
}

async function send(port: number, messages: unknown[]): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/v1/batch`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
      },
      body: JSON.stringify({ batch: messages }),
    });
    return res.status === 200;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  db = await createTestDatabase();
  pg = new Client({ connectionString: db.url });
  await pg.connect();
  const [ws] = (await pg.query(`INSERT INTO workspaces (name) VALUES ('Crash') RETURNING id`)).rows;
  await pg.query(
    `INSERT INTO segment_sources (workspace_id, name, write_key_hash, write_key_hint, webhook_secret_enc) VALUES ($1, 'S', $2, 'x', $3)`,
    [ws.id, tokenHash(writeKey), new SecretBox(SECRET).seal('s')],
  );
  await hashPassword('warm-up'); // keep argon2's first-call cost out of the timed part
});
afterAll(async () => {
  await pg?.end();
  await db?.drop();
});

describe('a killed API process', () => {
  it('loses no acknowledged event, and a retry after restart stores the rest exactly once', async () => {
    const port = await freePort();
    const api = await startApi(port);
    const batches = Array.from({ length: 60 }, (_, n) => batch(n));
    const acked = new Set<number>();
    let next = 0;
    let killed = false;
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        while (next < batches.length && !killed) {
          const n = next++;
          if (await send(port, batches[n]!)) acked.add(n);
          if (acked.size >= 15 && !killed) {
            killed = true;
            api.kill('SIGKILL');
          }
        }
      }),
    );
    await new Promise<void>((r) =>
      api.exitCode !== null || api.signalCode ? r() : api.once('exit', () => r()),
    );
    expect(api.signalCode).toBe('SIGKILL');
    expect(acked.size).toBeGreaterThanOrEqual(15);
    expect(acked.size).toBeLessThan(batches.length);

    // Acknowledged means durable: each acknowledged message is an event already or waits in the inbox.
    const ackedIds = [...acked].flatMap((n) => batches[n]!.map((m) => m.messageId));
    const held = await pg.query(
      `SELECT (SELECT count(*) FROM events WHERE message_id = ANY($1))
            + (SELECT count(*) FROM event_inbox, jsonb_array_elements(entries::jsonb) AS e
                WHERE e->'message'->>'messageId' = ANY($1)) AS n`,
      [ackedIds],
    );
    expect(Number(held.rows[0].n)).toBe(ackedIds.length);

    // The client retries everything it has no acknowledgement for, as analytics-node does; the restarted API
    // resolves what the killed one left in the inbox.
    const restarted = await startApi(port);
    try {
      for (let n = 0; n < batches.length; n++)
        if (!acked.has(n)) expect(await send(port, batches[n]!)).toBe(true);
      const all = await until(async () => {
        const r = await pg.query(
          `SELECT count(*)::int AS n, count(DISTINCT message_id)::int AS d,
                  (SELECT count(*)::int FROM event_inbox) AS waiting
             FROM events WHERE event = 'Crash Test'`,
        );
        return r.rows[0].n === 6000 && r.rows[0];
      }, 20_000);
      expect(all).toEqual({ n: 6000, d: 6000, waiting: 0 });
    } finally {
      restarted.kill('SIGTERM');
    }
  });
});
