import type { IdentityPlan } from './identity-plan';

/** Anything that runs SQL inside the caller's transaction: a TypeORM QueryRunner or EntityManager. */
export interface SqlRunner {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/**
 * Merges profile `from` into `into` inside the caller's transaction: identities, events and CRM records move to
 * the survivor, traits and first/last seen combine, denied consent wins, and the merge is recorded. `from` stays
 * as a pointer (merged_into) so old links still lead somewhere.
 */
export async function mergeProfiles(
  db: SqlRunner,
  workspaceId: string,
  from: string,
  into: string,
  reason: string,
): Promise<void> {
  const args = [workspaceId, from, into];
  for (const table of ['identities', 'events', 'crm_objects']) {
    await db.query(`UPDATE ${table} SET profile_id = $3 WHERE workspace_id = $1 AND profile_id = $2`, args);
  }
  await db.query(
    `UPDATE profiles p SET traits = f.traits || p.traits, email = COALESCE(p.email, f.email),
            account_id = COALESCE(p.account_id, f.account_id),
            first_seen_at = LEAST(p.first_seen_at, f.first_seen_at),
            last_seen_at = GREATEST(p.last_seen_at, f.last_seen_at),
            consent = CASE WHEN 'denied' IN (p.consent, f.consent) THEN 'denied'
                           WHEN 'granted' IN (p.consent, f.consent) THEN 'granted' ELSE 'unknown' END,
            updated_at = now()
       FROM profiles f WHERE p.id = $3 AND f.id = $2 AND p.workspace_id = $1 AND f.workspace_id = $1`,
    args,
  );
  await db.query(
    `UPDATE profiles SET merged_into = $3, updated_at = now() WHERE workspace_id = $1 AND id = $2`,
    args,
  );
  await db.query(
    `INSERT INTO profile_merges (workspace_id, from_profile_id, into_profile_id, reason) VALUES ($1, $2, $3, $4)`,
    [...args, reason],
  );
}

/**
 * Writes the links an identity plan decided, after its new profiles exist: merges first, then the new
 * identifiers (a concurrent writer may have added one already; the plan's lock makes that the same person).
 */
export async function applyIdentityLinks(
  db: SqlRunner,
  workspaceId: string,
  plan: Pick<IdentityPlan, 'merges' | 'newIdentities'>,
  reason: string,
): Promise<void> {
  for (const m of plan.merges) await mergeProfiles(db, workspaceId, m.from, m.into, reason);
  if (!plan.newIdentities.length) return;
  await db.query(
    `INSERT INTO identities (workspace_id, kind, value, profile_id)
     SELECT $1, k, v, p FROM unnest($2::text[], $3::text[], $4::uuid[]) AS t(k, v, p)
     ON CONFLICT DO NOTHING`,
    [
      workspaceId,
      plan.newIdentities.map((n) => n.kind),
      plan.newIdentities.map((n) => n.value),
      plan.newIdentities.map((n) => n.profileId),
    ],
  );
}
