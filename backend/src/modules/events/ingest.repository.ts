import { Inject, Injectable } from '@nestjs/common';
import { applyIdentityLinks } from '../identity/profile-merge';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource, type QueryRunner } from 'typeorm';
import { keyOf, planIdentities, type ExistingProfile, type IdentityKey } from '../identity/identity-plan';
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
    await qr.connect();
    try {
      await qr.startTransaction();
      const results = new Array<IngestResult>(group.length);
      // Workspaces in a fixed order, so concurrent transactions take their locks in the same order.
      const workspaces = [...new Set(group.map((p) => p.workspaceId))].sort();
      for (const workspaceId of workspaces) {
        const items = group.map((p, i) => ({ p, i })).filter(({ p }) => p.workspaceId === workspaceId);
        const stored = await this.write(
          qr,
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
    qr: QueryRunner,
    workspaceId: string,
    allSources: (string | null)[],
    all: TrackedMessage[],
    allMappings: Mapping[],
  ): Promise<boolean[]> {
    const fresh: { rows: { message_id: string }[] } | { message_id: string }[] = await qr.query(
      `INSERT INTO event_message_ids (workspace_id, message_id, received_at)
       SELECT $1, m, $3 FROM unnest($2::text[]) AS m
       ON CONFLICT DO NOTHING RETURNING message_id`,
      [workspaceId, all.map((m) => m.messageId), all[0]!.receivedAt],
    );
    const freshIds = new Set((Array.isArray(fresh) ? fresh : fresh.rows).map((r) => r.message_id));
    const messages: TrackedMessage[] = [];
    const mappings: Mapping[] = [];
    const sources: (string | null)[] = [];
    // A messageId twice in one batch counts once.
    const stored = all.map((m) => freshIds.delete(m.messageId));
    all.forEach((m, i) => {
      if (!stored[i]) return;
      messages.push(m);
      mappings.push(allMappings[i]!);
      sources.push(allSources[i]!);
    });
    if (!messages.length) return stored;

    const keys = messages.map(identityKeysOf);
    const lookups = uniqueKeys(keys.flat().concat(messages.flatMap(aliasCandidates)));
    await qr.query(`SELECT pg_advisory_xact_lock(k) FROM unnest($1::bigint[]) AS k`, [
      lookups.map((k) => lockKey(workspaceId, k)).sort(),
    ]);
    const { existing, states } = await this.lookup(qr, workspaceId, lookups);
    // An alias' previousId is whichever kind of id it was seen as; unseen, it was an anonymous id.
    messages.forEach((m, i) => {
      if (m.type !== 'alias' || !m.previousId) return;
      const asUser: IdentityKey = { kind: 'user_id', value: m.previousId };
      keys[i]!.push(existing.has(keyOf(asUser)) ? asUser : { kind: 'anonymous_id', value: m.previousId });
    });
    const plan = planIdentities(keys, existing, randomUUID);

    if (plan.newProfiles.length) {
      await qr.query(
        `INSERT INTO profiles (id, workspace_id, first_seen_at, last_seen_at)
         SELECT id, $1, $3, $3 FROM unnest($2::uuid[]) AS id`,
        [workspaceId, plan.newProfiles, messages[0]!.timestamp],
      );
    }
    await applyIdentityLinks(qr, workspaceId, plan, 'identifiers seen together');

    const accountOf = await this.upsertAccounts(qr, workspaceId, messages);
    // One JSON document for the whole batch: PostgreSQL parses it once, and no per-value array escaping is
    // needed on either side.
    await qr.query(
      `INSERT INTO events (workspace_id, message_id, source_id, profile_id, type, event, canonical_event, category,
                           intent, user_id, anonymous_id, url, "timestamp", received_at, properties, context)
       SELECT $1, t.message_id, t.source_id, t.profile_id, t.type, t.event, t.canonical_event, t.category, t.intent,
              t.user_id, t.anonymous_id, t.url, t.ts, t.received_at, t.properties, t.context
         FROM jsonb_to_recordset($2::jsonb) AS t(message_id text, source_id uuid, profile_id uuid, type text, event text,
              canonical_event text, category text, intent text, user_id text, anonymous_id text, url text,
              ts timestamptz, received_at timestamptz, properties jsonb, context jsonb)`,
      [
        workspaceId,
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
      ],
    );
    await this.updateProfiles(
      qr,
      messages,
      plan.profileOf,
      accountOf,
      states,
      new Set(plan.newProfiles),
      plan.merges.length > 0,
    );
    return stored;
  }

  /** Known identifiers of the batch with the state of their profiles. */
  private async lookup(qr: QueryRunner, workspaceId: string, keys: IdentityKey[]) {
    const byKind = new Map<string, string[]>();
    for (const k of keys) byKind.set(k.kind, [...(byKind.get(k.kind) ?? []), k.value]);
    const kinds = [...byKind.keys()];
    const rows: (ProfileState & { kind: IdentityKey['kind']; value: string; created_at: Date })[] =
      kinds.length
        ? await qr.query(
            `SELECT i.kind, i.value, i.profile_id AS id, p.created_at, p.first_seen_at AS first, p.last_seen_at AS last,
                  p.email, p.consent, p.account_id AS account
             FROM identities i JOIN profiles p ON p.id = i.profile_id
            WHERE i.workspace_id = $1 AND (${kinds
              .map((_, i) => `(i.kind = $${2 * i + 2} AND i.value = ANY($${2 * i + 3}::text[]))`)
              .join(' OR ')})`,
            [workspaceId, ...kinds.flatMap((k) => [k, byKind.get(k)])],
          )
        : [];
    return {
      existing: new Map<string, ExistingProfile>(
        rows.map((r) => [keyOf(r), { profileId: r.id, createdAt: new Date(r.created_at) }]),
      ),
      states: new Map<string, ProfileState>(rows.map((r) => [r.id, r])),
    };
  }

  /** `group` calls name a company: one account per group id, carrying its traits. */
  private async upsertAccounts(
    qr: QueryRunner,
    workspaceId: string,
    messages: TrackedMessage[],
  ): Promise<Map<string, string>> {
    const groups = new Map<string, TrackedMessage>();
    for (const m of messages) if (m.type === 'group' && m.groupId) groups.set(m.groupId, m);
    if (!groups.size) return new Map();
    const list = [...groups.values()];
    const rows: { id: string; group_id: string }[] = await qr.query(
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
    );
    const idOfGroup = new Map(rows.map((r) => [r.group_id, r.id]));
    return new Map(list.map((m) => [m.groupId!, idOfGroup.get(m.groupId!)!]));
  }

  private async updateProfiles(
    qr: QueryRunner,
    messages: TrackedMessage[],
    profileOf: string[],
    accountOfGroup: Map<string, string>,
    states: Map<string, ProfileState>,
    created: Set<string>,
    merged: boolean,
  ): Promise<void> {
    const byProfile = new Map<
      string,
      {
        first: Date;
        last: Date;
        traits: Record<string, unknown>;
        email: string | null;
        consent: string | null;
        account: string | null;
      }
    >();
    const order = messages
      .map((_, i) => i)
      .sort((a, b) => messages[a]!.timestamp.getTime() - messages[b]!.timestamp.getTime());
    for (const i of order) {
      const m = messages[i]!;
      const id = profileOf[i]!;
      const u = byProfile.get(id) ?? {
        first: m.timestamp,
        last: m.timestamp,
        traits: {},
        email: null,
        consent: null,
        account: null,
      };
      u.last = m.timestamp;
      if (m.type === 'identify') Object.assign(u.traits, m.traits);
      if (m.email) u.email = m.email;
      if (m.consent) u.consent = m.consent;
      if (m.type === 'group' && m.groupId) u.account = accountOfGroup.get(m.groupId) ?? null;
      byProfile.set(id, u);
    }
    // Most events are page views of known people: rewriting their profile for a last-seen time a few minutes
    // fresher would double the write volume, so only real changes are written.
    const ids = [...byProfile.keys()].filter((id) => {
      const before = states.get(id);
      const u = byProfile.get(id)!;
      return (
        created.has(id) ||
        merged ||
        !before ||
        Object.keys(u.traits).length > 0 ||
        (u.email !== null && u.email !== before.email) ||
        (u.consent !== null && u.consent !== before.consent) ||
        (u.account !== null && u.account !== before.account) ||
        u.first < new Date(before.first) ||
        u.last.getTime() > new Date(before.last).getTime() + STALE_LAST_SEEN_MS
      );
    });
    if (!ids.length) return;
    const u = ids.map((id) => byProfile.get(id)!);
    await qr.query(
      `UPDATE profiles p SET first_seen_at = LEAST(p.first_seen_at, u.first), last_seen_at = GREATEST(p.last_seen_at, u.last),
              traits = p.traits || u.traits, email = COALESCE(u.email, p.email), consent = COALESCE(u.consent, p.consent),
              account_id = COALESCE(u.account, p.account_id), updated_at = now()
         FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[], $4::jsonb[], $5::text[], $6::text[], $7::uuid[])
           AS u(id, first, last, traits, email, consent, account)
        WHERE p.id = u.id`,
      [
        ids,
        u.map((x) => x.first),
        u.map((x) => x.last),
        u.map((x) => JSON.stringify(x.traits)),
        u.map((x) => x.email),
        u.map((x) => x.consent),
        u.map((x) => x.account),
      ],
    );
  }
}

interface ProfileState {
  id: string;
  first: Date;
  last: Date;
  email: string | null;
  consent: string;
  account: string | null;
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

/** A 63-bit advisory-lock key per identifier, so batches touching the same person serialise. */
function lockKey(workspaceId: string, k: IdentityKey): string {
  const h = createHash('sha1').update(workspaceId).update(keyOf(k)).digest();
  return (h.readBigInt64BE(0) & 0x7fffffffffffffffn).toString();
}

function domainOf(v: unknown): string | null {
  if (typeof v !== 'string' || !v) return null;
  try {
    return new URL(v.includes('://') ? v : `https://${v}`).hostname.replace(/^www\./, '').toLowerCase();
  } catch {
    return null;
  }
}
