import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { preparedStatements, type StatementRunner } from '../../database/prepared-statements';
import { findIdentities, identityLocksSql, type KnownProfile } from '../identity/identity-lookup';
import { keyOf, planIdentities, type IdentityKey } from '../identity/identity-plan';
import { applyIdentityLinks, type SqlRunner } from '../identity/profile-merge';
import type { TrackedMessage } from '../segment/segment-message';
import { EventPartitions } from './event-partitions';
import { decodeEntries, type InboxEntry } from './inbox-entry';
import { RejectionsRepository } from './rejections.repository';

/** What the resolver keeps of a workspace's entries (consent and erasure are decided outside this module). */
export type EntryFilter = (workspaceId: string, entries: InboxEntry[]) => Promise<InboxEntry[]>;

export interface Resolved {
  /** Events taken from the inbox; 0 when it was empty. */
  taken: number;
  /** When the oldest of them was acknowledged: how far resolution lags behind. */
  oldest: Date | null;
  /** Entries that failed on their own and were set aside as rejections instead of blocking the inbox. */
  failed: number;
}

/**
 * The resolving half of ingestion: takes the oldest messages from the inbox and, in one transaction, resolves
 * their identities (with merges), writes the events, the profile updates and accounts, and deletes them from
 * the inbox. Set-based SQL throughout, so a few thousand events cost a handful of round trips; a crash before
 * commit leaves them in the inbox for the next try.
 */
