import type { JourneyDefinition } from './journey-schema';

const DAY_MS = 86_400_000;

/**
 * A journey for tests that uses every kind of step, a loop that waits (the reminder goes round through the
 * wait's timeout) and an unconnected `else`.
 */
export function onboardingJourney(): JourneyDefinition {
  return {
    version: 1,
    trigger: { kind: 'event', event: 'Signed Up', filters: [{ property: 'plan', op: 'eq', value: 'trial' }] },
    settings: {
      entry: { policy: 're_entry', afterDays: 30 },
      maxSendsPerWeek: 3,
      quietHours: {
        startHour: 21,
        endHour: 8,
        timezone: { source: 'trait', trait: 'timezone', fallback: 'Europe/Berlin' },
      },
      sendRatePerMinute: 600,
    },
    entryNodeId: 'welcome',
    nodes: {
      welcome: {
        kind: 'send_email',
        label: 'Welcome',
        content: {
          source: 'inline',
          subject: 'Welcome, {{first_name}}',
          body: '<p>Hi {{first_name}} from {{account.name}}</p>',
        },
        next: { next: 'holdout' },
      },
      holdout: { kind: 'holdout', percentage: 10, next: { next: 'cool-off' } },
      'cool-off': { kind: 'wait', mode: 'duration', durationMs: 2 * DAY_MS, next: { next: 'activated' } },
      activated: {
        kind: 'branch',
        label: 'Activated?',
        paths: [
          {
            id: 'engaged',
            match: 'all',
            conditions: [{ subject: 'trait', property: 'projects', op: 'gte', value: 1 }],
          },
          {
            id: 'at-risk',
            match: 'any',
            conditions: [
              { subject: 'risk', op: 'gt', value: 0.7 },
              { subject: 'stage', op: 'eq', value: 'stalled' },
            ],
          },
        ],
        next: { engaged: 'split', 'at-risk': 'call-task' },
      },
      split: {
        kind: 'random_split',
        variants: [
          { id: 'a', label: 'Tips', percentage: 50 },
          { id: 'b', label: 'Sales touch', percentage: 50 },
        ],
        next: { a: 'tips', b: 'office-hours' },
      },
      tips: {
        kind: 'send_email',
        content: { source: 'template', templateId: 'tips-v2' },
        next: { next: 'wait-upgrade' },
      },
      'wait-upgrade': {
        kind: 'wait',
        mode: 'until',
        until: { type: 'event', event: 'Plan Upgraded', filters: [] },
        timeoutMs: 7 * DAY_MS,
        next: { matched: 'converted', timeout: 'reminder' },
      },
      reminder: {
        kind: 'send_email',
        content: { source: 'template', templateId: 'upgrade-reminder' },
        next: { next: 'wait-upgrade' },
      },
      'office-hours': {
        kind: 'wait',
        mode: 'window',
        startHour: 9,
        endHour: 17,
        days: ['mon', 'tue', 'wed', 'thu', 'fri'],
        timezone: { source: 'fixed', zone: 'Europe/Berlin' },
        next: { next: 'call-task' },
      },
      'call-task': {
        kind: 'crm_task',
        subject: 'Call {{first_name}}',
        dueInDays: 2,
        next: { next: 'tell-sales' },
      },
      'tell-sales': { kind: 'slack', channel: '#sales', text: '{{first_name}} needs a call', next: {} },
      converted: {
        kind: 'goal',
        conversion: { type: 'event', event: 'Plan Upgraded', filters: [] },
        next: { next: 'mark-crm' },
      },
      'mark-crm': {
        kind: 'crm_set_field',
        field: 'lifecycle_note',
        value: 'upgraded in onboarding',
        next: { next: 'hook' },
      },
      hook: {
        kind: 'webhook',
        url: 'https://hooks.example.com/cairn',
        secretRef: 'billing-hook',
        next: { next: 'track' },
      },
      track: {
        kind: 'segment_event',
        event: 'Onboarding Converted',
        properties: { journey: 'onboarding', step: 'goal' },
        next: { next: 'handoff' },
      },
      handoff: { kind: 'enroll_journey', journeyId: 'customer-onboarding', next: { next: 'done' } },
      done: { kind: 'exit', next: {} },
    },
  };
}
