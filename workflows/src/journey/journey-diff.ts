import type {
  JourneyDefinition,
  JourneyNode,
  JourneySettings,
  JourneyTrigger,
  StepKind,
  TimeZoneSource,
} from './journey-schema';

/** One line of the Publish dialog's "what changes" list. */
export interface JourneyChange {
  kind: 'trigger' | 'settings' | 'entry' | 'step_added' | 'step_removed' | 'step_changed' | 'step_rewired';
  nodeId?: string;
  summary: string;
}

const STEP_NAMES: Record<StepKind, string> = {
  wait: 'Wait',
  branch: 'Branch',
  random_split: 'Random split',
  holdout: 'Holdout',
  goal: 'Goal',
  exit: 'Exit',
  send_email: 'Send email',
  crm_task: 'CRM task',
  crm_set_field: 'Set CRM field',
  slack: 'Slack message',
  webhook: 'Webhook',
  segment_event: 'Segment event',
  enroll_journey: 'Enroll in journey',
};

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Where two JSON values differ, as field paths; a list that grew or shrank counts as one change. */
function changedPaths(a: unknown, b: unknown, path = ''): string[] {
  const at = (key: string | number) =>
    typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    return a.flatMap((item, i) => changedPaths(item, b[i], at(i)));
  }
  if (isRecord(a) && isRecord(b)) {
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].flatMap((k) =>
      changedPaths(a[k], b[k], at(k)),
    );
  }
  return a === b ? [] : [path];
}

const stepName = (id: string, node: JourneyNode) => `${STEP_NAMES[node.kind]} “${node.label ?? id}”`;

/** A step by its name in `def`; no step at all is where the journey ends. */
function named(def: JourneyDefinition, id: string | undefined): string {
  const node = id === undefined || !Object.hasOwn(def.nodes, id) ? undefined : def.nodes[id];
  return id !== undefined && node ? stepName(id, node) : 'the end of the journey';
}

const stage = (key: string) => (key === 'any' ? 'any stage' : `“${key}”`);

function describeTrigger(t: JourneyTrigger): string {
  switch (t.kind) {
    case 'stage_transition':
      return `stage moves from ${stage(t.from)} to ${stage(t.to)}`;
    case 'risk_crossing':
      return `risk ${t.direction === 'up' ? 'reaches' : 'falls below'} ${Math.round(t.threshold * 100)}%`;
    case 'event':
      return `event “${t.event}”${t.filters.length ? ` with ${t.filters.length} filter(s)` : ''}`;
    case 'crm_deal_stage':
      return `deal moves to ${stage(t.to)}${t.from ? ` from ${stage(t.from)}` : ''}`;
    case 'inactivity':
      return `no activity for ${t.days} days`;
    case 'segment_entered':
      return `prospect enters a segment (${t.match} of ${t.conditions.length} condition(s))`;
  }
}

function describeZone(zone: TimeZoneSource): string {
  return zone.source === 'fixed' ? zone.zone : `the prospect's “${zone.trait}”, else ${zone.fallback}`;
}

const hour = (h: number) => `${String(h).padStart(2, '0')}:00`;

const SETTINGS: { [K in keyof JourneySettings]: [string, (value: JourneySettings[K]) => string] } = {
  entry: ['Entry', (e) => (e.policy === 'once' ? 'once per prospect' : `again after ${e.afterDays} days`)],
  maxSendsPerWeek: ['Weekly email cap', (n) => (n === null ? 'none' : `${n} per prospect`)],
  quietHours: [
    'Quiet hours',
    (q) => (q === null ? 'none' : `${hour(q.startHour)}–${hour(q.endHour)} (${describeZone(q.timezone)})`),
  ],
  sendRatePerMinute: ['Send rate limit', (n) => (n === null ? 'none' : `${n} emails per minute`)],
};

function settingsChanges(a: JourneySettings, b: JourneySettings): JourneyChange[] {
  return (Object.keys(SETTINGS) as (keyof JourneySettings)[])
    .filter((key) => changedPaths(a[key], b[key]).length > 0)
    .map((key) => {
      const [name, describe] = SETTINGS[key] as [string, (value: unknown) => string];
      return { kind: 'settings', summary: `${name}: ${describe(a[key])} → ${describe(b[key])}` };
    });
}

function stepChanges(
  id: string,
  before: JourneyNode,
  after: JourneyNode,
  a: JourneyDefinition,
  b: JourneyDefinition,
) {
  const changes: JourneyChange[] = [];
  const change = (kind: JourneyChange['kind'], summary: string) =>
    changes.push({ kind, nodeId: id, summary });
  const { kind: _k1, label: _l1, next: oldNext, ...oldConfig } = before;
  const { kind: _k2, label: _l2, next: newNext, ...newConfig } = after;
  if (before.kind !== after.kind) {
    change('step_changed', `Replaced ${stepName(id, before)} with ${stepName(id, after)}`);
  } else {
    if (before.label !== after.label)
      change('step_changed', `Renamed ${stepName(id, before)} to “${after.label ?? id}”`);
    const fields = changedPaths(oldConfig, newConfig);
    if (fields.length) change('step_changed', `Changed ${stepName(id, after)}: ${fields.join(', ')}`);
  }
  const rewired = [...new Set([...Object.keys(oldNext), ...Object.keys(newNext)])]
    .filter((output) => oldNext[output] !== newNext[output])
    .map(
      (output) => `“${output}” now leads to ${named(b, newNext[output])} (was ${named(a, oldNext[output])})`,
    );
  if (rewired.length) change('step_rewired', `Rewired ${stepName(id, after)}: ${rewired.join('; ')}`);
  return changes;
}

/** What publishing `b` over `a` changes, in words, for the Publish dialog. */
export function diffDefinitions(a: JourneyDefinition, b: JourneyDefinition): JourneyChange[] {
  const changes: JourneyChange[] = [];
  if (changedPaths(a.trigger, b.trigger).length) {
    const [was, now] = [describeTrigger(a.trigger), describeTrigger(b.trigger)];
    const summary =
      was === now
        ? `Trigger changed: ${changedPaths(a.trigger, b.trigger).join(', ')}`
        : `Trigger: ${was} → ${now}`;
    changes.push({ kind: 'trigger', summary });
  }
  changes.push(...settingsChanges(a.settings, b.settings));
  if (a.entryNodeId !== b.entryNodeId) {
    const summary = `The journey now starts at ${named(b, b.entryNodeId)} (was ${named(a, a.entryNodeId)})`;
    changes.push({ kind: 'entry', summary });
  }
  for (const [id, node] of Object.entries(a.nodes)) {
    if (!Object.hasOwn(b.nodes, id))
      changes.push({ kind: 'step_removed', nodeId: id, summary: `Removed ${stepName(id, node)}` });
  }
  for (const [id, node] of Object.entries(b.nodes)) {
    const before = Object.hasOwn(a.nodes, id) ? a.nodes[id] : undefined;
    if (before) changes.push(...stepChanges(id, before, node, a, b));
    else changes.push({ kind: 'step_added', nodeId: id, summary: `Added ${stepName(id, node)}` });
  }
  return changes;
}
