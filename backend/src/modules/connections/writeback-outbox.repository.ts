import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { analyzeIfStale } from '../../database/table-statistics';

/** A change to enqueue: the values as stored (JSON) and their comparable content. */
export interface OutboxChange {
  profileId: string;
  values: unknown;
  key: string;
}

export interface ClaimedRow {
  object: string;
  recordId: string;
  values: unknown;
  valuesKey: string;
  version: number;
  attempts: number;
  /** The person's consent now; `denied` rows are cancelled, never sent. */
  consent: string | null;
}

export interface RowRef {
  object: string;
  recordId: string;
}

export interface ConnectionQueue {
  connectionId: string;
  provider: 'hubspot' | 'salesforce';
  status: string;
  /** Rows that may be sent now. */
  due: number;
  /** The earliest time a waiting row may be sent, when none is due now. */
  nextAt: Date | null;
}

const PERSON_OBJECTS = `('contacts', 'Contact', 'Lead')`;
/**
 * The claim token ($2) once per row of the batch ($3), so statements check a claim as a join condition. As a
 * plain filter, PostgreSQL estimates a token it has no statistics for (every claim's is new) at one row and
 * plans a nested loop that rescans the whole batch per row: one 10,000-row acknowledgement took minutes.
 */
const TOKENS = `array_fill($2::uuid, ARRAY[cardinality($3::text[])])`;

