import { z } from 'zod';
import { reachableFrom, waitlessLoops, type GraphEdge } from './journey-graph';
import { nodeOutputs, outputDelays } from './journey-outputs';
import { isTimeZone } from './local-time';
import { mergeFieldProblem } from './merge-fields';

/**
 * The executable journey: what a published version is and what the interpreter workflow runs. Messages are
 * written to follow a field path ("durationMs: must be at least 1 second").
 */

export const MAX_NODES = 200;
const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const DAY_MS = 24 * 60 * MINUTE_MS;

/**
 * Codes some schema issues carry in `params.journeyCode`, so validation can report them as what they are
 * rather than as a bad field.
 */
export type JourneyIssueCode =
  | 'invalid_id'
  | 'missing_node'
  | 'unknown_output'
  | 'unreachable'
  | 'waitless_loop'
  | 'split_percentages'
  | 'too_many_nodes';

function flag(ctx: z.RefinementCtx, path: PropertyKey[], message: string, journeyCode?: JourneyIssueCode) {
  ctx.addIssue({ code: 'custom', path, message, ...(journeyCode && { params: { journeyCode } }) });
}

const wholeNumber = (min: number, max: number, unit = '') => {
  const amount = (n: number) => `${n}${n === 1 ? unit.replace(/s$/, '') : unit}`;
  return z
    .number('must be a number')
    .int('must be a whole number')
    .min(min, `must be at least ${amount(min)}`)
    .max(max, `must be at most ${amount(max)}`);
};

const duration = (min: number, minWords: string) =>
  z
    .number('must be a number')
    .int('must be a whole number of milliseconds')
    .min(min, `must be at least ${minWords}`)
    .max(365 * DAY_MS, 'must be at most 365 days');

const text = (max: number, required = 'cannot be empty') =>
  z.string('must be text').trim().min(1, required).max(max, `must be at most ${max} characters`);

/** Text that may hold merge fields such as `{{first_name}}` or `{{account.name}}`. */
const templateText = (max: number) =>
  z
    .string('must be text')
    .min(1, 'cannot be empty')
    .max(max, `must be at most ${max} characters`)
    .superRefine((value, ctx) => {
      const problem = mergeFieldProblem(value);
      if (problem) flag(ctx, [], problem);
    });

const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const ID_RULE = 'use 1–64 letters, digits, "-" or "_", starting with a letter or digit';
export const nodeIdSchema = z.string('must be text').regex(ID, ID_RULE);
/** Names a branch path or split variant: the output it leads out of. */
const outputIdSchema = nodeIdSchema;

/** `any` is reserved: where a stage or `any` is allowed, it matches every stage. */
export const stageKeySchema = z
  .string('must be text')
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'a stage key is 1–64 lower-case letters, digits, "-" or "_"');

const eventNameSchema = text(200, 'an event name is required');
const propertyNameSchema = text(200, 'a property name is required');
const labelSchema = text(80, 'a label cannot be blank').optional();
const scalarSchema = z.union(
  [z.string().max(1000, 'must be at most 1000 characters'), z.number(), z.boolean()],
  'must be text, a number or true/false',
);
const probabilitySchema = z.number('must be a number').min(0, 'must be 0–1').max(1, 'must be 0–1');

export const PROPERTY_OPS = ['eq', 'neq', 'contains', 'gt', 'gte', 'lt', 'lte', 'exists'] as const;
const propertyOpSchema = z.enum(PROPERTY_OPS, `must be one of ${PROPERTY_OPS.join(', ')}`);
const ORDERING_OPS = ['gt', 'gte', 'lt', 'lte'] as const;

function checkOperand(test: { op: PropertyOp; value?: Scalar | undefined }, ctx: z.RefinementCtx) {
  const { op, value } = test;
  if (op === 'exists') {
    if (value !== undefined) flag(ctx, ['value'], 'exists takes no value');
  } else if (value === undefined) {
    flag(ctx, ['value'], `${op} needs a value`);
  } else if ((ORDERING_OPS as readonly string[]).includes(op) && typeof value !== 'number') {
    flag(ctx, ['value'], `${op} compares numbers: the value must be a number`);
  } else if (op === 'contains' && (typeof value !== 'string' || value === '')) {
    flag(ctx, ['value'], 'contains looks for text: the value must be non-empty text');
  }
}

