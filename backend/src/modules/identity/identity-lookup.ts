import { keyOf, type ExistingProfile, type IdentityKey } from './identity-plan';
import type { SqlRunner } from './profile-merge';

/**
 * SQL that takes an advisory lock per identifier, for every writer that resolves people (event ingestion, CRM
 * sync), so two transactions touching one person serialise. Sorted, so concurrent writers take their locks in
 * one order and cannot deadlock. Arguments are the placeholders holding the workspace, kinds and values.
 */
export function identityLocksSql(workspace: string, kinds: string, values: string): string {
  return `SELECT pg_advisory_xact_lock(h)
            FROM (SELECT DISTINCT hashtextextended(${workspace}::text || ':' || k || ':' || v, 0) AS h
                    FROM unnest(${kinds}::text[], ${values}::text[]) AS u(k, v)
                   ORDER BY h) AS sorted`;
}

export async function lockIdentities(db: SqlRunner, workspaceId: string, keys: IdentityKey[]): Promise<void> {
  await db.query(identityLocksSql('$1', '$2', '$3'), [
    workspaceId,
    keys.map((k) => k.kind),
    keys.map((k) => k.value),
  ]);
}

export interface KnownProfile {
  id: string;
  createdAt: Date;
  first: Date;
  last: Date;
  email: string | null;
  consent: string;
  account: string | null;
}

/**
 * The profiles behind known identifiers. One index probe per identifier (the OFFSET 0 keeps the planner from
 * turning it into a hash join over all the workspace's identities, which it picks whenever its statistics are
 * stale), so the cost follows the batch, not the size of the workspace.
 */
export async function findIdentities(
  db: SqlRunner,
  workspaceId: string,
  keys: IdentityKey[],
): Promise<{ existing: Map<string, ExistingProfile>; profiles: Map<string, KnownProfile> }> {
  // Times come back as epoch milliseconds: a number parses far faster than a timestamp string.
  const rows = (await db.query(
    `SELECT u.kind, u.value, p.id, p.email, p.consent, p.account_id AS account,
            (extract(epoch FROM p.created_at) * 1000)::float8 AS created,
            (extract(epoch FROM p.first_seen_at) * 1000)::float8 AS first,
            (extract(epoch FROM p.last_seen_at) * 1000)::float8 AS last
       FROM unnest($2::text[], $3::text[]) AS u(kind, value)
       CROSS JOIN LATERAL (SELECT profile_id FROM identities
                            WHERE workspace_id = $1 AND kind = u.kind AND value = u.value OFFSET 0) AS i
       CROSS JOIN LATERAL (SELECT * FROM profiles WHERE id = i.profile_id OFFSET 0) AS p`,
    [workspaceId, keys.map((k) => k.kind), keys.map((k) => k.value)],
  )) as (IdentityKey &
    Omit<KnownProfile, 'createdAt' | 'first' | 'last'> &
    Record<'created' | 'first' | 'last', number>)[];
  const existing = new Map<string, ExistingProfile>();
  const profiles = new Map<string, KnownProfile>();
  for (const r of rows) {
    const createdAt = new Date(r.created);
    existing.set(keyOf(r), { profileId: r.id, createdAt });
    profiles.set(r.id, {
      id: r.id,
      createdAt,
      first: new Date(r.first),
      last: new Date(r.last),
      email: r.email,
      consent: r.consent,
      account: r.account,
    });
  }
  return { existing, profiles };
}
