import { Inject, Injectable } from '@nestjs/common';
import { applyIdentityLinks, type SqlRunner } from '../identity/profile-merge';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { preparedStatements } from '../../database/prepared-statements';
import { findIdentities, identityLocksSql, type KnownProfile } from '../identity/identity-lookup';
import { keyOf, planIdentities, type IdentityKey } from '../identity/identity-plan';
import type { TrackedMessage } from '../segment/segment-message';
import type { Mapping } from '../taxonomy/taxonomy-rules';
import { EventPartitions } from './event-partitions';

export interface IngestResult {
  accepted: number;
  duplicates: number;
}

interface Pending {
  workspaceId: string;
  sourceId: string | null;
  messages: TrackedMessage[];
  mappings: Mapping[];
  resolve: (r: IngestResult) => void;
  reject: (e: unknown) => void;
}

/** Transactions in flight at once per process: about one per core keeps PostgreSQL busy without queueing. */
const MAX_WRITERS = 2;
/** Events per group-commit transaction: large enough to amortise, small enough to keep locks short. */
const MAX_GROUP_EVENTS = 2_000;

/**
 * Writes one batch in one transaction: messageId de-duplication, identity resolution (with merges), events,
 * profile updates and accounts. Set-based SQL throughout, so a 100-event batch costs a handful of round trips;
 * the caller acknowledges only after commit.
 */