export const propertyFilterSchema = z
  .strictObject({ property: propertyNameSchema, op: propertyOpSchema, value: scalarSchema.optional() })
  .superRefine(checkOperand);
const filtersSchema = z.array(propertyFilterSchema, 'must be a list').max(20, 'at most 20 filters');

const propertyCondition = <S extends 'trait' | 'account'>(subject: S) =>
  z
    .strictObject({
      subject: z.literal(subject),
      property: propertyNameSchema,
      op: propertyOpSchema,
      value: scalarSchema.optional(),
    })
    .superRefine(checkOperand);

/** A test on the prospect as last scored: a trait, the account's properties, the stage or the drop-off risk. */
export const conditionSchema = z.discriminatedUnion(
  'subject',
  [
    propertyCondition('trait'),
    propertyCondition('account'),
    z.strictObject({
      subject: z.literal('stage'),
      op: z.enum(['eq', 'neq'], 'must be eq or neq'),
      value: stageKeySchema,
    }),
    z.strictObject({
      subject: z.literal('risk'),
      op: z.enum(ORDERING_OPS, `must be one of ${ORDERING_OPS.join(', ')}`),
      value: probabilitySchema,
    }),
  ],
  { error: 'subject must be trait, account, stage or risk' },
);
const conditionsSchema = z
  .array(conditionSchema, 'must be a list')
  .min(1, 'add at least one condition')
  .max(20, 'at most 20 conditions');
const matchSchema = z.enum(['all', 'any'], 'must be all or any');

/** Something a prospect does or reaches: what a wait waits for and what a goal counts. */
export const milestoneSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('event'), event: eventNameSchema, filters: filtersSchema }),
    z.strictObject({ type: z.literal('stage'), stage: stageKeySchema }),
  ],
  { error: 'type must be event or stage' },
);

const timeZoneNameSchema = z
  .string('must be text')
  .refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin');

/** A fixed zone, or the prospect's own from a trait with a zone for prospects whose trait is missing or wrong. */
export const timeZoneSourceSchema = z.discriminatedUnion(
  'source',
  [
    z.strictObject({ source: z.literal('fixed'), zone: timeZoneNameSchema }),
    z.strictObject({ source: z.literal('trait'), trait: propertyNameSchema, fallback: timeZoneNameSchema }),
  ],
  { error: 'source must be fixed or trait' },
);

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const weekdaysSchema = z
  .array(z.enum(WEEKDAYS, `must be one of ${WEEKDAYS.join(', ')}`), 'must be a list')
  .min(1, 'pick at least one day')
  .refine((days) => new Set(days).size === days.length, 'each day may appear once');

const hourSchema = wholeNumber(0, 23);
function checkHours(hours: { startHour: number; endHour: number }, ctx: z.RefinementCtx) {
  if (hours.startHour === hours.endHour) {
    flag(ctx, ['endHour'], 'must differ from startHour (an end at or before the start runs past midnight)');
  }
}

const trigger = <K extends string, S extends z.ZodRawShape>(kind: K, shape: S) =>
  z.strictObject({ kind: z.literal(kind), label: labelSchema, ...shape });

