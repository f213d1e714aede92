import { Inject, Injectable } from '@nestjs/common';
import { applyIdentityLinks } from '../identity/profile-merge';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { analyzeIfStale } from '../../database/table-statistics';
import { findIdentities, lockIdentities } from '../identity/identity-lookup';
import { keyOf, planIdentities, type IdentityKey } from '../identity/identity-plan';
import type { CrmProvider, CrmRecord, PulledPage, StreamState, SyncKind } from './crm-records';

export interface SyncRunRow {
  id: string;
  workspaceId: string;
  connectionId: string;
  kind: SyncKind;
  state: 'running' | 'completed' | 'failed';
  /** The phase under way (see `phasesOf`), and the streams of it that are through. */
  phase: number;
  streamsDone: string[];
  done: number;
  estimatedTotal: number | null;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

export interface DealState {
  provider: CrmProvider;
  objectType: string;
  externalId: string;
  name: string | null;
  stage: string | null;
  stageEnteredAt: Date | null;
  amount: number | null;
  ownerId: string | null;
  closeDate: string | null;
  remoteUpdatedAt: Date | null;
}

export interface SyncConnection {
  id: string;
  provider: CrmProvider;
  status: string;
  syncIntervalMinutes: number;
  apiUsageUsed: number | null;
  apiUsageLimit: number | null;
}

const RUN_COLUMNS = `id, workspace_id AS "workspaceId", connection_id AS "connectionId", kind, state, phase,
  streams_done AS "streamsDone",
  done::float8 AS done, estimated_total::float8 AS "estimatedTotal", error, started_at AS "startedAt",
  finished_at AS "finishedAt"`;

/** Every statement names its workspace; a page's records, its cursor and the run's progress commit together. */
@Injectable()
export class CrmSyncRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  /** The tables a pull writes by key, page after page, brought up to date when a load outran autovacuum. */
  refreshStatisticsIfStale(): Promise<string[]> {
    return analyzeIfStale(this.ds, ['crm_objects', 'crm_associations', 'profiles', 'identities']);
  }

  /** Across workspaces, for the worker's start-up only. */
  allConnections(): Promise<{ workspaceId: string; id: string }[]> {
    return this.ds.query(`SELECT workspace_id AS "workspaceId", id FROM crm_connections`);
  }

  async connection(workspaceId: string, connectionId: string): Promise<SyncConnection | null> {
    const [row] = await this.ds.query(
      `SELECT id, provider, status, sync_interval_minutes AS "syncIntervalMinutes", api_usage_used AS "apiUsageUsed",
              api_usage_limit AS "apiUsageLimit"
         FROM crm_connections WHERE workspace_id = $1 AND id = $2`,
      [workspaceId, connectionId],
    );
    return row ?? null;
  }

  /** The connection's status as the admin sees it; `needs_reauth` is left alone unless `force`. */
  async setConnectionStatus(
    workspaceId: string,
    connectionId: string,
    status: 'active' | 'syncing' | 'error',
    reason: string | null,
  ): Promise<void> {
    await this.ds.query(
      `UPDATE crm_connections SET status = $3, status_reason = $4, updated_at = now()
        WHERE workspace_id = $1 AND id = $2 AND status <> 'needs_reauth'`,
      [workspaceId, connectionId, status, reason],
    );
  }

  // ---------------------------------------------------------------- runs

  /** Creates the run unless it exists (an activity may run twice). */
  async createRun(
    runId: string,
    workspaceId: string,
    connectionId: string,
    kind: SyncKind,
  ): Promise<SyncRunRow> {
    await this.ds.query(
      `INSERT INTO sync_runs (id, workspace_id, connection_id, kind) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING`,
      [runId, workspaceId, connectionId, kind],
    );
    return (await this.run(workspaceId, runId))!;
  }

  async run(workspaceId: string, runId: string): Promise<SyncRunRow | null> {
    const [row] = await this.ds.query(
      `SELECT ${RUN_COLUMNS} FROM sync_runs WHERE workspace_id = $1 AND id = $2`,
      [workspaceId, runId],
    );
    return row ?? null;
  }

  /** For a run whose workflow could not be started. */
  async dropRun(workspaceId: string, runId: string): Promise<void> {
    await this.ds.query(`DELETE FROM sync_runs WHERE workspace_id = $1 AND id = $2 AND done = 0`, [
      workspaceId,
      runId,
    ]);
  }

