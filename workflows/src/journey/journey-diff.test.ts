import { describe, expect, it } from 'vitest';
import { diffDefinitions } from './journey-diff';
import { onboardingJourney } from './test-journeys';

describe('diffDefinitions', () => {
  it('finds nothing between equal versions', () => {
    expect(diffDefinitions(onboardingJourney(), onboardingJourney())).toEqual([]);
  });

  it('lists what a new version changes, in words', () => {
    const before = onboardingJourney();
    const after = onboardingJourney();
    after.trigger = { kind: 'stage_transition', from: 'any', to: 'trial' };
    after.settings = {
      ...after.settings,
      entry: { policy: 'once' },
      quietHours: { startHour: 22, endHour: 7, timezone: { source: 'fixed', zone: 'Europe/Paris' } },
      sendRatePerMinute: null,
    };
    delete after.nodes.hook;
    after.nodes['mark-crm']!.next = { next: 'survey' };
    after.nodes.survey = {
      kind: 'send_email',
      label: 'Survey',
      content: { source: 'template', templateId: 'nps' },
      next: { next: 'track' },
    };
    after.nodes['cool-off'] = {
      kind: 'wait',
      mode: 'duration',
      durationMs: 86_400_000,
      label: 'One day',
      next: { next: 'activated' },
    };
    after.nodes.split = {
      kind: 'random_split',
      variants: [
        { id: 'a', label: 'Tips', percentage: 30 },
        { id: 'b', label: 'Sales touch', percentage: 70 },
      ],
      next: { a: 'tips', b: 'office-hours' },
    };
    after.nodes.activated!.next = { ...after.nodes.activated!.next, else: 'done' };
    after.nodes['tell-sales'] = { kind: 'exit', next: {} };

    expect(diffDefinitions(before, after)).toEqual([
      {
        kind: 'trigger',
        summary: 'Trigger: event “Signed Up” with 1 filter(s) → stage moves from any stage to “trial”',
      },
      { kind: 'settings', summary: 'Entry: again after 30 days → once per prospect' },
      {
        kind: 'settings',
        summary:
          "Quiet hours: 21:00–08:00 (the prospect's “timezone”, else Europe/Berlin) → 22:00–07:00 (Europe/Paris)",
      },
      { kind: 'settings', summary: 'Send rate limit: 600 emails per minute → none' },
      { kind: 'step_removed', nodeId: 'hook', summary: 'Removed Webhook “hook”' },
      { kind: 'step_changed', nodeId: 'cool-off', summary: 'Renamed Wait “cool-off” to “One day”' },
      { kind: 'step_changed', nodeId: 'cool-off', summary: 'Changed Wait “One day”: durationMs' },
      {
        kind: 'step_rewired',
        nodeId: 'activated',
        summary: 'Rewired Branch “Activated?”: “else” now leads to Exit “done” (was the end of the journey)',
      },
      {
        kind: 'step_changed',
        nodeId: 'split',
        summary: 'Changed Random split “split”: variants[0].percentage, variants[1].percentage',
      },
      {
        kind: 'step_changed',
        nodeId: 'tell-sales',
        summary: 'Replaced Slack message “tell-sales” with Exit “tell-sales”',
      },
      {
        kind: 'step_rewired',
        nodeId: 'mark-crm',
        summary:
          'Rewired Set CRM field “mark-crm”: “next” now leads to Send email “Survey” (was Webhook “hook”)',
      },
      { kind: 'step_added', nodeId: 'survey', summary: 'Added Send email “Survey”' },
    ]);
  });

  it('names the fields of a trigger whose summary stays the same, and a new first step', () => {
    const before = onboardingJourney();
    const after = onboardingJourney();
    after.trigger = {
      kind: 'event',
      event: 'Signed Up',
      filters: [{ property: 'plan', op: 'eq', value: 'pro' }],
    };
    after.entryNodeId = 'holdout';
    delete after.nodes.welcome;
    expect(diffDefinitions(before, after)).toEqual([
      { kind: 'trigger', summary: 'Trigger changed: filters[0].value' },
      { kind: 'entry', summary: 'The journey now starts at Holdout “holdout” (was Send email “Welcome”)' },
      { kind: 'step_removed', nodeId: 'welcome', summary: 'Removed Send email “Welcome”' },
    ]);
  });
});
