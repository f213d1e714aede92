import { describe, expect, it } from 'vitest';
import {
  assignmentKey,
  assignVariant,
  chooseBranch,
  evaluateCondition,
  inHoldout,
  matchesMilestone,
  matchesTrigger,
  type JourneySignal,
  type ProspectSnapshot,
} from './journey-runtime';
import type { BranchNode, Condition, JourneyTrigger, RandomSplitNode } from './journey-schema';

const prospect: ProspectSnapshot = {
  stage: 'evaluation',
  risk: 0.42,
  traits: {
    plan: 'Pro',
    seats: '12',
    beta: 'true',
    tags: ['Webinar', 'trial'],
    first_name: 'Ada',
    empty: '',
  },
  account: { name: 'Acme', industry: 'Software' },
};

const holds = (condition: Condition, snapshot = prospect) => evaluateCondition(condition, snapshot);

describe('evaluateCondition', () => {
  it('compares traits on meaning: case, numbers and booleans sent as text', () => {
    expect(holds({ subject: 'trait', property: 'plan', op: 'eq', value: 'pro' })).toBe(true);
    expect(holds({ subject: 'trait', property: 'seats', op: 'eq', value: 12 })).toBe(true);
    expect(holds({ subject: 'trait', property: 'seats', op: 'gte', value: 10 })).toBe(true);
    expect(holds({ subject: 'trait', property: 'seats', op: 'lt', value: 12 })).toBe(false);
    expect(holds({ subject: 'trait', property: 'beta', op: 'eq', value: true })).toBe(true);
    expect(holds({ subject: 'trait', property: 'plan', op: 'gt', value: 1 })).toBe(false);
    expect(holds({ subject: 'trait', property: 'plan', op: 'contains', value: 'R' })).toBe(true);
    expect(holds({ subject: 'trait', property: 'tags', op: 'contains', value: 'webinar' })).toBe(true);
    expect(holds({ subject: 'trait', property: 'tags', op: 'contains', value: 'web' })).toBe(false);
  });

  it('lets a missing value satisfy only neq', () => {
    for (const property of ['nothing', 'empty']) {
      expect(holds({ subject: 'trait', property, op: 'exists' })).toBe(false);
      expect(holds({ subject: 'trait', property, op: 'neq', value: 'pro' })).toBe(true);
      expect(holds({ subject: 'trait', property, op: 'eq', value: '' })).toBe(false);
      expect(holds({ subject: 'trait', property, op: 'lt', value: 5 })).toBe(false);
    }
    expect(holds({ subject: 'trait', property: 'plan', op: 'exists' })).toBe(true);
  });

  it('reads the account, the stage and the risk', () => {
    expect(holds({ subject: 'account', property: 'industry', op: 'eq', value: 'software' })).toBe(true);
    expect(
      holds({ subject: 'account', property: 'name', op: 'exists' }, { ...prospect, account: null }),
    ).toBe(false);
    expect(holds({ subject: 'stage', op: 'eq', value: 'evaluation' })).toBe(true);
    expect(holds({ subject: 'stage', op: 'neq', value: 'evaluation' })).toBe(false);
    expect(holds({ subject: 'stage', op: 'neq', value: 'trial' }, { ...prospect, stage: null })).toBe(true);
    expect(holds({ subject: 'risk', op: 'gt', value: 0.4 })).toBe(true);
    expect(holds({ subject: 'risk', op: 'lte', value: 0.4 })).toBe(false);
    expect(holds({ subject: 'risk', op: 'lte', value: 0.4 }, { ...prospect, risk: null })).toBe(false);
  });
});

describe('chooseBranch', () => {
  const node: BranchNode = {
    kind: 'branch',
    paths: [
      { id: 'risky', match: 'all', conditions: [{ subject: 'risk', op: 'gt', value: 0.5 }] },
      {
        id: 'pro-or-big',
        match: 'any',
        conditions: [
          { subject: 'trait', property: 'plan', op: 'eq', value: 'pro' },
          { subject: 'trait', property: 'seats', op: 'gt', value: 100 },
        ],
      },
      { id: 'evaluating', match: 'all', conditions: [{ subject: 'stage', op: 'eq', value: 'evaluation' }] },
    ],
    next: {},
  };

  it('takes the first path that holds, else else', () => {
    expect(chooseBranch(node, prospect)).toBe('pro-or-big');
    expect(chooseBranch(node, { ...prospect, risk: 0.9 })).toBe('risky');
    expect(chooseBranch(node, { ...prospect, traits: {} })).toBe('evaluating');
    expect(chooseBranch(node, { stage: null, risk: null, traits: {}, account: null })).toBe('else');
  });
});

