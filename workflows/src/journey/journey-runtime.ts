import type {
  BranchNode,
  Condition,
  HoldoutNode,
  JourneyTrigger,
  Milestone,
  PropertyFilter,
  PropertyOp,
  RandomSplitNode,
  Scalar,
} from './journey-schema';
import { readPath } from './property-path';

/**
 * The interpreter workflow's decisions, as pure functions of their inputs: replaying a workflow must take
 * every branch, arm and wake-up time it took the first time.
 */

/** The prospect as last scored and synced. */
export interface ProspectSnapshot {
  stage: string | null;
  /** Drop-off risk, 0–1. */
  risk: number | null;
  traits: Readonly<Record<string, unknown>>;
  /** The prospect's company, when known. */
  account: Readonly<Record<string, unknown>> | null;
}

/** Something that happened to a prospect, as the interpreter is told of it. */
export type JourneySignal =
  | { kind: 'stage_changed'; from: string | null; to: string }
  | { kind: 'risk_changed'; from: number | null; to: number }
  | { kind: 'event'; event: string; properties: Readonly<Record<string, unknown>> }
  | { kind: 'deal_stage_changed'; from: string | null; to: string }
  | { kind: 'inactive'; idleDays: number }
  | { kind: 'profile_changed'; before: ProspectSnapshot | null; after: ProspectSnapshot };

const present = (value: unknown) => value !== undefined && value !== null && value !== '';

function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || value.trim() === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

// CRMs and tracking plans disagree on case ("Pro", "pro") and HubSpot sends numbers and booleans as text, so
// equality is on meaning rather than on type.
function sameValue(actual: unknown, expected: Scalar): boolean {
  if (typeof expected === 'number') return toNumber(actual) === expected;
  if (typeof actual === 'number' || typeof actual === 'boolean') actual = String(actual);
  return typeof actual === 'string' && actual.toLowerCase() === String(expected).toLowerCase();
}

function testValue(actual: unknown, op: PropertyOp, value: Scalar | undefined): boolean {
  if (op === 'exists') return present(actual);
  // "Plan is not Pro" holds for a prospect with no plan; no other test holds for a missing value.
  if (!present(actual) || value === undefined) return op === 'neq';
  switch (op) {
    case 'eq':
      return sameValue(actual, value);
    case 'neq':
      return !sameValue(actual, value);
    case 'contains':
      if (Array.isArray(actual)) return actual.some((item) => sameValue(item, value));
      return typeof actual === 'string' && actual.toLowerCase().includes(String(value).toLowerCase());
    default:
      return compare(toNumber(actual), op, toNumber(value));
  }
}

function compare(actual: number | null, op: 'gt' | 'gte' | 'lt' | 'lte', value: number | null): boolean {
  if (actual === null || value === null) return false;
  if (op === 'gt') return actual > value;
  if (op === 'gte') return actual >= value;
  if (op === 'lt') return actual < value;
  return actual <= value;
}

export function evaluateCondition(condition: Condition, snapshot: ProspectSnapshot): boolean {
  switch (condition.subject) {
    case 'trait':
      return testValue(readPath(snapshot.traits, condition.property), condition.op, condition.value);
    case 'account':
      return testValue(
        snapshot.account && readPath(snapshot.account, condition.property),
        condition.op,
        condition.value,
      );
    case 'stage':
      return (snapshot.stage === condition.value) === (condition.op === 'eq');
    case 'risk':
      return compare(snapshot.risk, condition.op, condition.value);
  }
}

export function matchesConditions(
  match: 'all' | 'any',
  conditions: readonly Condition[],
  snapshot: ProspectSnapshot,
): boolean {
  const test = (c: Condition) => evaluateCondition(c, snapshot);
  return match === 'all' ? conditions.every(test) : conditions.some(test);
}

/** The output to take: the first path whose conditions hold, else `else`. */
export function chooseBranch(node: BranchNode, snapshot: ProspectSnapshot): string {
  return node.paths.find((p) => matchesConditions(p.match, p.conditions, snapshot))?.id ?? 'else';
}