/** What enrolls a prospect. `any` on either side of a transition matches every stage. */
export const journeyTriggerSchema = z.discriminatedUnion(
  'kind',
  [
    trigger('stage_transition', { from: stageKeySchema, to: stageKeySchema }).superRefine((t, ctx) => {
      if (t.from === t.to && t.from !== 'any') flag(ctx, ['to'], 'must differ from the stage it moves from');
    }),
    trigger('risk_crossing', {
      threshold: z.number('must be a number').gt(0, 'must be above 0').lt(1, 'must be below 1'),
      direction: z.enum(['up', 'down'], 'must be up or down'),
    }),
    trigger('event', { event: eventNameSchema, filters: filtersSchema }),
    trigger('crm_deal_stage', {
      to: text(100, 'a deal stage (or any) is required'),
      from: text(100, 'a deal stage (or any) is required').optional(),
    }),
    trigger('inactivity', { days: wholeNumber(1, 365, ' days') }),
    trigger('segment_entered', { match: matchSchema, conditions: conditionsSchema }),
  ],
  { error: 'unknown trigger kind' },
);

/** Pointers from a step's named outputs to the steps they lead to. */
const nextSchema = z.record(z.string(), nodeIdSchema, 'must map outputs to step ids');

const step = <K extends string, S extends z.ZodRawShape>(kind: K, shape: S) =>
  z.strictObject({ kind: z.literal(kind), label: labelSchema, ...shape, next: nextSchema });

function checkUniqueIds(items: readonly { id: string }[], ctx: z.RefinementCtx, list: string) {
  const seen = new Set<string>();
  items.forEach(({ id }, i) => {
    if (seen.has(id)) flag(ctx, [list, i, 'id'], `"${id}" is used twice`);
    seen.add(id);
  });
}

const waitSchema = z.discriminatedUnion(
  'mode',
  [
    step('wait', {
      mode: z.literal('duration'),
      durationMs: duration(SECOND_MS, '1 second'),
    }),
    step('wait', {
      mode: z.literal('window'),
      startHour: hourSchema,
      endHour: hourSchema,
      days: weekdaysSchema,
      timezone: timeZoneSourceSchema,
    }).superRefine(checkHours),
    step('wait', {
      mode: z.literal('until'),
      until: milestoneSchema,
      timeoutMs: duration(MINUTE_MS, '1 minute'),
    }),
  ],
  { error: 'mode must be duration, window or until' },
);

const flowSchemas = [
  waitSchema,
  step('branch', {
    paths: z
      .array(
        z.strictObject({
          id: outputIdSchema.refine((id) => id !== 'else', '"else" is the name of the fallback output'),
          label: labelSchema,
          match: matchSchema,
          conditions: conditionsSchema,
        }),
        'must be a list',
      )
      .min(1, 'add at least one path')
      .max(10, 'at most 10 paths'),
  }).superRefine((node, ctx) => checkUniqueIds(node.paths, ctx, 'paths')),
  step('random_split', {
    variants: z
      .array(
        z.strictObject({ id: outputIdSchema, label: labelSchema, percentage: wholeNumber(0, 100, '%') }),
        'must be a list',
      )
      .min(2, 'add at least two variants')
      .max(10, 'at most 10 variants'),
  }).superRefine((node, ctx) => {
    checkUniqueIds(node.variants, ctx, 'variants');
    const total = node.variants.reduce((sum, v) => sum + v.percentage, 0);
    if (total !== 100) {
      flag(ctx, ['variants'], `percentages add up to ${total}%, not 100%`, 'split_percentages');
    }
  }),
  /** The control share leaves the journey untouched, so its conversions measure what the journey adds. */
  step('holdout', { percentage: wholeNumber(1, 50, '%') }),
  step('goal', { conversion: milestoneSchema }),
  step('exit', {}),
] as const;