describe('stable assignment', () => {
  const profiles = Array.from({ length: 10_000 }, (_, i) => `profile-${i}`);
  const split = (...percentages: number[]): RandomSplitNode => ({
    kind: 'random_split',
    variants: percentages.map((percentage, i) => ({ id: `v${i}`, percentage })),
    next: {},
  });

  function shares(node: RandomSplitNode, nodeId: string) {
    const counts = new Map<string, number>();
    for (const p of profiles) {
      const arm = assignVariant(assignmentKey('journey-1', nodeId, p), node);
      counts.set(arm, (counts.get(arm) ?? 0) + 1);
    }
    return node.variants.map((v) => ((counts.get(v.id) ?? 0) / profiles.length) * 100);
  }

  it.each([[[50, 50]], [[20, 30, 50]], [[10, 10, 10, 70]], [[1, 99]]])(
    'puts each arm of %j within 2 points of its share',
    (percentages) => {
      const node = split(...percentages);
      shares(node, 'split-1').forEach((share, i) =>
        expect(Math.abs(share - percentages[i]!)).toBeLessThan(2),
      );
    },
  );

  it('gives a prospect the same arm every time, and a zero arm to nobody', () => {
    const node = split(0, 40, 60);
    const first = profiles.map((p) => assignVariant(assignmentKey('j', 'n', p), node));
    expect(profiles.map((p) => assignVariant(assignmentKey('j', 'n', p), node))).toEqual(first);
    expect(first).not.toContain('v0');
  });

  it('draws independently at different steps', () => {
    const node = split(50, 50);
    const both = profiles.filter(
      (p) =>
        assignVariant(assignmentKey('j', 'first', p), node) === 'v0' &&
        assignVariant(assignmentKey('j', 'second', p), node) === 'v0',
    );
    expect(Math.abs(both.length / profiles.length - 0.25)).toBeLessThan(0.02);
  });

  it('holds out its percentage, always the same prospects', () => {
    const node = { kind: 'holdout' as const, percentage: 10, next: {} };
    const held = profiles.filter((p) => inHoldout(assignmentKey('j', 'h', p), node));
    expect(Math.abs(held.length / profiles.length - 0.1)).toBeLessThan(0.02);
    expect(profiles.filter((p) => inHoldout(assignmentKey('j', 'h', p), node))).toEqual(held);
  });
});