@Injectable()
export class IngestRepository {
  private readonly pending: Pending[] = [];
  private writers = 0;

  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(EventPartitions) private readonly partitions: EventPartitions,
  ) {}

  /**
   * Resolves once the messages are committed. Requests that arrive while a transaction is running are
   * committed together in the next one (group commit): one set of statements and one fsync for many batches.
   */
  ingest(
    workspaceId: string,
    sourceId: string | null,
    messages: TrackedMessage[],
    mappings: Mapping[],
  ): Promise<IngestResult> {
    if (!messages.length) return Promise.resolve({ accepted: 0, duplicates: 0 });
    return new Promise((resolve, reject) => {
      this.pending.push({ workspaceId, sourceId, messages, mappings, resolve, reject });
      this.drain();
    });
  }

  async purgeMessageIds(before: Date): Promise<number> {
    const [, count] = await this.ds.query(`DELETE FROM event_message_ids WHERE received_at < $1`, [before]);
    return Number(count);
  }

  private drain(): void {
    while (this.writers < MAX_WRITERS && this.pending.length) {
      const group: Pending[] = [];
      let events = 0;
      while (
        this.pending.length &&
        (events === 0 || events + this.pending[0]!.messages.length <= MAX_GROUP_EVENTS)
      ) {
        const next = this.pending.shift()!;
        events += next.messages.length;
        group.push(next);
      }
      this.writers++;
      void this.commitGroup(group).finally(() => {
        this.writers--;
        this.drain();
      });
    }
  }

  private async commitGroup(group: Pending[]): Promise<void> {
    try {
      const results = await this.transaction(group);
      group.forEach((p, i) => p.resolve(results[i]!));
    } catch (e) {
      if (group.length === 1) return group[0]!.reject(e);
      // One bad request must not fail the others it was grouped with: each is tried on its own.
      for (const p of group) {
        await this.transaction([p]).then(([r]) => p.resolve(r!), p.reject);
      }
    }
  }

  private async transaction(group: Pending[]): Promise<IngestResult[]> {
    await this.partitions.ensureFor(group.flatMap((p) => p.messages.map((m) => m.timestamp)));
    const qr = this.ds.createQueryRunner();
    const db = await preparedStatements(qr);
    try {
      await qr.startTransaction();
      const results = new Array<IngestResult>(group.length);
      // Workspaces in a fixed order, so concurrent transactions take their locks in the same order.
      const workspaces = [...new Set(group.map((p) => p.workspaceId))].sort();
      for (const workspaceId of workspaces) {
        const items = group.map((p, i) => ({ p, i })).filter(({ p }) => p.workspaceId === workspaceId);
        const stored = await this.write(
          db,
          workspaceId,
          items.flatMap(({ p }) => p.messages.map(() => p.sourceId)),
          items.flatMap(({ p }) => p.messages),
          items.flatMap(({ p }) => p.mappings),
        );
        let offset = 0;
        for (const { p, i } of items) {
          const accepted = stored.slice(offset, offset + p.messages.length).filter(Boolean).length;
          results[i] = { accepted, duplicates: p.messages.length - accepted };
          offset += p.messages.length;
        }
      }
      await qr.commitTransaction();
      return results;
    } catch (e) {
      if (qr.isTransactionActive) await qr.rollbackTransaction();
      throw e;
    } finally {
      await qr.release();
    }
  }

  /** Writes one workspace's messages; says, per message, whether it was stored (false: a duplicate). */
  private async write(
    db: SqlRunner,
    workspaceId: string,
    allSources: (string | null)[],
    all: TrackedMessage[],
    allMappings: Mapping[],
  ): Promise<boolean[]> {
    const allIdentities = all.map(identityKeysOf);
    const lookups = uniqueKeys(allIdentities.flat().concat(all.flatMap(aliasCandidates)));
    const ids = all.map((m) => m.messageId);
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
      [workspaceId, lookups.map((k) => k.kind), lookups.map((k) => k.value), ids, all[0]!.receivedAt],
    )) as { id: string }[];
    const fresh = new Set(claimed.map((r) => r.id));
    // A messageId twice in one batch counts once.
    const stored = ids.map((id) => fresh.delete(id));
    const messages = all.filter((_, i) => stored[i]);
    if (!messages.length) return stored;
    const mappings = allMappings.filter((_, i) => stored[i]);
    const sources = allSources.filter((_, i) => stored[i]);
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
         SELECT p, $1, $21 FROM unnest($20::uuid[]) AS p
         ON CONFLICT DO NOTHING
       )
       INSERT INTO events (workspace_id, message_id, source_id, profile_id, type, event, canonical_event, category,
                           intent, user_id, anonymous_id, url, "timestamp", received_at, properties, context)
       SELECT $1, t.message_id, t.source_id, t.profile_id, t.type, t.event, t.canonical_event, t.category, t.intent,
              t.user_id, t.anonymous_id, t.url, t.ts, t.received_at, t.properties, t.context
         FROM jsonb_to_recordset($19::jsonb) AS t(message_id text, source_id uuid, profile_id uuid, type text,
              event text, canonical_event text, category text, intent text, user_id text, anonymous_id text, url text,
              ts timestamptz, received_at timestamptz, properties jsonb, context jsonb)`,
      [
        workspaceId,
        ...profileColumns(inserted, profile(inserted)),
        links.map((n) => n.kind),
        links.map((n) => n.value),
        links.map((n) => n.profileId),
        ...profileColumns(updated, profile(updated)),
        // One JSON document for the whole batch: PostgreSQL parses it once, and no per-value array escaping is
        // needed on either side.
        JSON.stringify(
          messages.map((m, i) => ({
            message_id: m.messageId,
            source_id: sources[i],
            profile_id: plan.profileOf[i],
            type: m.type,
            event: m.event,
            canonical_event: mappings[i]!.canonicalEvent,
            category: mappings[i]!.category,
            intent: mappings[i]!.intent,
            user_id: m.userId,
            anonymous_id: m.anonymousId,
            url: m.url,
            ts: m.timestamp,
            received_at: m.receivedAt,
            properties: m.properties,
            context: m.context,
          })),
        ),
        // Everyone who did something is re-scored (stage, risk, journeys) by the online scoring loop.
        [...changes.keys()],
        new Date(Math.min(...messages.map((m) => m.receivedAt.getTime()))),
      ],
    );
    return stored;
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
