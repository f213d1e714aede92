import { describe, expect, it } from 'vitest';
import { keyOf, planIdentities, type ExistingProfile, type IdentityKey } from './identity-plan';

const anon = (v: string): IdentityKey => ({ kind: 'anonymous_id', value: v });
const user = (v: string): IdentityKey => ({ kind: 'user_id', value: v });
const email = (v: string): IdentityKey => ({ kind: 'email', value: v });

function ids() {
  let n = 0;
  return () => `p${++n}`;
}

function existing(entries: [IdentityKey, string, string][]): Map<string, ExistingProfile> {
  return new Map(entries.map(([k, id, at]) => [keyOf(k), { profileId: id, createdAt: new Date(at) }]));
}

describe('planIdentities', () => {
  it('creates one profile per unknown person and links identifiers seen together', () => {
    const plan = planIdentities([[anon('a1')], [anon('a1'), user('u1')], [anon('b1')]], new Map(), ids());
    expect(plan.newProfiles).toHaveLength(2);
    expect(plan.profileOf[0]).toBe(plan.profileOf[1]);
    expect(plan.profileOf[2]).not.toBe(plan.profileOf[0]);
    expect(plan.newIdentities).toHaveLength(3);
    expect(plan.merges).toEqual([]);
  });

  it('attaches new identifiers to the known profile', () => {
    const plan = planIdentities(
      [[anon('a2'), user('u1')]],
      existing([[user('u1'), 'old', '2026-01-01']]),
      ids(),
    );
    expect(plan.profileOf).toEqual(['old']);
    expect(plan.newProfiles).toEqual([]);
    expect(plan.newIdentities).toEqual([{ kind: 'anonymous_id', value: 'a2', profileId: 'old' }]);
  });

  it('merges two known profiles into the older when one message joins them', () => {
    const plan = planIdentities(
      [[anon('a1'), user('u1')]],
      existing([
        [anon('a1'), 'newer', '2026-03-01'],
        [user('u1'), 'older', '2026-01-01'],
      ]),
      ids(),
    );
    expect(plan.merges).toEqual([{ from: 'newer', into: 'older' }]);
    expect(plan.profileOf).toEqual(['older']);
    expect(plan.newIdentities).toEqual([]);
  });

  it('follows chains across messages (anonymous → user → email)', () => {
    const plan = planIdentities(
      [[anon('a1'), user('u1')], [user('u1'), email('x@y.z')], [email('x@y.z')]],
      existing([[email('x@y.z'), 'e', '2026-01-01']]),
      ids(),
    );
    expect(new Set(plan.profileOf)).toEqual(new Set(['e']));
    expect(plan.newProfiles).toEqual([]);
  });

  it('keeps identifiers of one existing profile together even when the batch mentions them apart', () => {
    const plan = planIdentities(
      [[anon('a1')], [user('u1'), anon('a9')]],
      existing([
        [anon('a1'), 'p', '2026-01-01'],
        [user('u1'), 'p', '2026-01-01'],
      ]),
      ids(),
    );
    expect(plan.profileOf).toEqual(['p', 'p']);
    expect(plan.merges).toEqual([]);
  });
});