/** SQL of the write-back outbox: one row per (connection, CRM record), claimed by drains with a lease. */
@Injectable()
export class WritebackOutboxRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  /**
   * Upserts one row per CRM record of each profile (its HubSpot / Salesforce identities on the workspace's
   * connections; archived CRM records and opted-out or unknown profiles are left out). A newer change replaces
   * a pending one; a change equal to what the CRM last accepted is not sent (an unsent change it replaces is
   * dropped, unless a drain holds it). Returns how many rows now wait to be sent.
   */
  async enqueue(workspaceId: string, changes: OutboxChange[], em?: EntityManager): Promise<number> {
    if (!changes.length) return 0;
    const rows: unknown[] = await (em ?? this.ds.manager).query(
      `WITH input AS (
         SELECT DISTINCT ON (t.profile_id) t.profile_id, t.values, t.key, t.n
           FROM jsonb_to_recordset($2::jsonb) AS t(profile_id uuid, values jsonb, key text, n int)
          ORDER BY t.profile_id, t.n DESC),
       targets AS (
         SELECT DISTINCT ON (c.id, i.value) c.id AS connection_id,
                COALESCE(o.object_type, CASE WHEN c.provider = 'hubspot' THEN 'contacts'
                                             WHEN i.value LIKE '00Q%' THEN 'Lead' ELSE 'Contact' END) AS object,
                i.value AS record_id, p.id AS profile_id, t.values, t.key
           FROM input t
           JOIN profiles p ON p.workspace_id = $1 AND p.id = t.profile_id AND p.consent <> 'denied'
           JOIN identities i ON i.workspace_id = $1 AND i.profile_id = p.id AND i.kind IN ('hubspot', 'salesforce')
           JOIN crm_connections c ON c.workspace_id = $1 AND c.provider = i.kind
           LEFT JOIN crm_objects o ON o.connection_id = c.id AND o.external_id = i.value
                                  AND o.object_type IN ${PERSON_OBJECTS}
          WHERE o.archived IS NOT TRUE
          ORDER BY c.id, i.value)
       INSERT INTO crm_writeback_outbox AS w (workspace_id, connection_id, object, record_id, profile_id, state,
                                             values, values_key)
       SELECT $1, connection_id, object, record_id, profile_id, 'pending', values, key FROM targets
       ON CONFLICT (connection_id, object, record_id) DO UPDATE SET
         profile_id = EXCLUDED.profile_id, values = EXCLUDED.values, values_key = EXCLUDED.values_key,
         version = w.version + 1, attempts = 0, last_error = NULL, not_before = now(), updated_at = now(),
         state = CASE WHEN w.last_sent = EXCLUDED.values_key AND w.claim_token IS NULL THEN 'sent' ELSE 'pending' END
       WHERE NOT (w.state = 'sent' AND w.last_sent = EXCLUDED.values_key)
         AND NOT (w.state = 'pending' AND w.values_key = EXCLUDED.values_key)
       RETURNING w.state`,
      [
        workspaceId,
        JSON.stringify(changes.map((c, n) => ({ profile_id: c.profileId, values: c.values, key: c.key, n }))),
      ],
    );
    return (rows as { state: string }[]).filter((r) => r.state === 'pending').length;
  }

  /** Each connection of the workspace with rows waiting: how many are due now, and when the next one is. */
  queues(workspaceId: string): Promise<ConnectionQueue[]> {
    return this.ds
      .query(
        `SELECT c.id AS "connectionId", c.provider, c.status,
                count(*) FILTER (WHERE w.not_before <= now()
                                   AND (w.claimed_until IS NULL OR w.claimed_until < now()))::int AS due,
                min(GREATEST(w.not_before, COALESCE(w.claimed_until, w.not_before))) AS "nextAt"
           FROM crm_writeback_outbox w JOIN crm_connections c ON c.id = w.connection_id
          WHERE w.workspace_id = $1 AND w.state = 'pending'
          GROUP BY c.id, c.provider, c.status ORDER BY c.provider`,
        [workspaceId],
      )
      .then((rows: ConnectionQueue[]) =>
        rows.map((r) => ({ ...r, nextAt: r.nextAt ? new Date(r.nextAt) : null })),
      );
  }

  async hasPending(workspaceId: string): Promise<boolean> {
    const rows: unknown[] = await this.ds.query(
      `SELECT 1 FROM crm_writeback_outbox WHERE workspace_id = $1 AND state = 'pending' LIMIT 1`,
      [workspaceId],
    );
    return rows.length > 0;
  }

  /**
   * A scoring run can queue a connection's whole CRM in a minute, well before autovacuum analyses the table.
   * With statistics that still say the connection has no rows, PostgreSQL plans the acknowledgement joins as
   * nested loops that scan all of them once per acknowledged row. A pass therefore brings the statistics up to
   * date first (see `analyzeIfStale`).
   */
  async refreshStatisticsIfStale(): Promise<boolean> {
    return (await analyzeIfStale(this.ds, ['crm_writeback_outbox'])).length > 0;
  }

  /** Workspaces with anything waiting, for waking their drains at worker start. */
  async pendingWorkspaces(): Promise<string[]> {
    const rows: { id: string }[] = await this.ds.query(
      `SELECT DISTINCT workspace_id AS id FROM crm_writeback_outbox WHERE state = 'pending'`,
    );
    return rows.map((r) => r.id);
  }

  /**
   * Claims up to `limit` due rows of a connection for `leaseMs` under `token`. Rows locked by another drain are
   * skipped; rows whose lease ran out (a drain that died) are due again.
   */
  async claim(connectionId: string, limit: number, leaseMs: number, token: string): Promise<ClaimedRow[]> {
    const [rows] = await this.ds.query(
      `WITH due AS (
         SELECT w.connection_id, w.object, w.record_id FROM crm_writeback_outbox w
          WHERE w.connection_id = $1 AND w.state = 'pending' AND w.not_before <= now()
            AND (w.claimed_until IS NULL OR w.claimed_until < now())
          ORDER BY w.not_before
          LIMIT $2 FOR UPDATE SKIP LOCKED)
       UPDATE crm_writeback_outbox w SET claim_token = $4, claimed_until = now() + $3 * interval '1 millisecond'
         FROM due WHERE w.connection_id = due.connection_id AND w.object = due.object AND w.record_id = due.record_id
       RETURNING w.object, w.record_id AS "recordId", w.values, w.values_key AS "valuesKey", w.version,
                 w.attempts, (SELECT p.consent FROM profiles p WHERE p.id = w.profile_id) AS consent`,
      [connectionId, limit, leaseMs, token],
    );
    // An UPDATE answers [rows, count].
    return rows as ClaimedRow[];
  }

  /**
   * The CRM accepted these (as claimed, at `version` with content `key`): that content is now what it holds. A
   * row changed since the claim stays pending unless it changed back to what was sent. Returns the rows updated
   * (a row missing was deleted meanwhile: its person was erased, or the connection removed).
   */
  async markSent(
    connectionId: string,
    token: string,
    sent: (RowRef & { version: number; key: string })[],
  ): Promise<RowRef[]> {
    if (!sent.length) return [];
    const [rows] = await this.ds.query(
      `UPDATE crm_writeback_outbox w SET last_sent = u.k, last_sent_at = now(), claim_token = NULL,
              claimed_until = NULL, last_error = NULL, updated_at = now(),
              attempts = CASE WHEN w.version = u.v THEN 0 ELSE w.attempts END,
              state = CASE WHEN w.version = u.v OR w.values_key = u.k THEN 'sent' ELSE 'pending' END
         FROM unnest($3::text[], $4::text[], $5::int[], $6::text[], ${TOKENS}) AS u(o, r, v, k, token)
        WHERE w.connection_id = $1 AND w.object = u.o AND w.record_id = u.r AND w.claim_token = u.token
       RETURNING w.object, w.record_id AS "recordId"`,
      [
        connectionId,
        token,
        sent.map((s) => s.object),
        sent.map((s) => s.recordId),
        sent.map((s) => s.version),
        sent.map((s) => s.key),
      ],
    );
    return rows as RowRef[];
  }

  /** Of these rows, the ones that still exist. */
  async existing(connectionId: string, refs: RowRef[]): Promise<RowRef[]> {
    if (!refs.length) return [];
    return this.ds.query(
      `SELECT w.object, w.record_id AS "recordId" FROM crm_writeback_outbox w
         JOIN unnest($2::text[], $3::text[]) AS u(o, r) ON w.object = u.o AND w.record_id = u.r
        WHERE w.connection_id = $1`,
      [connectionId, refs.map((r) => r.object), refs.map((r) => r.recordId)],
    );
  }

  /**
   * Claimed rows the CRM did not take: tried again after their delay, or `failed` for good when `dead`. The
   * attempt counts only when `counts` (a rate limit or a lost grant is not the record's fault).
   */
  async retryLater(
    connectionId: string,
    token: string,
    items: (RowRef & { reason: string; delayMs: number; dead: boolean; counts: boolean })[],
  ): Promise<void> {
    if (!items.length) return;
    await this.ds.query(
      `UPDATE crm_writeback_outbox w SET claim_token = NULL, claimed_until = NULL, updated_at = now(),
              last_error = u.reason, attempts = w.attempts + CASE WHEN u.counts THEN 1 ELSE 0 END,
              not_before = GREATEST(w.not_before, now() + u.delay * interval '1 millisecond'),
              state = CASE WHEN u.dead THEN 'failed' ELSE w.state END
         FROM unnest($3::text[], $4::text[], $5::text[], $6::bigint[], $7::boolean[], $8::boolean[], ${TOKENS})
           AS u(o, r, reason, delay, dead, counts, token)
        WHERE w.connection_id = $1 AND w.object = u.o AND w.record_id = u.r AND w.claim_token = u.token`,
      [
        connectionId,
        token,
        items.map((i) => i.object),
        items.map((i) => i.recordId),
        items.map((i) => i.reason),
        items.map((i) => Math.round(i.delayMs)),
        items.map((i) => i.dead),
        items.map((i) => i.counts),
      ],
    );
  }

  /** The CRM asked to wait: no row of the connection is sent before `until`. */
  async pause(connectionId: string, until: Date): Promise<void> {
    await this.ds.query(
      `UPDATE crm_writeback_outbox SET not_before = $2, updated_at = now()
        WHERE connection_id = $1 AND state = 'pending' AND not_before < $2`,
      [connectionId, until],
    );
  }

  /** Claimed rows that are not to be sent (the person opted out since they were queued). */
  async cancel(connectionId: string, token: string, refs: RowRef[], reason: string): Promise<void> {
    if (!refs.length) return;
    await this.ds.query(
      `UPDATE crm_writeback_outbox w SET state = 'cancelled', last_error = $5, claim_token = NULL,
              claimed_until = NULL, updated_at = now()
         FROM unnest($3::text[], $4::text[], ${TOKENS}) AS u(o, r, token)
        WHERE w.connection_id = $1 AND w.object = u.o AND w.record_id = u.r AND w.claim_token = u.token`,
      [connectionId, token, refs.map((r) => r.object), refs.map((r) => r.recordId), reason],
    );
  }

  /** Counts per state for a connection (the admin's view, tests). */
  async counts(connectionId: string): Promise<Record<string, number>> {
    const rows: { state: string; n: number }[] = await this.ds.query(
      `SELECT state, count(*)::int AS n FROM crm_writeback_outbox WHERE connection_id = $1 GROUP BY state`,
      [connectionId],
    );
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  }
}