  /** Another run of this connection still going (a page committed in the last half hour), other than `runId`. */
  async otherRunning(workspaceId: string, connectionId: string, runId: string): Promise<SyncRunRow | null> {
    const [row] = await this.ds.query(
      `SELECT ${RUN_COLUMNS} FROM sync_runs
        WHERE workspace_id = $1 AND connection_id = $2 AND id <> $3 AND state = 'running'
          AND updated_at > now() - interval '30 minutes'
        ORDER BY started_at DESC LIMIT 1`,
      [workspaceId, connectionId, runId],
    );
    return row ?? null;
  }

  latestRuns(workspaceId: string, connectionId: string, limit = 20): Promise<SyncRunRow[]> {
    return this.ds.query(
      `SELECT ${RUN_COLUMNS} FROM sync_runs WHERE workspace_id = $1 AND connection_id = $2
        ORDER BY started_at DESC, id LIMIT $3`,
      [workspaceId, connectionId, limit],
    );
  }

  async setEstimate(workspaceId: string, runId: string, total: number): Promise<void> {
    await this.ds.query(`UPDATE sync_runs SET estimated_total = $3 WHERE workspace_id = $1 AND id = $2`, [
      workspaceId,
      runId,
      total,
    ]);
  }

  async finishRun(
    workspaceId: string,
    runId: string,
    state: 'completed' | 'failed',
    error: string | null,
  ): Promise<void> {
    await this.ds.query(
      `UPDATE sync_runs SET state = $3, error = $4, finished_at = now(),
              estimated_total = CASE WHEN $3 = 'completed' THEN GREATEST(COALESCE(estimated_total, 0), done) ELSE estimated_total END
        WHERE workspace_id = $1 AND id = $2 AND state = 'running'`,
      [workspaceId, runId, state, error],
    );
  }

  // ---------------------------------------------------------------- cursors

  async hasCursors(workspaceId: string, connectionId: string): Promise<boolean> {
    const [row] = await this.ds.query(
      `SELECT EXISTS (SELECT 1 FROM sync_cursors WHERE workspace_id = $1 AND connection_id = $2 AND cursor IS NOT NULL) AS x`,
      [workspaceId, connectionId],
    );
    return row.x;
  }

  /** A full run reads everything again: forget high-water marks and passes in progress. */
  async resetCursors(workspaceId: string, connectionId: string): Promise<void> {
    await this.ds.query(`DELETE FROM sync_cursors WHERE workspace_id = $1 AND connection_id = $2`, [
      workspaceId,
      connectionId,
    ]);
  }

  async cursor(
    workspaceId: string,
    connectionId: string,
    stream: string,
    em?: EntityManager,
  ): Promise<StreamState> {
    const [row] = await (em ?? this.ds.manager).query(
      `SELECT cursor, after, window_from, max_seen FROM sync_cursors
        WHERE workspace_id = $1 AND connection_id = $2 AND object_type = $3 ${em ? 'FOR UPDATE' : ''}`,
      [workspaceId, connectionId, stream],
    );
    return {
      cursor: row?.cursor ? new Date(row.cursor) : null,
      after: row?.after ?? null,
      windowFrom: row?.window_from ? new Date(row.window_from) : null,
      maxSeen: row?.max_seen ? new Date(row.max_seen) : null,
    };
  }

  // ---------------------------------------------------------------- pages

