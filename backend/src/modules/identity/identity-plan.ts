export type IdentityKind = 'user_id' | 'anonymous_id' | 'email' | 'hubspot' | 'salesforce';

export interface IdentityKey {
  kind: IdentityKind;
  value: string;
}

export interface ExistingProfile {
  profileId: string;
  /** Older profiles survive merges, so links already shown to users keep working. */
  createdAt: Date;
}

export interface IdentityPlan {
  /** Profile of each input, in input order. */
  profileOf: string[];
  newProfiles: string[];
  newIdentities: (IdentityKey & { profileId: string })[];
  merges: { from: string; into: string }[];
}

export const keyOf = (k: IdentityKey) => `${k.kind}\u0000${k.value}`;

/**
 * Resolves a batch to profiles: identifiers that appear together (one message's userId, anonymousId, email,
 * an alias' previousId) belong to one person, so connected identifiers form one profile. A component that
 * touches several existing profiles merges them into the oldest. Pure: the caller holds the locks and applies
 * the plan in one transaction.
 */
export function planIdentities(
  inputs: IdentityKey[][],
  existing: Map<string, ExistingProfile>,
  newId: () => string,
): IdentityPlan {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root)!;
    for (let n = x; n !== root;) {
      const next = parent.get(n)!;
      parent.set(n, root);
      n = next;
    }
    return root;
  };
  const union = (a: string, b: string) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra, rb);
  };
  const keys = new Map<string, IdentityKey>();
  for (const ids of inputs) {
    for (const k of ids) {
      const s = keyOf(k);
      if (!parent.has(s)) {
        parent.set(s, s);
        keys.set(s, k);
      }
    }
    for (let i = 1; i < ids.length; i++) union(keyOf(ids[0]!), keyOf(ids[i]!));
  }
  // Identifiers of one existing profile are already one person, even when this batch does not say so.
  const byProfile = new Map<string, string>();
  for (const s of keys.keys()) {
    const p = existing.get(s);
    if (!p) continue;
    const seen = byProfile.get(p.profileId);
    if (seen) union(seen, s);
    else byProfile.set(p.profileId, s);
  }

  const profileOfRoot = new Map<string, string>();
  const merges: IdentityPlan['merges'] = [];
  const newProfiles: string[] = [];
  const components = new Map<string, string[]>();
  for (const s of keys.keys()) {
    const r = find(s);
    const list = components.get(r);
    if (list) list.push(s);
    else components.set(r, [s]);
  }
  for (const [root, members] of components) {
    const profiles = new Map<string, ExistingProfile>();
    for (const s of members) {
      const p = existing.get(s);
      if (p) profiles.set(p.profileId, p);
    }
    if (profiles.size === 0) {
      const id = newId();
      newProfiles.push(id);
      profileOfRoot.set(root, id);
      continue;
    }
    const ordered = [...profiles.values()].sort(
      (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.profileId.localeCompare(b.profileId),
    );
    const survivor = ordered[0]!.profileId;
    for (const p of ordered.slice(1)) merges.push({ from: p.profileId, into: survivor });
    profileOfRoot.set(root, survivor);
  }

  const newIdentities: IdentityPlan['newIdentities'] = [];
  for (const [s, k] of keys) {
    if (!existing.has(s)) newIdentities.push({ ...k, profileId: profileOfRoot.get(find(s))! });
  }
  const profileOf = inputs.map((ids) => (ids.length ? profileOfRoot.get(find(keyOf(ids[0]!)))! : ''));
  return { profileOf, newProfiles, newIdentities, merges };
}
