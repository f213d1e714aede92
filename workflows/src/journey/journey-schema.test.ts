import { describe, expect, it } from 'vitest';
import { journeyDefinitionSchema, journeyNodeSchema, journeyTriggerSchema } from './journey-schema';
import { onboardingJourney } from './test-journeys';

function issuesOf(schema: { safeParse(v: unknown): { error?: { issues: unknown[] } } }, value: unknown) {
  return (schema.safeParse(value).error?.issues ?? []) as {
    path: PropertyKey[];
    message: string;
    params?: { journeyCode?: string };
  }[];
}

const step = (config: Record<string, unknown>) => issuesOf(journeyNodeSchema, { next: {}, ...config });

describe('journey definition schema', () => {
  it('accepts a journey using every kind of step and keeps it as it is', () => {
    const def = onboardingJourney();
    expect(journeyDefinitionSchema.parse(def)).toEqual(def);
  });

  it('bounds waits with messages in words', () => {
    expect(step({ kind: 'wait', mode: 'duration', durationMs: 500 })).toMatchObject([
      { path: ['durationMs'], message: 'must be at least 1 second' },
    ]);
    expect(step({ kind: 'wait', mode: 'duration', durationMs: 400 * 86_400_000 })).toMatchObject([
      { message: 'must be at most 365 days' },
    ]);
    expect(step({ kind: 'wait', mode: 'soon' })).toMatchObject([{ path: ['mode'] }]);
    const window = {
      kind: 'wait',
      mode: 'window',
      startHour: 9,
      endHour: 9,
      days: ['mon', 'mon'],
      timezone: { source: 'fixed', zone: 'Mars/Olympus' },
    };
    expect(step(window).map((i) => i.path.join('.'))).toEqual(['days', 'timezone.zone', 'endHour']);
  });

  it('checks that each filter operator gets a value it can use', () => {
    const filter = (f: Record<string, unknown>) =>
      issuesOf(journeyTriggerSchema, {
        kind: 'event',
        event: 'Paid',
        filters: [{ property: 'amount', ...f }],
      });
    expect(filter({ op: 'gt', value: 100 })).toEqual([]);
    expect(filter({ op: 'exists' })).toEqual([]);
    expect(filter({ op: 'gt', value: '100' })).toMatchObject([
      { path: ['filters', 0, 'value'], message: 'gt compares numbers: the value must be a number' },
    ]);
    expect(filter({ op: 'exists', value: true })).toMatchObject([{ message: 'exists takes no value' }]);
    expect(filter({ op: 'eq' })).toMatchObject([{ message: 'eq needs a value' }]);
    expect(filter({ op: 'contains', value: 3 })).toHaveLength(1);
    expect(filter({ op: 'like', value: 'x' })).toHaveLength(1);
  });

  it('validates triggers', () => {
    expect(issuesOf(journeyTriggerSchema, { kind: 'stage_transition', from: 'any', to: 'any' })).toEqual([]);
    expect(
      issuesOf(journeyTriggerSchema, { kind: 'stage_transition', from: 'trial', to: 'trial' }),
    ).toHaveLength(1);
    expect(
      issuesOf(journeyTriggerSchema, { kind: 'stage_transition', from: 'Trial', to: 'any' }),
    ).toHaveLength(1);
    expect(
      issuesOf(journeyTriggerSchema, { kind: 'risk_crossing', threshold: 1, direction: 'up' }),
    ).toMatchObject([{ path: ['threshold'], message: 'must be below 1' }]);
    expect(issuesOf(journeyTriggerSchema, { kind: 'inactivity', days: 0 })).toMatchObject([
      { message: 'must be at least 1 day' },
    ]);
    expect(
      issuesOf(journeyTriggerSchema, { kind: 'segment_entered', match: 'all', conditions: [] }),
    ).toMatchObject([{ message: 'add at least one condition' }]);
    expect(issuesOf(journeyTriggerSchema, { kind: 'webinar' })).toMatchObject([
      { message: 'unknown trigger kind' },
    ]);
  });

  it('flags split percentages that do not add up to 100 with their own code', () => {
    const issues = step({
      kind: 'random_split',
      variants: [
        { id: 'a', percentage: 50 },
        { id: 'b', percentage: 40 },
      ],
    });
    expect(issues).toMatchObject([
      {
        path: ['variants'],
        message: 'percentages add up to 90%, not 100%',
        params: { journeyCode: 'split_percentages' },
      },
    ]);
  });

  it('rejects duplicate output names and a path named else', () => {
    const path = { match: 'all', conditions: [{ subject: 'stage', op: 'eq', value: 'trial' }] };
    expect(
      step({
        kind: 'branch',
        paths: [
          { id: 'x', ...path },
          { id: 'x', ...path },
        ],
      }),
    ).toMatchObject([{ path: ['paths', 1, 'id'], message: '"x" is used twice' }]);
    expect(step({ kind: 'branch', paths: [{ id: 'else', ...path }] })).toMatchObject([
      { path: ['paths', 0, 'id'] },
    ]);
  });

  it('checks actions', () => {
    const slack = { kind: 'slack', text: 'hi' };
    expect(step(slack)).toMatchObject([{ message: 'give either a webhook URL or a channel' }]);
    expect(
      step({ ...slack, channel: '#sales', webhookUrl: 'https://hooks.slack.com/services/T/B/x' }),
    ).toHaveLength(1);
    expect(step({ ...slack, webhookUrl: 'https://evil.example.com/hook' })).toMatchObject([
      { path: ['webhookUrl'] },
    ]);
    expect(step({ kind: 'webhook', url: 'http://example.com' })).toHaveLength(1);
    expect(step({ kind: 'webhook', url: 'https://user:pw@example.com/x' })).toHaveLength(1);
    expect(step({ kind: 'webhook', url: 'https://example.com/x', secretRef: 'hook-key' })).toEqual([]);
    expect(
      step({ kind: 'send_email', content: { source: 'inline', subject: 'Hi {{first name}}', body: 'x' } }),
    ).toMatchObject([{ path: ['content', 'subject'], message: expect.stringContaining('{{first_name}}') }]);
    expect(step({ kind: 'crm_task', subject: 'Call {{first_name}', dueInDays: 2 })).toHaveLength(1);
    expect(step({ kind: 'crm_set_field', field: 'lifecycle stage', value: 'x' })).toHaveLength(1);
    expect(step({ kind: 'crm_set_field', field: 'lifecyclestage', value: null })).toEqual([]);
    expect(step({ kind: 'exit', surprise: true })).toMatchObject([{ code: 'unrecognized_keys' }]);
  });

  describe('graph', () => {
    const codes = (def: unknown) =>
      issuesOf(journeyDefinitionSchema, def).map((i) => [i.path.join('.'), i.params?.journeyCode]);

    it('reports pointers to missing steps and outputs a step does not have', () => {
      const def = onboardingJourney();
      def.nodes['call-task']!.next = { next: 'nowhere' };
      def.nodes.done!.next = { next: 'welcome' };
      def.entryNodeId = 'start';
      expect(codes(def)).toEqual([
        ['entryNodeId', 'missing_node'],
        ['nodes.call-task.next.next', 'missing_node'],
        ['nodes.done.next.next', 'unknown_output'],
        // Nothing reaches anything once the entry is gone.
        ...Object.keys(def.nodes).map((id) => [`nodes.${id}`, 'unreachable']),
      ]);
    });

    it('reports steps no path reaches', () => {
      const def = onboardingJourney();
      def.nodes.orphan = { kind: 'exit', next: {} };
      expect(codes(def)).toEqual([['nodes.orphan', 'unreachable']]);
    });

    it('allows a loop through a duration wait or a timeout, not through a match or a window', () => {
      const def = onboardingJourney();
      expect(codes(def)).toEqual([]);
      // The reminder loop goes round through the timeout; going round through the match could spin.
      def.nodes['wait-upgrade']!.next = { matched: 'reminder', timeout: 'converted' };
      expect(codes(def)).toEqual([
        ['nodes.wait-upgrade', 'waitless_loop'],
        ['nodes.reminder', 'waitless_loop'],
      ]);

      const windowLoop = onboardingJourney();
      windowLoop.nodes['tell-sales']!.next = { next: 'office-hours' };
      expect(codes(windowLoop)).toEqual([
        ['nodes.office-hours', 'waitless_loop'],
        ['nodes.call-task', 'waitless_loop'],
        ['nodes.tell-sales', 'waitless_loop'],
      ]);

      const waited = onboardingJourney();
      waited.nodes['tell-sales']!.next = { next: 'cool-off' };
      expect(codes(waited)).toEqual([]);
    });

    it('rejects step ids that are not plain names', () => {
      const def = onboardingJourney();
      def.nodes['bad id'] = { kind: 'exit', next: {} };
      def.nodes['call-task']!.next = { next: 'bad id' };
      expect(codes(def)).toContainEqual(['nodes.bad id', 'invalid_id']);
    });
  });
});