  /**
   * Commits one pulled page in one transaction: the stream's cursor is checked to be where the page started
   * (so a page pulled twice, by a retried activity, commits once), records resolved to profiles and accounts,
   * associations, deletions, the new cursor and the run's progress. Streams of a phase commit side by side: the
   * stream's cursor row is the lock, and the run's row is touched last, briefly.
   */
  async commitPage(input: {
    workspaceId: string;
    connectionId: string;
    provider: CrmProvider;
    runId: string;
    stream: string;
    /** The phase the page was pulled in, and all of its streams. */
    phase: number;
    phaseStreams: string[];
    from: StreamState;
    page: PulledPage;
  }): Promise<{ committed: boolean }> {
    const { workspaceId, connectionId, provider, page } = input;
    return this.ds.transaction(async (em) => {
      await em.query(
        `INSERT INTO sync_cursors (workspace_id, connection_id, object_type) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [workspaceId, connectionId, input.stream],
      );
      const now = await this.cursor(workspaceId, connectionId, input.stream, em);
      const [run] = await em.query(
        `SELECT phase, streams_done AS "streamsDone" FROM sync_runs
          WHERE workspace_id = $1 AND id = $2 AND state = 'running'`,
        [workspaceId, input.runId],
      );
      if (!run || run.phase !== input.phase || run.streamsDone.includes(input.stream))
        return { committed: false };
      if (!sameState(now, input.from)) return { committed: false };

      const companies = page.records.filter((r) => r.role === 'company');
      const people = page.records.filter((r) => r.role === 'person');
      const accountOf = await this.upsertAccounts(em, workspaceId, companies);
      // Links first, and people resolved before their rows are written: each row and each new profile then gets
      // its profile and account as it is inserted, instead of updates of the rows just written (which would also
      // check their foreign keys and fire the change trigger again).
      if (page.associations.length) await this.upsertAssociations(em, workspaceId, connectionId, page);
      const personAccount = await this.accountsOfPeople(em, workspaceId, connectionId, people);
      const { profileOf, created } = await this.resolvePeople(
        em,
        workspaceId,
        provider,
        people,
        personAccount,
      );
      await this.upsertObjects(
        em,
        workspaceId,
        connectionId,
        page.records,
        (r) => (r.role === 'person' ? personAccount : accountOf).get(r.externalId) ?? null,
        profileOf,
      );
      const known = people.filter((p) => !created.has(profileOf.get(p.externalId)!));
      if (known.length) await this.updateProfiles(em, workspaceId, known, profileOf, personAccount);
      if (page.deletions.externalIds.length) {
        await em.query(
          `UPDATE crm_objects SET archived = true, synced_at = now()
            WHERE workspace_id = $1 AND connection_id = $2 AND object_type = $3 AND external_id = ANY($4::text[])`,
          [workspaceId, connectionId, page.deletions.objectType, page.deletions.externalIds],
        );
      }
      const n = page.next;
      await em.query(
        `UPDATE sync_cursors SET cursor = $4, after = $5, window_from = $6, max_seen = $7, updated_at = now()
          WHERE workspace_id = $1 AND connection_id = $2 AND object_type = $3`,
        [workspaceId, connectionId, input.stream, n.cursor, n.after, n.windowFrom, n.maxSeen],
      );
      // The last stream of the phase to finish moves the run on to the next phase.
      await em.query(
        `UPDATE sync_runs
            SET done = done + $3,
                phase = phase + CASE WHEN $5::text[] <@ (streams_done || $4::text[]) THEN 1 ELSE 0 END,
                streams_done = CASE WHEN $5::text[] <@ (streams_done || $4::text[]) THEN '{}'
                                    ELSE streams_done || $4::text[] END,
                updated_at = now()
          WHERE workspace_id = $1 AND id = $2`,
        [
          workspaceId,
          input.runId,
          page.records.length + page.deletions.externalIds.length,
          page.finished ? [input.stream] : [],
          input.phaseStreams,
        ],
      );
      return { committed: true };
    });
  }

  /** Companies/accounts become Cairn accounts by web domain; those without one stay CRM-only. */
  private async upsertAccounts(
    em: EntityManager,
    workspaceId: string,
    companies: CrmRecord[],
  ): Promise<Map<string, string>> {
    const withDomain = [...new Map(companies.filter((c) => c.domain).map((c) => [c.domain!, c])).values()];
    if (!withDomain.length) return new Map();
    const rows: { id: string; domain: string }[] = await em.query(
      `INSERT INTO accounts (workspace_id, domain, name)
       SELECT $1, d, n FROM unnest($2::text[], $3::text[]) AS u(d, n)
       ON CONFLICT (workspace_id, domain) WHERE domain IS NOT NULL
       DO UPDATE SET name = COALESCE(accounts.name, EXCLUDED.name), updated_at = now()
       RETURNING id, domain`,
      [workspaceId, withDomain.map((c) => c.domain), withDomain.map((c) => c.name ?? null)],
    );
    const byDomain = new Map(rows.map((r) => [r.domain, r.id]));
    return new Map(companies.filter((c) => c.domain).map((c) => [c.externalId, byDomain.get(c.domain!)!]));
  }

  /**
   * Writes the page's rows. A person's row carries its profile and account: the account of an associated company
   * when the CRM links one, else the account whose domain is the email's. An email activity's row carries the
   * profile of the first associated person Cairn knows. A deal's stage-entered time is the CRM's own when it has
   * one, else the time Cairn first saw the stage.
   */
  private async upsertObjects(
    em: EntityManager,
    workspaceId: string,
    connectionId: string,
    records: CrmRecord[],
    accountOf: (r: CrmRecord) => string | null,
    profileOf: Map<string, string>,
  ): Promise<void> {
    if (!records.length) return;
    await em.query(
      `INSERT INTO crm_objects (workspace_id, connection_id, object_type, external_id, properties, remote_updated_at,
                                archived, account_id, profile_id, stage, stage_entered_at, amount, owner_id, close_date)
       SELECT $1, $2, t.object_type, t.external_id, t.properties, t.remote_updated_at, t.archived,
              t.account_id,
              CASE WHEN t.role = 'email' THEN ${linked('profile_id', 't.object_type', 't.external_id')}
                   ELSE t.profile_id END,
              t.stage,
              CASE WHEN t.stage IS NULL THEN NULL
                   WHEN t.exact AND t.stage_entered_at IS NOT NULL THEN t.stage_entered_at
                   WHEN e.stage IS DISTINCT FROM t.stage THEN t.stage_entered_at
                   ELSE e.stage_entered_at END,
              t.amount, t.owner_id, t.close_date
         FROM jsonb_to_recordset($3::jsonb) AS t(object_type text, external_id text, role text, properties jsonb,
              remote_updated_at timestamptz, archived boolean, account_id uuid, profile_id uuid, stage text,
              stage_entered_at timestamptz, exact boolean, amount numeric, owner_id text, close_date date)
         LEFT JOIN crm_objects e ON e.connection_id = $2 AND e.object_type = t.object_type
                                AND e.external_id = t.external_id AND e.workspace_id = $1
       ON CONFLICT (connection_id, object_type, external_id) DO UPDATE SET
         properties = EXCLUDED.properties, remote_updated_at = EXCLUDED.remote_updated_at, archived = false,
         account_id = COALESCE(EXCLUDED.account_id, crm_objects.account_id),
         profile_id = COALESCE(EXCLUDED.profile_id, crm_objects.profile_id),
         stage = EXCLUDED.stage, stage_entered_at = EXCLUDED.stage_entered_at, amount = EXCLUDED.amount,
         owner_id = EXCLUDED.owner_id, close_date = EXCLUDED.close_date, synced_at = now()
       WHERE crm_objects.workspace_id = EXCLUDED.workspace_id`,
      [
        workspaceId,
        connectionId,
        JSON.stringify(
          records.map((r) => ({
            object_type: r.objectType,
            external_id: r.externalId,
            role: r.role,
            properties: r.properties,
            remote_updated_at: r.remoteUpdatedAt,
            archived: r.archived,
            account_id: accountOf(r),
            profile_id: profileOf.get(r.externalId) ?? null,
            stage: r.deal?.stage ?? null,
            stage_entered_at: r.deal?.stageEnteredAt ?? null,
            exact: r.deal?.exact ?? false,
            amount: r.deal?.amount ?? null,
            owner_id: r.deal?.ownerId ?? null,
            close_date: r.deal?.closeDate ?? null,
          })),
        ),
      ],
    );
  }

  private async upsertAssociations(
    em: EntityManager,
    workspaceId: string,
    connectionId: string,
    page: PulledPage,
  ): Promise<void> {
    const list = page.associations;
    // The page says everything about its records' links of these kinds: drop links that are gone.
    const pageIds = page.records.map((r) => r.externalId);
    const kinds = [...new Set(list.map((a) => `${a.fromType}\u0000${a.toType}`))];
    for (const k of kinds) {
      const [fromType, toType] = k.split('\u0000') as [string, string];
      const fromIds = pageIds.filter((id) => list.some((a) => a.fromId === id && a.fromType === fromType));
      if (!fromIds.length) continue;
      await em.query(
        `DELETE FROM crm_associations WHERE workspace_id = $1 AND connection_id = $2 AND from_type = $3
            AND to_type = $4 AND from_id = ANY($5::text[])
            AND NOT (to_id = ANY($6::text[]))`,
        [
          workspaceId,
          connectionId,
          fromType,
          toType,
          fromIds,
          list.filter((a) => a.fromType === fromType && a.toType === toType).map((a) => a.toId),
        ],
      );
    }
    await em.query(
      `INSERT INTO crm_associations (workspace_id, connection_id, from_type, from_id, to_type, to_id, label)
       SELECT $1, $2, f, fi, t, ti, l FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
         AS u(f, fi, t, ti, l)
       ON CONFLICT (connection_id, from_type, from_id, to_type, to_id) DO UPDATE SET label = EXCLUDED.label`,
      [
        workspaceId,
        connectionId,
        list.map((a) => a.fromType),
        list.map((a) => a.fromId),
        list.map((a) => a.toType),
        list.map((a) => a.toId),
        list.map((a) => a.label),
      ],
    );
  }

  /**
   * A person's account: the account of a company the CRM links them to, else the account whose domain is their
   * email's. By external id.
   */
  private async accountsOfPeople(
    em: EntityManager,
    workspaceId: string,
    connectionId: string,
    people: CrmRecord[],
  ): Promise<Map<string, string>> {
    if (!people.length) return new Map();
    const rows: { id: string; account: string }[] = await em.query(
      `SELECT u.id, COALESCE(${linked('account_id', 'u.t', 'u.id')},
                             (SELECT ac.id FROM accounts ac
                               WHERE ac.workspace_id = $1 AND ac.domain = split_part(lower(u.email), '@', 2))) AS account
         FROM unnest($3::text[], $4::text[], $5::text[]) AS u(t, id, email)`,
      [
        workspaceId,
        connectionId,
        people.map((p) => p.objectType),
        people.map((p) => p.externalId),
        people.map((p) => p.email ?? ''),
      ],
    );
    return new Map(rows.filter((r) => r.account).map((r) => [r.id, r.account]));
  }

  /**
   * People resolve like tracked messages do: the CRM id and the email address seen together are one person, so
   * a known CRM id or email finds the profile, identifiers linking two profiles merge them into the older, and
   * nobody known founds a new profile, with the record's email, name and account. Locks are the ones ingestion
   * takes, so both serialise on a person.
   */
  private async resolvePeople(
    em: EntityManager,
    workspaceId: string,
    provider: CrmProvider,
    people: CrmRecord[],
    accountOf: Map<string, string>,
  ): Promise<{ profileOf: Map<string, string>; created: Set<string> }> {
    if (!people.length) return { profileOf: new Map(), created: new Set() };
    const inputs: IdentityKey[][] = people.map((p) => [
      { kind: provider, value: p.externalId },
      ...(p.email ? [{ kind: 'email' as const, value: p.email }] : []),
    ]);
    const keys = [...new Map(inputs.flat().map((k) => [keyOf(k), k])).values()];
    await lockIdentities(em, workspaceId, keys);
    const { existing } = await findIdentities(em, workspaceId, keys);
    const plan = planIdentities(inputs, existing, randomUUID);
    if (plan.newProfiles.length) {
      // Each new profile from the earliest-created of its records.
      const founder = new Map<string, CrmRecord>();
      plan.profileOf.forEach((id, i) => {
        const p = people[i]!;
        const seen = founder.get(id);
        if (!seen || (p.createdAt ?? Infinity) < (seen.createdAt ?? Infinity)) founder.set(id, p);
      });
      const rows = plan.newProfiles.map((id) => founder.get(id)!);
      await em.query(
        `INSERT INTO profiles (id, workspace_id, first_seen_at, last_seen_at, email, account_id, traits)
         SELECT id, $1, t, t, e, a, jsonb_strip_nulls(jsonb_build_object('name', n))
           FROM unnest($2::uuid[], $3::timestamptz[], $4::text[], $5::uuid[], $6::text[]) AS u(id, t, e, a, n)`,
        [
          workspaceId,
          plan.newProfiles,
          rows.map((p) => p.createdAt ?? new Date()),
          rows.map((p) => p.email ?? null),
          rows.map((p) => accountOf.get(p.externalId) ?? null),
          rows.map((p) => p.name ?? null),
        ],
      );
    }
    await applyIdentityLinks(em, workspaceId, plan, 'one CRM record');
    return {
      profileOf: new Map(people.map((p, i) => [p.externalId, plan.profileOf[i]!])),
      created: new Set(plan.newProfiles),
    };
  }

  /** Gives known people's profiles the email, account and name their CRM record has, where that changes them. */
  private async updateProfiles(
    em: EntityManager,
    workspaceId: string,
    people: CrmRecord[],
    profileOf: Map<string, string>,
    accountOf: Map<string, string>,
  ): Promise<void> {
    await em.query(
      `UPDATE profiles p SET email = COALESCE(p.email, u.email), account_id = COALESCE(u.account, p.account_id),
              traits = p.traits || jsonb_strip_nulls(jsonb_build_object('name', u.name)), updated_at = now()
         FROM unnest($2::uuid[], $3::text[], $4::uuid[], $5::text[]) AS u(id, email, account, name)
        WHERE p.workspace_id = $1 AND p.id = u.id
          AND ((p.email IS NULL AND u.email IS NOT NULL)
               OR (u.account IS NOT NULL AND u.account IS DISTINCT FROM p.account_id)
               OR (u.name IS NOT NULL AND p.traits->>'name' IS DISTINCT FROM u.name))`,
      [
        workspaceId,
        people.map((p) => profileOf.get(p.externalId)),
        people.map((p) => p.email ?? null),
        people.map((p) => accountOf.get(p.externalId) ?? null),
        people.map((p) => p.name ?? null),
      ],
    );
  }

  // ---------------------------------------------------------------- reads

  /**
   * The deals a person is on (HubSpot deal → contact associations, Salesforce opportunity contact roles), with
   * stage and when it entered it, newest activity first. Archived/deleted deals are left out.
   */
  dealStateOf(workspaceId: string, profileId: string): Promise<DealState[]> {
    return this.ds
      .query(
        `SELECT DISTINCT ON (d.connection_id, d.object_type, d.external_id)
                c.provider, d.object_type AS "objectType", d.external_id AS "externalId",
                COALESCE(d.properties->>'dealname', d.properties->>'Name') AS name, d.stage,
                d.stage_entered_at AS "stageEnteredAt", d.amount::float8 AS amount, d.owner_id AS "ownerId",
                to_char(d.close_date, 'YYYY-MM-DD') AS "closeDate", d.remote_updated_at AS "remoteUpdatedAt"
           FROM crm_objects p
           JOIN crm_associations a ON a.connection_id = p.connection_id AND a.to_type = p.object_type
                                  AND a.to_id = p.external_id AND a.from_type IN ('deals', 'Opportunity')
           JOIN crm_objects d ON d.connection_id = a.connection_id AND d.object_type = a.from_type
                             AND d.external_id = a.from_id AND NOT d.archived AND d.workspace_id = $1
           JOIN crm_connections c ON c.id = d.connection_id AND c.workspace_id = $1
          WHERE p.workspace_id = $1 AND p.profile_id = $2 AND NOT p.archived`,
        [workspaceId, profileId],
      )
      .then((rows: DealState[]) =>
        rows.sort((a, b) => +new Date(b.remoteUpdatedAt ?? 0) - +new Date(a.remoteUpdatedAt ?? 0)),
      );
  }
}

/**
 * The `column` of the first record linked from the record (`type`, `id`) that has one, looked up by key: a probe
 * per row. The connection is parameter $2.
 */
function linked(column: 'account_id' | 'profile_id', type: string, id: string): string {
  return `(SELECT c.${column} FROM crm_associations a
             JOIN crm_objects c ON c.connection_id = a.connection_id AND c.object_type = a.to_type
                               AND c.external_id = a.to_id AND c.${column} IS NOT NULL
            WHERE a.connection_id = $2 AND a.from_type = ${type} AND a.from_id = ${id}
            ORDER BY a.to_id LIMIT 1)`;
}

function sameState(a: StreamState, b: StreamState): boolean {
  const t = (d: Date | null) => (d ? new Date(d).getTime() : null);
  return (
    t(a.cursor) === t(b.cursor) &&
    (a.after ?? null) === (b.after ?? null) &&
    t(a.windowFrom) === t(b.windowFrom) &&
    t(a.maxSeen) === t(b.maxSeen)
  );
}