describe('matchesTrigger', () => {
  const stage = (from: string | null, to: string): JourneySignal => ({ kind: 'stage_changed', from, to });
  const risk = (from: number | null, to: number): JourneySignal => ({ kind: 'risk_changed', from, to });
  const event = (name: string, properties: Record<string, unknown>): JourneySignal => ({
    kind: 'event',
    event: name,
    properties,
  });

  it('matches stage transitions, with any on either side', () => {
    const toCustomer: JourneyTrigger = { kind: 'stage_transition', from: 'any', to: 'customer' };
    expect(matchesTrigger(toCustomer, stage('trial', 'customer'))).toBe(true);
    expect(matchesTrigger(toCustomer, stage(null, 'customer'))).toBe(true);
    expect(matchesTrigger(toCustomer, stage('customer', 'customer'))).toBe(false);
    expect(matchesTrigger(toCustomer, event('customer', {}))).toBe(false);
    const fromTrial: JourneyTrigger = { kind: 'stage_transition', from: 'trial', to: 'any' };
    expect(matchesTrigger(fromTrial, stage('trial', 'churned'))).toBe(true);
    expect(matchesTrigger(fromTrial, stage(null, 'churned'))).toBe(false);
  });

  it('matches risk crossing the threshold in its direction only, and not a first score', () => {
    const up: JourneyTrigger = { kind: 'risk_crossing', threshold: 0.7, direction: 'up' };
    expect(matchesTrigger(up, risk(0.5, 0.7))).toBe(true);
    expect(matchesTrigger(up, risk(0.75, 0.9))).toBe(false);
    expect(matchesTrigger(up, risk(0.9, 0.5))).toBe(false);
    expect(matchesTrigger(up, risk(null, 0.9))).toBe(false);
    const down: JourneyTrigger = { kind: 'risk_crossing', threshold: 0.7, direction: 'down' };
    expect(matchesTrigger(down, risk(0.7, 0.69))).toBe(true);
    expect(matchesTrigger(down, risk(0.6, 0.5))).toBe(false);
  });

  it('matches events by name and every property filter', () => {
    const bigOrder: JourneyTrigger = {
      kind: 'event',
      event: 'Order Completed',
      filters: [
        { property: 'total', op: 'gte', value: 500 },
        { property: 'coupon', op: 'exists' },
        { property: 'shipping.country', op: 'eq', value: 'DE' },
      ],
    };
    const props = { total: 720, coupon: 'SPRING', shipping: { country: 'de' } };
    expect(matchesTrigger(bigOrder, event('Order Completed', props))).toBe(true);
    expect(matchesTrigger(bigOrder, event('Order Completed', { ...props, total: '499.99' }))).toBe(false);
    expect(matchesTrigger(bigOrder, event('Order Completed', { ...props, coupon: null }))).toBe(false);
    expect(matchesTrigger(bigOrder, event('Order Completed', { ...props, shipping: {} }))).toBe(false);
    expect(matchesTrigger(bigOrder, event('order completed', props))).toBe(false);
    // A property whose name has a dot is read as it is.
    expect(
      matchesTrigger(
        bigOrder,
        event('Order Completed', { ...props, shipping: {}, 'shipping.country': 'DE' }),
      ),
    ).toBe(true);
  });

  it('matches CRM deal stages whatever their case, from a given stage when set', () => {
    const won: JourneyTrigger = { kind: 'crm_deal_stage', to: 'closedwon', from: 'contractsent' };
    const deal = (from: string | null, to: string): JourneySignal => ({
      kind: 'deal_stage_changed',
      from,
      to,
    });
    expect(matchesTrigger(won, deal('ContractSent', 'ClosedWon'))).toBe(true);
    expect(matchesTrigger(won, deal('qualified', 'closedwon'))).toBe(false);
    expect(matchesTrigger({ kind: 'crm_deal_stage', to: 'any' }, deal(null, 'qualified'))).toBe(true);
    expect(matchesTrigger({ kind: 'crm_deal_stage', to: 'any' }, deal('Won', 'won'))).toBe(false);
  });

  it('matches inactivity of at least the given days', () => {
    const idle: JourneyTrigger = { kind: 'inactivity', days: 14 };
    expect(matchesTrigger(idle, { kind: 'inactive', idleDays: 14 })).toBe(true);
    expect(matchesTrigger(idle, { kind: 'inactive', idleDays: 13 })).toBe(false);
  });

  it('matches entering a segment, not being in it already', () => {
    const enterprise: JourneyTrigger = {
      kind: 'segment_entered',
      match: 'all',
      conditions: [{ subject: 'account', property: 'employees', op: 'gt', value: 1000 }],
    };
    const sized = (employees: number): ProspectSnapshot => ({ ...prospect, account: { employees } });
    const change = (before: ProspectSnapshot | null, after: ProspectSnapshot): JourneySignal => ({
      kind: 'profile_changed',
      before,
      after,
    });
    expect(matchesTrigger(enterprise, change(sized(800), sized(1200)))).toBe(true);
    expect(matchesTrigger(enterprise, change(null, sized(1200)))).toBe(true);
    expect(matchesTrigger(enterprise, change(sized(1100), sized(1200)))).toBe(false);
    expect(matchesTrigger(enterprise, change(sized(1100), sized(900)))).toBe(false);
  });
});

describe('matchesMilestone', () => {
  it('matches the event with its filters, or arriving at the stage', () => {
    const upgrade = { type: 'event' as const, event: 'Plan Upgraded', filters: [] };
    expect(matchesMilestone(upgrade, { kind: 'event', event: 'Plan Upgraded', properties: {} })).toBe(true);
    expect(matchesMilestone(upgrade, { kind: 'stage_changed', from: 'a', to: 'Plan Upgraded' })).toBe(false);
    const customer = { type: 'stage' as const, stage: 'customer' };
    expect(matchesMilestone(customer, { kind: 'stage_changed', from: 'trial', to: 'customer' })).toBe(true);
    expect(matchesMilestone(customer, { kind: 'stage_changed', from: 'customer', to: 'churned' })).toBe(
      false,
    );
  });
});