@Injectable()
export class ResolutionRepository {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(EventPartitions) private readonly partitions: EventPartitions,
    @Inject(RejectionsRepository) private readonly rejections: RejectionsRepository,
  ) {}

  /**
   * Resolves inbox rows holding up to about `maxEvents` events, skipping rows another resolver holds. With
   * `oneByOne`, each entry is written under its own savepoint and one that fails alone is recorded as a
   * rejection with the database's reason: the way past a message no batch can take.
   */
  async resolveNext(maxEvents: number, keep: EntryFilter, oneByOne = false): Promise<Resolved> {
    const qr = this.ds.createQueryRunner();
    const db = await preparedStatements(qr);
    try {
      await qr.startTransaction();
      const candidates = (await db.query(
        `SELECT id, events FROM event_inbox ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [INBOX_ROWS_PER_TAKE],
      )) as { id: string; events: number }[];
      const ids: string[] = [];
      let taken = 0;
      for (const c of candidates) {
        if (ids.length && taken + c.events > maxEvents) break;
        ids.push(c.id);
        taken += c.events;
      }
      if (!ids.length) {
        await qr.commitTransaction();
        return { taken: 0, oldest: null, failed: 0 };
      }
      const rows = (await db.query(
        `DELETE FROM event_inbox WHERE id = ANY($1::bigint[]) RETURNING id, workspace_id AS "workspaceId", received_at AS "receivedAt", entries`,
        [ids],
      )) as [{ id: string; workspaceId: string; receivedAt: Date; entries: string }[], number];
      const oldest = new Date(Math.min(...rows[0].map((r) => r.receivedAt.getTime())));
      const byWorkspace = new Map<string, InboxEntry[]>();
      for (const r of rows[0].sort((a, b) => Number(a.id) - Number(b.id))) {
        const list = byWorkspace.get(r.workspaceId) ?? [];
        list.push(...decodeEntries(r.entries));
        byWorkspace.set(r.workspaceId, list);
      }
      await this.partitions.ensureFor(
        [...byWorkspace.values()].flatMap((list) => list.map((e) => e.message.timestamp)),
      );
      let failed = 0;
      // Workspaces in a fixed order, so concurrent resolvers take their locks in the same order.
      for (const workspaceId of [...byWorkspace.keys()].sort()) {
        const entries = await keep(workspaceId, byWorkspace.get(workspaceId)!);
        if (!entries.length) continue;
        if (!oneByOne) {
          await this.write(db, workspaceId, entries);
          continue;
        }
        for (const entry of entries) {
          await db.query('SAVEPOINT entry');
          try {
            await this.write(db, workspaceId, [entry]);
            await db.query('RELEASE SAVEPOINT entry');
          } catch (e) {
            await db.query('ROLLBACK TO SAVEPOINT entry');
            await this.rejections.record(
              workspaceId,
              entry.sourceId,
              [
                {
                  reason: `accepted but could not be stored: ${(e as Error).message}`,
                  payload: entry.message,
                },
              ],
              db,
            );
            failed++;
          }
        }
      }
      await qr.commitTransaction();
      return { taken, oldest, failed };
    } catch (e) {
      if (qr.isTransactionActive) await qr.rollbackTransaction();
      throw e;
    } finally {
      await qr.release();
    }
  }

  /** Forgets messageIds first seen before `before`: their repeats are stored again after that. */
  async purgeMessageIds(before: Date): Promise<number> {
    const [, count] = await this.ds.query(`DELETE FROM event_message_ids WHERE received_at < $1`, [before]);
    return Number(count);
  }

  /** Across workspaces, for the operators' metrics: how much waits and for how long the oldest has. */
  async waitingOverall(): Promise<{ events: number; lagSeconds: number }> {
    const [row] = (await this.ds.query(
      `SELECT COALESCE(sum(events), 0)::int AS events,
              COALESCE(extract(epoch FROM now() - min(received_at)), 0)::float8 AS "lagSeconds"
         FROM event_inbox`,
    )) as { events: number; lagSeconds: number }[];
    return row!;
  }

  /** What of a workspace is acknowledged but not yet resolved. */
  async waiting(workspaceId: string): Promise<{ events: number; oldestReceivedAt: Date | null }> {
    const [row] = (await this.ds.query(
      `SELECT COALESCE(sum(events), 0)::int AS events, min(received_at) AS "oldestReceivedAt"
         FROM event_inbox WHERE workspace_id = $1`,
      [workspaceId],
    )) as { events: number; oldestReceivedAt: Date | null }[];
    return row!;
  }

  /**
   * Resolves one workspace's entries to profiles and writes them as events; those whose messageId was already
   * stored (a sender's retry) are dropped.
   */
  private async write(db: StatementRunner, workspaceId: string, all: InboxEntry[]): Promise<void> {
    const allIdentities = all.map((e) => identityKeysOf(e.message));
    const lookups = uniqueKeys(allIdentities.flat().concat(all.flatMap((e) => aliasCandidates(e.message))));
    // One round trip takes the identity locks and claims the messageIds (the ledger key is the digest of
    // workspace and messageId). The lookup must be a later statement: a statement's snapshot is taken before
    // its locks are granted.
    const claimed = (await db.query(
      `WITH locks AS MATERIALIZED (${identityLocksSql('$1', '$2', '$3')}),
       ids AS (SELECT id, md5($1::text || ':' || id)::uuid AS key FROM unnest($4::text[]) AS id),
       claimed AS (
         INSERT INTO event_message_ids (key, received_at)
         SELECT key, $5 FROM ids WHERE (SELECT count(*) FROM locks) >= 0
         ON CONFLICT DO NOTHING RETURNING key)
       SELECT ids.id FROM ids JOIN claimed USING (key)`,
      [
        workspaceId,
        lookups.map((k) => k.kind),
        lookups.map((k) => k.value),
        all.map((e) => e.message.messageId),
        all[0]!.message.receivedAt,
      ],
    )) as { id: string }[];
    const fresh = new Set(claimed.map((r) => r.id));
    // A messageId twice in one batch counts once.
    const stored = all.map((e) => fresh.delete(e.message.messageId));
    const entries = all.filter((_, i) => stored[i]);
    if (!entries.length) return;
    const messages = entries.map((e) => e.message);
    const mappings = entries.map((e) => e.mapping);
    const sources = entries.map((e) => e.sourceId);
    const identities = allIdentities.filter((_, i) => stored[i]);
    const { existing, profiles: states } = await findIdentities(db, workspaceId, lookups);
    // An alias' previousId is whichever kind of id it was seen as; unseen, it was an anonymous id.
    messages.forEach((m, i) => {
      if (m.type !== 'alias' || !m.previousId) return;
      const asUser: IdentityKey = { kind: 'user_id', value: m.previousId };
      identities[i]!.push(
        existing.has(keyOf(asUser)) ? asUser : { kind: 'anonymous_id', value: m.previousId },
      );
    });
    const plan = planIdentities(identities, existing, randomUUID);
    const accountOf = await this.upsertAccounts(db, workspaceId, messages);
    const changes = profileChanges(messages, plan.profileOf, accountOf);
    const created = new Set(plan.newProfiles);
    // Merges are rare and several statements each; they run first so the rest sees the survivors.
    if (plan.merges.length) {
      await this.insertProfiles(
        db,
        workspaceId,
        plan.newProfiles.map((id) => ({ id, ...changes.get(id)! })),
      );
      await applyIdentityLinks(db, workspaceId, plan, 'identifiers seen together');
    }
    const updated = [...changes.keys()].filter(
      (id) => !created.has(id) && (plan.merges.length > 0 || worthWriting(changes.get(id)!, states.get(id))),
    );
    const inserted = plan.merges.length ? [] : plan.newProfiles;
    const links = plan.merges.length ? [] : plan.newIdentities;
    const profile = (ids: string[]) => ids.map((id) => changes.get(id)!);
    // New profiles, their identifiers, profile upkeep and the events: one statement. Foreign keys are checked
    // at its end, when the new profiles exist. The update repeats its join as `p.id = ANY(...)` so the planner
    // probes the primary key instead of scanning all the workspace's profiles to hash-join a few hundred.
    await db.query(
      `WITH new_profiles AS (
         INSERT INTO profiles (id, workspace_id, first_seen_at, last_seen_at, traits, email, consent, account_id)
         SELECT id, $1, first, last, traits, email, COALESCE(consent, 'unknown'), account
           FROM unnest($2::uuid[], $3::timestamptz[], $4::timestamptz[], $5::jsonb[], $6::text[], $7::text[], $8::uuid[])
             AS u(id, first, last, traits, email, consent, account)
       ), new_identities AS (
         INSERT INTO identities (workspace_id, kind, value, profile_id)
         SELECT $1, k, v, p FROM unnest($9::text[], $10::text[], $11::uuid[]) AS t(k, v, p)
         ON CONFLICT DO NOTHING
       ), seen AS (
         UPDATE profiles p SET first_seen_at = LEAST(p.first_seen_at, u.first),
                last_seen_at = GREATEST(p.last_seen_at, u.last), traits = p.traits || u.traits,
                email = COALESCE(u.email, p.email), consent = COALESCE(u.consent, p.consent),
                account_id = COALESCE(u.account, p.account_id), updated_at = now()
           FROM unnest($12::uuid[], $13::timestamptz[], $14::timestamptz[], $15::jsonb[], $16::text[], $17::text[], $18::uuid[])
             AS u(id, first, last, traits, email, consent, account)
          WHERE p.id = u.id AND p.id = ANY($12::uuid[])
       ), queued AS (
         INSERT INTO scoring_queue (profile_id, workspace_id, queued_at)
         SELECT p, $1, $20 FROM unnest($19::uuid[]) AS p
         ON CONFLICT DO NOTHING
       )
       SELECT 1`,
      [
        workspaceId,
        ...profileColumns(inserted, profile(inserted)),
        links.map((n) => n.kind),
        links.map((n) => n.value),
        links.map((n) => n.profileId),
        ...profileColumns(updated, profile(updated)),
        // Everyone who did something is re-scored (stage, risk, journeys) by the online scoring loop.
        [...changes.keys()],
        new Date(Math.min(...messages.map((m) => m.receivedAt.getTime()))),
      ],
    );
    await db.copy(
      `COPY events (workspace_id, message_id, source_id, profile_id, type, event, canonical_event, category,
                    intent, user_id, anonymous_id, url, "timestamp", received_at, properties, context) FROM STDIN`,
      messages.map((m, i) => [
        workspaceId,
        m.messageId,
        sources[i],
        plan.profileOf[i],
        m.type,
        m.event,
        mappings[i]!.canonicalEvent,
        mappings[i]!.category,
        mappings[i]!.intent,
        m.userId,
        m.anonymousId,
        m.url,
        m.timestamp,
        m.receivedAt,
        m.properties,
        m.context,
      ]),
    );
  }

  private async insertProfiles(
    db: SqlRunner,
    workspaceId: string,
    rows: (ProfileChange & { id: string })[],
  ): Promise<void> {
    if (!rows.length) return;
    await db.query(
      `INSERT INTO profiles (id, workspace_id, first_seen_at, last_seen_at, traits, email, consent, account_id)
       SELECT id, $1, first, last, traits, email, COALESCE(consent, 'unknown'), account
         FROM unnest($2::uuid[], $3::timestamptz[], $4::timestamptz[], $5::jsonb[], $6::text[], $7::text[], $8::uuid[])
           AS u(id, first, last, traits, email, consent, account)`,
      [
        workspaceId,
        ...profileColumns(
          rows.map((r) => r.id),
          rows,
        ),
      ],
    );
  }

  /** `group` calls name a company: one account per group id, carrying its traits. */
  private async upsertAccounts(
    db: SqlRunner,
    workspaceId: string,
    messages: TrackedMessage[],
  ): Promise<Map<string, string>> {
    const groups = new Map<string, TrackedMessage>();
    for (const m of messages) if (m.type === 'group' && m.groupId) groups.set(m.groupId, m);
    if (!groups.size) return new Map();
    const list = [...groups.values()];
    const rows = (await db.query(
      `INSERT INTO accounts (workspace_id, group_id, name, domain, traits)
       SELECT $1, g, n, d, t FROM unnest($2::text[], $3::text[], $4::text[], $5::jsonb[]) AS u(g, n, d, t)
       ON CONFLICT (workspace_id, group_id) WHERE group_id IS NOT NULL
       DO UPDATE SET name = COALESCE(EXCLUDED.name, accounts.name), traits = accounts.traits || EXCLUDED.traits,
                     updated_at = now()
       RETURNING id, group_id`,
      [
        workspaceId,
        list.map((m) => m.groupId),
        list.map((m) => (typeof m.traits['name'] === 'string' ? m.traits['name'] : null)),
        list.map((m) => domainOf(m.traits['website'] ?? m.traits['domain'])),
        list.map((m) => JSON.stringify(m.traits)),
      ],
    )) as { id: string; group_id: string }[];
    const idOfGroup = new Map(rows.map((r) => [r.group_id, r.id]));
    return new Map(list.map((m) => [m.groupId!, idOfGroup.get(m.groupId!)!]));
  }
}

interface ProfileChange {
  first: Date;
  last: Date;
  traits: Record<string, unknown>;
  email: string | null;
  consent: string | null;
  account: string | null;
}

/** What a batch says about each of its profiles, applied in event-time order. */
function profileChanges(
  messages: TrackedMessage[],
  profileOf: string[],
  accountOfGroup: Map<string, string>,
): Map<string, ProfileChange> {
  const byProfile = new Map<string, ProfileChange>();
  const order = messages
    .map((_, i) => i)
    .sort((a, b) => messages[a]!.timestamp.getTime() - messages[b]!.timestamp.getTime());
  for (const i of order) {
    const m = messages[i]!;
    const id = profileOf[i]!;
    let u = byProfile.get(id);
    if (!u) {
      u = { first: m.timestamp, last: m.timestamp, traits: {}, email: null, consent: null, account: null };
      byProfile.set(id, u);
    }
    u.last = m.timestamp;
    if (m.type === 'identify') Object.assign(u.traits, m.traits);
    if (m.email) u.email = m.email;
    if (m.consent) u.consent = m.consent;
    if (m.type === 'group' && m.groupId) u.account = accountOfGroup.get(m.groupId) ?? null;
  }
  return byProfile;
}

/**
 * Most events are page views of known people: rewriting their profile for a last-seen time a few minutes
 * fresher would double the write volume, so only real changes are written.
 */
function worthWriting(u: ProfileChange, before: KnownProfile | undefined): boolean {
  return (
    !before ||
    Object.keys(u.traits).length > 0 ||
    (u.email !== null && u.email !== before.email) ||
    (u.consent !== null && u.consent !== before.consent) ||
    (u.account !== null && u.account !== before.account) ||
    u.first < before.first ||
    u.last.getTime() > before.last.getTime() + STALE_LAST_SEEN_MS
  );
}

/** Column arrays for unnest(), in the order the profile statements use. */
function profileColumns(ids: string[], rows: ProfileChange[]): unknown[] {
  return [
    ids,
    rows.map((x) => x.first),
    rows.map((x) => x.last),
    rows.map((x) => JSON.stringify(x.traits)),
    rows.map((x) => x.email),
    rows.map((x) => x.consent),
    rows.map((x) => x.account),
  ];
}

/** Last-seen times may lag this much, so a stream of page views does not rewrite the profile each time. */
const STALE_LAST_SEEN_MS = 5 * 60_000;

function identityKeysOf(m: TrackedMessage): IdentityKey[] {
  const keys: IdentityKey[] = [];
  if (m.userId) keys.push({ kind: 'user_id', value: m.userId });
  if (m.anonymousId) keys.push({ kind: 'anonymous_id', value: m.anonymousId });
  if (m.email) keys.push({ kind: 'email', value: m.email });
  return keys;
}

function aliasCandidates(m: TrackedMessage): IdentityKey[] {
  return m.type === 'alias' && m.previousId
    ? [
        { kind: 'user_id', value: m.previousId },
        { kind: 'anonymous_id', value: m.previousId },
      ]
    : [];
}

function uniqueKeys(keys: IdentityKey[]): IdentityKey[] {
  return [...new Map(keys.map((k) => [keyOf(k), k])).values()];
}

function domainOf(v: unknown): string | null {
  if (typeof v !== 'string' || !v) return null;
  try {
    return new URL(v.includes('://') ? v : `https://${v}`).hostname.replace(/^www\./, '').toLowerCase();
  } catch {
    return null;
  }
}

/** Inbox rows looked at per take: a row is one group commit, so a few of them make a batch worth resolving. */
const INBOX_ROWS_PER_TAKE = 16;