const actionSchemas = [
  step('send_email', {
    content: z.discriminatedUnion(
      'source',
      [
        z.strictObject({ source: z.literal('template'), templateId: nodeIdSchema }),
        z.strictObject({
          source: z.literal('inline'),
          subject: templateText(200),
          body: templateText(100_000),
        }),
      ],
      { error: 'source must be template or inline' },
    ),
  }),
  /** A task for the owner of the prospect's CRM record. */
  step('crm_task', {
    subject: templateText(255),
    notes: templateText(5000).optional(),
    dueInDays: wholeNumber(0, 365, ' days'),
  }),
  step('crm_set_field', {
    field: z
      .string('must be text')
      .regex(/^[A-Za-z][A-Za-z0-9_]{0,99}$/, 'must be a CRM field name (letters, digits and "_")'),
    /** Null clears the field. */
    value: z.union(
      [z.string().max(1000, 'must be at most 1000 characters'), z.number(), z.boolean(), z.null()],
      'must be text, a number, true/false or null',
    ),
  }),
  step('slack', {
    webhookUrl: z
      .string('must be text')
      .regex(
        /^https:\/\/hooks\.slack\.com\/\S+$/,
        'must be a Slack incoming-webhook URL (https://hooks.slack.com/…)',
      )
      .optional(),
    channel: z
      .string('must be text')
      .regex(/^#?[a-z0-9][a-z0-9._-]{0,79}$/, 'must be a Slack channel name such as #sales')
      .optional(),
    text: templateText(4000),
  }).superRefine((node, ctx) => {
    if ((node.webhookUrl === undefined) === (node.channel === undefined)) {
      flag(ctx, ['channel'], 'give either a webhook URL or a channel');
    }
  }),
  /** Posts the step's payload; with `secretRef` the body is signed with HMAC-SHA256 under that workspace secret. */
  step('webhook', {
    url: z
      .string('must be text')
      .max(2000, 'must be at most 2000 characters')
      .regex(/^https:\/\/[^\s/?#@]+(?:[/?#]\S*)?$/, 'must be an https URL without credentials'),
    secretRef: z.string('must be text').regex(ID, `must name a workspace secret: ${ID_RULE}`).optional(),
  }),
  step('segment_event', {
    event: eventNameSchema,
    properties: z
      .record(
        propertyNameSchema,
        z.union([scalarSchema, z.null()], 'must be text, a number, true/false or null'),
      )
      .refine((p) => Object.keys(p).length <= 50, 'at most 50 properties'),
  }),
  step('enroll_journey', { journeyId: nodeIdSchema }),
] as const;

export const journeyNodeSchema = z.discriminatedUnion('kind', [...flowSchemas, ...actionSchemas], {
  error: 'unknown step kind',
});

// A record rather than a list, so the compiler holds it to the schema's kinds.
const STEP_KIND_SET: Record<StepKind, true> = {
  wait: true,
  branch: true,
  random_split: true,
  holdout: true,
  goal: true,
  exit: true,
  send_email: true,
  crm_task: true,
  crm_set_field: true,
  slack: true,
  webhook: true,
  segment_event: true,
  enroll_journey: true,
};
export const STEP_KINDS = Object.keys(STEP_KIND_SET) as StepKind[];

export function isStepKind(kind: string): kind is StepKind {
  return Object.hasOwn(STEP_KIND_SET, kind);
}

export const journeySettingsSchema = z.strictObject({
  entry: z.discriminatedUnion(
    'policy',
    [
      z.strictObject({ policy: z.literal('once') }),
      z.strictObject({ policy: z.literal('re_entry'), afterDays: wholeNumber(1, 365, ' days') }),
    ],
    { error: 'policy must be once or re_entry' },
  ),
  /** Emails this journey may send one prospect in any 7 days; null for no cap. */
  maxSendsPerWeek: wholeNumber(1, 50).nullable(),
  /** No emails go out between these hours; they wait for the end. */
  quietHours: z
    .strictObject({ startHour: hourSchema, endHour: hourSchema, timezone: timeZoneSourceSchema })
    .superRefine(checkHours)
    .nullable(),
  /** The workspace's ceiling on emails per minute, so a large enrolment does not burst. */
  sendRatePerMinute: wholeNumber(1, 10_000).nullable(),
});

export const defaultJourneySettings: JourneySettings = {
  entry: { policy: 'once' },
  maxSendsPerWeek: null,
  quietHours: null,
  sendRatePerMinute: null,
};

/** The pointers of a definition whose outputs and targets exist, as graph edges. */
function definitionEdges(nodes: Readonly<Record<string, JourneyNode>>): GraphEdge[] {
  return Object.entries(nodes).flatMap(([from, node]) =>
    Object.entries(node.next)
      .filter(([output, to]) => nodeOutputs(node).includes(output) && Object.hasOwn(nodes, to))
      .map(([output, to]) => ({ from, to, delays: outputDelays(node, output) })),
  );
}

function checkGraph(def: { entryNodeId: string; nodes: Record<string, JourneyNode> }, ctx: z.RefinementCtx) {
  const ids = Object.keys(def.nodes);
  if (ids.length > MAX_NODES) flag(ctx, ['nodes'], `at most ${MAX_NODES} steps`, 'too_many_nodes');
  for (const id of ids) {
    if (!ID.test(id)) flag(ctx, ['nodes', id], `step ids ${ID_RULE}`, 'invalid_id');
  }
  if (!Object.hasOwn(def.nodes, def.entryNodeId)) {
    flag(ctx, ['entryNodeId'], `there is no step "${def.entryNodeId}"`, 'missing_node');
  }
  for (const [id, node] of Object.entries(def.nodes)) {
    const outputs = nodeOutputs(node);
    for (const [output, to] of Object.entries(node.next)) {
      if (!outputs.includes(output)) {
        const known = outputs.length ? `: use ${outputs.join(', ')}` : ' (it has no outputs)';
        flag(
          ctx,
          ['nodes', id, 'next', output],
          `this step has no output "${output}"${known}`,
          'unknown_output',
        );
      } else if (!Object.hasOwn(def.nodes, to)) {
        flag(ctx, ['nodes', id, 'next', output], `there is no step "${to}"`, 'missing_node');
      }
    }
  }
  const edges = definitionEdges(def.nodes);
  const reached = reachableFrom([def.entryNodeId], edges);
  for (const id of ids) {
    if (!reached.has(id)) flag(ctx, ['nodes', id], 'no path from the trigger leads here', 'unreachable');
  }
  for (const loop of waitlessLoops(ids, edges)) {
    for (const id of loop) flag(ctx, ['nodes', id], waitlessLoopMessage(loop), 'waitless_loop');
  }
}

export function waitlessLoopMessage(loop: readonly string[]): string {
  return `on a loop with no wait (${[...loop, loop[0]].join(' → ')}): add a duration wait or a wait's timeout`;
}

export const journeyDefinitionSchema = z
  .strictObject({
    version: z.literal(1, 'must be 1'),
    trigger: journeyTriggerSchema,
    settings: journeySettingsSchema,
    /** The step the trigger leads to. */
    entryNodeId: nodeIdSchema,
    nodes: z.record(z.string(), journeyNodeSchema, 'must map step ids to steps'),
  })
  .superRefine(checkGraph);

export type Scalar = z.infer<typeof scalarSchema>;
export type PropertyOp = (typeof PROPERTY_OPS)[number];
export type PropertyFilter = z.infer<typeof propertyFilterSchema>;
export type Condition = z.infer<typeof conditionSchema>;
export type Milestone = z.infer<typeof milestoneSchema>;
export type TimeZoneSource = z.infer<typeof timeZoneSourceSchema>;
export type Weekday = (typeof WEEKDAYS)[number];
export type JourneyTrigger = z.infer<typeof journeyTriggerSchema>;
export type TriggerKind = JourneyTrigger['kind'];
export type JourneyNode = z.infer<typeof journeyNodeSchema>;
export type StepKind = JourneyNode['kind'];
export type NodeOfKind<K extends StepKind> = Extract<JourneyNode, { kind: K }>;
export type WaitNode = NodeOfKind<'wait'>;
export type BranchNode = NodeOfKind<'branch'>;
export type RandomSplitNode = NodeOfKind<'random_split'>;
export type HoldoutNode = NodeOfKind<'holdout'>;
export type JourneySettings = z.infer<typeof journeySettingsSchema>;
export type QuietHours = NonNullable<JourneySettings['quietHours']>;
export type JourneyDefinition = z.infer<typeof journeyDefinitionSchema>;