/** What a split or holdout hashes: the same prospect at the same step of the same journey, the same arm. */
export function assignmentKey(journeyId: string, nodeId: string, profileId: string): string {
  return `${journeyId}:${nodeId}:${profileId}`;
}

/** A point in [0, 100) fixed by the key: FNV-1a 32-bit, then murmur3's finalizer. */
export function assignmentBucket(seedKey: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < seedKey.length; i++) {
    hash ^= seedKey.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  // FNV-1a's last multiply barely moves the top bits between keys that differ only in their last characters
  // (sequential ids), and the top bits pick the bucket.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return ((hash >>> 0) / 2 ** 32) * 100;
}

/** The variant (output) a prospect takes at a random split. */
export function assignVariant(seedKey: string, node: RandomSplitNode): string {
  const bucket = assignmentBucket(seedKey);
  let upTo = 0;
  for (const variant of node.variants) {
    upTo += variant.percentage;
    if (bucket < upTo) return variant.id;
  }
  throw new RangeError(`Split percentages add up to ${upTo}, not 100`);
}

/** Whether a prospect is in the control group, which leaves the journey at this step. */
export function inHoldout(seedKey: string, node: HoldoutNode): boolean {
  return assignmentBucket(seedKey) < node.percentage;
}

function matchesEvent(
  event: string,
  filters: readonly PropertyFilter[],
  signal: Extract<JourneySignal, { kind: 'event' }>,
): boolean {
  return (
    signal.event === event &&
    filters.every((f) => testValue(readPath(signal.properties, f.property), f.op, f.value))
  );
}

const anyOr = (expected: string, actual: string | null) => expected === 'any' || expected === actual;
const anyOrText = (expected: string, actual: string | null) =>
  expected.toLowerCase() === 'any' || (actual !== null && expected.toLowerCase() === actual.toLowerCase());

/** Whether a signal enrolls a prospect into a journey with this trigger (entry policy aside). */
export function matchesTrigger(trigger: JourneyTrigger, signal: JourneySignal): boolean {
  switch (trigger.kind) {
    case 'stage_transition':
      return (
        signal.kind === 'stage_changed' &&
        signal.from !== signal.to &&
        anyOr(trigger.from, signal.from) &&
        anyOr(trigger.to, signal.to)
      );
    case 'risk_crossing': {
      // A first score is no crossing: otherwise scoring a workspace for the first time would enroll everyone.
      if (signal.kind !== 'risk_changed' || signal.from === null) return false;
      const { from, to } = signal;
      const t = trigger.threshold;
      return trigger.direction === 'up' ? from < t && to >= t : from >= t && to < t;
    }
    case 'event':
      return signal.kind === 'event' && matchesEvent(trigger.event, trigger.filters, signal);
    case 'crm_deal_stage':
      return (
        signal.kind === 'deal_stage_changed' &&
        signal.from?.toLowerCase() !== signal.to.toLowerCase() &&
        anyOrText(trigger.to, signal.to) &&
        (trigger.from === undefined || anyOrText(trigger.from, signal.from))
      );
    case 'inactivity':
      return signal.kind === 'inactive' && signal.idleDays >= trigger.days;
    case 'segment_entered': {
      if (signal.kind !== 'profile_changed') return false;
      const inSegment = (s: ProspectSnapshot | null) =>
        s !== null && matchesConditions(trigger.match, trigger.conditions, s);
      return inSegment(signal.after) && !inSegment(signal.before);
    }
  }
}

/** Whether a signal is the milestone a wait waits for or a goal counts. */
export function matchesMilestone(milestone: Milestone, signal: JourneySignal): boolean {
  if (milestone.type === 'event') {
    return signal.kind === 'event' && matchesEvent(milestone.event, milestone.filters, signal);
  }
  return signal.kind === 'stage_changed' && signal.to === milestone.stage && signal.from !== signal.to;
}
