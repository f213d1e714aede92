import { CANVAS_TRIGGER_TYPE, type CanvasGraph } from '@cairn/workflows';

/**
 * What the canvas knows about each kind of node: its name, palette group, the configuration a new one starts
 * with, its outputs (read leniently: an unfinished node still draws its handles) and a one-line summary.
 */

export type NodeType = typeof CANVAS_TRIGGER_TYPE | StepType;
export type StepType =
  | 'wait'
  | 'branch'
  | 'random_split'
  | 'holdout'
  | 'goal'
  | 'exit'
  | 'send_email'
  | 'crm_task'
  | 'crm_set_field'
  | 'slack'
  | 'webhook'
  | 'segment_event'
  | 'enroll_journey';

export type Data = Record<string, unknown>;

export interface KindInfo {
  type: NodeType;
  name: string;
  group: 'Trigger' | 'Flow' | 'Actions';
  /** One line for the palette's tooltip and the empty side panel. */
  hint: string;
  defaults: () => Data;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const STAGES: { key: string; label: string }[] = [
  { key: 'any', label: 'Any stage' },
  { key: 'aware', label: 'Aware' },
  { key: 'engaged', label: 'Engaged' },
  { key: 'evaluation', label: 'Evaluation' },
  { key: 'purchase_intent', label: 'Purchase intent' },
];

export const stageLabel = (key: unknown) =>
  STAGES.find((s) => s.key === key)?.label ?? (typeof key === 'string' && key ? key : '…');

export const KINDS: KindInfo[] = [
  {
    type: CANVAS_TRIGGER_TYPE,
    name: 'Trigger',
    group: 'Trigger',
    hint: 'Who enters: a stage change, a risk crossing, an event…',
    defaults: () => ({ kind: 'stage_transition', from: 'any', to: 'any' }),
  },
  {
    type: 'wait',
    name: 'Wait',
    group: 'Flow',
    hint: 'For a while, until a time window, or until something happens',
    defaults: () => ({ mode: 'duration', durationMs: DAY }),
  },
  {
    type: 'branch',
    name: 'Branch',
    group: 'Flow',
    hint: 'Different paths by traits, stage, risk or account',
    defaults: () => ({
      paths: [
        {
          id: 'yes',
          label: 'High risk',
          match: 'all',
          conditions: [{ subject: 'risk', op: 'gte', value: 0.7 }],
        },
      ],
    }),
  },
  {
    type: 'random_split',
    name: 'Random split',
    group: 'Flow',
    hint: 'A/B test: each prospect always gets the same variant',
    defaults: () => ({
      variants: [
        { id: 'a', label: 'A', percentage: 50 },
        { id: 'b', label: 'B', percentage: 50 },
      ],
    }),
  },
  {
    type: 'holdout',
    name: 'Holdout',
    group: 'Flow',
    hint: 'A control group that gets nothing, to measure uplift',
    defaults: () => ({ percentage: 10 }),
  },
  {
    type: 'goal',
    name: 'Goal',
    group: 'Flow',
    hint: 'The conversion that counts',
    defaults: () => ({ conversion: { type: 'stage', stage: 'purchase_intent' } }),
  },
  { type: 'exit', name: 'Exit', group: 'Flow', hint: 'Leave the journey', defaults: () => ({}) },
  {
    type: 'send_email',
    name: 'Send email',
    group: 'Actions',
    hint: 'From a template or written here, with merge fields',
    defaults: () => ({
      content: { source: 'inline', subject: 'Hi {{first_name}}', body: '<p>Hi {{first_name}},</p>' },
    }),
  },
  {
    type: 'crm_task',
    name: 'CRM task',
    group: 'Actions',
    hint: "A task for the owner of the prospect's CRM record",
    defaults: () => ({ subject: 'Call {{first_name}}', dueInDays: 1 }),
  },
  {
    type: 'crm_set_field',
    name: 'Set CRM field',
    group: 'Actions',
    hint: "Write a value to the prospect's CRM record",
    defaults: () => ({ field: 'lifecyclestage', value: 'salesqualifiedlead' }),
  },
  {
    type: 'slack',
    name: 'Slack message',
    group: 'Actions',
    hint: 'Post to a Slack incoming webhook',
    defaults: () => ({
      webhookUrl: 'https://hooks.slack.com/services/…',
      text: '{{first_name}} needs attention',
    }),
  },
  {
    type: 'webhook',
    name: 'Webhook',
    group: 'Actions',
    hint: 'POST the prospect to your endpoint, signed with HMAC-SHA256',
    defaults: () => ({ url: 'https://example.com/hooks/cairn' }),
  },
  {
    type: 'segment_event',
    name: 'Segment event',
    group: 'Actions',
    hint: 'Emit an event through the outbound Segment source',
    defaults: () => ({ event: 'Journey Step Reached', properties: {} }),
  },
  {
    type: 'enroll_journey',
    name: 'Enroll in journey',
    group: 'Actions',
    hint: 'Move the prospect into another journey',
    defaults: () => ({ journeyId: '' }),
  },
];

export const kindInfo = (type: string | undefined): KindInfo | undefined =>
  KINDS.find((k) => k.type === type);

const list = (v: unknown): Data[] =>
  Array.isArray(v) ? (v.filter((x) => x && typeof x === 'object') as Data[]) : [];
const str = (v: unknown) => (typeof v === 'string' ? v : '');

export interface Output {
  id: string;
  label: string;
}

/** The outputs a node draws handles for, from its configuration as it is (finished or not). */
export function outputsOf(type: string | undefined, data: Data): Output[] {
  switch (type) {
    case 'wait':
      return data['mode'] === 'until'
        ? [
            { id: 'matched', label: 'Happened' },
            { id: 'timeout', label: 'Timed out' },
          ]
        : [{ id: 'next', label: '' }];
    case 'branch':
      return [
        ...list(data['paths']).map((p) => ({ id: str(p['id']), label: str(p['label']) || str(p['id']) })),
        { id: 'else', label: 'Else' },
      ].filter((o) => o.id);
    case 'random_split':
      return list(data['variants'])
        .map((v) => ({
          id: str(v['id']),
          label: `${str(v['label']) || str(v['id'])} · ${Number(v['percentage']) || 0}%`,
        }))
        .filter((o) => o.id);
    case 'exit':
      return [];
    default:
      return [{ id: 'next', label: '' }];
  }
}

const duration = (ms: unknown) => {
  const n = Number(ms);
  if (!Number.isFinite(n) || n <= 0) return '…';
  if (n % DAY === 0) return `${n / DAY} day${n === DAY ? '' : 's'}`;
  if (n % HOUR === 0) return `${n / HOUR} hour${n === HOUR ? '' : 's'}`;
  if (n % 60_000 === 0) return `${n / 60_000} min`;
  return `${Math.round(n / 1000)} s`;
};

function milestone(m: unknown): string {
  const x = (m ?? {}) as Data;
  return x['type'] === 'stage' ? `stage ${stageLabel(x['stage'])}` : `“${str(x['event']) || '…'}”`;
}

function condition(c: Data): string {
  const op = (
    {
      eq: '=',
      neq: '≠',
      gt: '>',
      gte: '≥',
      lt: '<',
      lte: '≤',
      contains: 'contains',
      exists: 'exists',
    } as Record<string, string>
  )[str(c['op'])];
  if (c['subject'] === 'risk') return `risk ${op ?? '?'} ${Math.round(Number(c['value']) * 100)}%`;
  if (c['subject'] === 'stage') return `stage ${op ?? '?'} ${stageLabel(c['value'])}`;
  return `${c['subject'] === 'account' ? 'account.' : ''}${str(c['property']) || '…'} ${op ?? '?'} ${c['value'] ?? ''}`.trim();
}

/** One line under the node's title. */
export function summaryOf(
  type: string | undefined,
  data: Data,
  names: { templates: Map<string, string> },
): string {
  switch (type) {
    case CANVAS_TRIGGER_TYPE:
      switch (data['kind']) {
        case 'stage_transition':
          return `Stage ${stageLabel(data['from'])} → ${stageLabel(data['to'])}`;
        case 'risk_crossing':
          return `Risk ${data['direction'] === 'down' ? 'falls below' : 'reaches'} ${Math.round(Number(data['threshold']) * 100)}%`;
        case 'event':
          return `Event “${str(data['event']) || '…'}”`;
        case 'crm_deal_stage':
          return `Deal moves to ${str(data['to']) || '…'}`;
        case 'inactivity':
          return `No activity for ${Number(data['days']) || '…'} days`;
        case 'segment_entered':
          return 'Enters a segment';
        default:
          return 'Choose what starts the journey';
      }
    case 'wait':
      if (data['mode'] === 'window') return `Until ${data['startHour']}:00–${data['endHour']}:00 local time`;
      if (data['mode'] === 'until')
        return `Until ${milestone(data['until'])}, at most ${duration(data['timeoutMs'])}`;
      return `For ${duration(data['durationMs'])}`;
    case 'branch':
      return list(data['paths'])
        .map((p) =>
          list(p['conditions'])
            .map(condition)
            .join(p['match'] === 'any' ? ' or ' : ' and '),
        )
        .join(' · ');
    case 'random_split':
      return list(data['variants'])
        .map((v) => `${Number(v['percentage']) || 0}%`)
        .join(' / ');
    case 'holdout':
      return `${Number(data['percentage']) || 0}% get nothing`;
    case 'goal':
      return `Converts on ${milestone(data['conversion'])}`;
    case 'exit':
      return 'Leaves the journey';
    case 'send_email': {
      const c = (data['content'] ?? {}) as Data;
      if (c['source'] === 'template')
        return `Template: ${names.templates.get(str(c['templateId'])) ?? 'choose one'}`;
      return str(c['subject']) || 'No subject yet';
    }
    case 'crm_task':
      return `Task: ${str(data['subject']) || '…'}`;
    case 'crm_set_field':
      return `${str(data['field']) || '…'} = ${JSON.stringify(data['value'] ?? null)}`;
    case 'slack':
      return str(data['channel']) || 'Incoming webhook';
    case 'webhook':
      return str(data['url']).replace(/^https:\/\//, '') || '…';
    case 'segment_event':
      return `“${str(data['event']) || '…'}”`;
    case 'enroll_journey':
      return 'Into another journey';
    default:
      return '';
  }
}

/** A fresh id for a new node of `type`, unlike any in `taken`. */
export function newNodeId(type: string, taken: Set<string>): string {
  const stem = type === CANVAS_TRIGGER_TYPE ? 'trigger' : type.replace(/_/g, '-');
  if (!taken.has(stem)) return stem;
  for (let n = 2; ; n++) if (!taken.has(`${stem}-${n}`)) return `${stem}-${n}`;
}

/** The graph to save: only what the draft needs (React Flow adds selection, sizes and more). */
export function cleanGraph(graph: CanvasGraph): CanvasGraph {
  return {
    nodes: graph.nodes.map(({ id, type, position, data }) => ({
      id,
      type,
      position: { x: Math.round(position.x), y: Math.round(position.y) },
      data,
    })),
    edges: graph.edges.map(({ id, source, sourceHandle, target }) => ({
      id,
      source,
      sourceHandle: sourceHandle ?? 'next',
      target,
    })),
    ...(graph.viewport ? { viewport: graph.viewport } : {}),
    ...(graph.settings ? { settings: graph.settings } : {}),
  };
}
