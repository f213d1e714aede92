import {
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type {
  JourneyActivities,
  JourneyControl,
  JourneyEnrollmentRef,
  JourneyEnvelope,
  JourneyRecord,
  JourneyWorkflowState,
} from '../activities';
// The runtime helpers only: the journey index also builds the zod schemas, and the sandbox evaluates workflow
// modules once per workflow, so importing it would cost every workflow start the schemas' construction.
import {
  assignmentKey,
  assignVariant,
  chooseBranch,
  inHoldout,
  matchesMilestone,
  type JourneySignal,
  type ProspectSnapshot,
} from '../journey/journey-runtime';
import type { JourneyDefinition, JourneyNode, Milestone } from '../journey/journey-schema';
import { nextSendTime, nextWindowStart } from '../journey/local-time';
import { QUERIES, SIGNALS } from '../names';

/**
 * The journey interpreter: one workflow per (published version, prospect), id `journey-<versionId>-<profileId>`.
 * It walks the version's steps from the trigger, waits on durable timers and on signals the trigger router
 * forwards, and runs each action as an activity whose idempotency key is `<workflowId>:<nodeId>` (qualified by
 * the entry and the visit when the prospect re-entered or came round a loop), so a worker killed mid-journey
 * neither skips nor repeats an action. After the path ends it keeps watching for the journey's goal for a
 * while, so treatment and holdout control are measured over the same window.
 *
 * Changes that alter the commands this code issues for a given history must be gated with `patched(id)` and the
 * id added to PATCHES; `backend/test/fixtures/histories/journey.json` replays in CI to catch a forgotten one.
 */

/** Markers of interpreter changes, for `patched()`; never remove one while histories that predate it may run. */
export const PATCHES = {
  /** A goal on a stage checks the prospect's current stage (and not only signals seen on the way). */
  goalChecksStage: 'journey-goal-checks-stage',
} as const;

// Bookkeeping is cheap, idempotent and on the path of every step: local activities keep trigger-to-action fast.
const { journeyLoad, journeySnapshot, journeyStep, journeyRecord } = proxyLocalActivities<JourneyActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

// An action talks to the outside world; failures (a provider down) are retried, then recorded as failed.
const { journeyAction } = proxyActivities<JourneyActivities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '20 seconds',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    maximumAttempts: 8,
  },
});
const { journeyActionFailed } = proxyActivities<JourneyActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export const journeySignal = defineSignal<[JourneyEnvelope]>(SIGNALS.journeySignal);
export const journeyControl = defineSignal<[JourneyControl]>(SIGNALS.journeyControl);
export const journeyState = defineQuery<JourneyWorkflowState>(QUERIES.journeyState);

const DAY_MS = 86_400_000;

/**
 * The current workflow task's time. Temporal's workflow sandbox replaces `Date` so this is recorded time,
 * the same on every replay; waits and windows need the time of the task they are computed in, which
 * `workflowInfo().runStartTime` is not.
 */
// eslint-disable-next-line no-restricted-properties -- deterministic in the workflow sandbox (see above)
const now = () => Date.now();
/** How long after entering a prospect's goal still counts as a conversion of this enrolment. */
export const CONVERSION_WINDOW_MS = 30 * DAY_MS;
/** Steps per run before continuing as new; a loop with a wait could otherwise grow the history forever. */
const STEPS_PER_RUN = 100;
const HISTORY_LIMIT = 5_000;
/** Signals kept for waits that begin later; older ones have been looked at already. */
const INBOX_SIZE = 50;

interface InboxItem {
  seq: number;
  signal: JourneySignal;
}

/** What a run hands the next one when it continues as new. */
export interface JourneyCarried {
  phase: 'on_path' | 'watching';
  nodeId: string | null;
  visits: Record<string, number>;
  arm: 'treatment' | 'control' | null;
  converted: boolean;
  paused: boolean;
  controlSeq: number;
  enteredAt: number;
  seq: number;
  inbox: InboxItem[];
}

export interface JourneyWorkflowInput {
  enrollment: JourneyEnrollmentRef;
  /** The signal that enrolled the prospect (not a milestone of this enrolment). */
  trigger?: JourneySignal | null;
  carried?: JourneyCarried;
}

export interface JourneyOutcome {
  enrollmentId: string;
  status: 'completed' | 'exited';
  reason: string;
  converted: boolean;
  arm: 'treatment' | 'control' | null;
}

/** How a step ends the path instead of leading on. */
type End = { end: 'exit' | 'control' | 'exited' };
const isEnd = (out: string | End): out is End => typeof out !== 'string';

export async function journeyWorkflow(input: JourneyWorkflowInput): Promise<JourneyOutcome> {
  const enrollment = input.enrollment;
  const c = input.carried;
  const workflowId = workflowInfo().workflowId;
  let phase: JourneyCarried['phase'] | 'done' = c?.phase ?? 'on_path';
  let nodeId: string | null = c?.nodeId ?? null;
  const visits: Record<string, number> = { ...c?.visits };
  let arm = c?.arm ?? null;
  let converted = c?.converted ?? false;
  let paused = c?.paused ?? false;
  let controlSeq = c?.controlSeq ?? -1;
  const enteredAt = c?.enteredAt ?? now();
  let seq = c?.seq ?? 0;
  const inbox: InboxItem[] = [...(c?.inbox ?? [])];
  let exitRequested = false;
  let reenter: Extract<JourneyEnvelope, { type: 'enter' }> | null = null;
  let definition: JourneyDefinition | null = null;
  let goals: Milestone[] = [];
  let conversionSeen = false;
  let steps = 0;

  const applyControl = (control: JourneyControl) => {
    if (control.seq <= controlSeq) return;
    controlSeq = control.seq;
    if (control.action === 'exit') exitRequested = true;
    else paused = control.action === 'pause';
  };
  const isGoal = (signal: JourneySignal) => goals.some((m) => matchesMilestone(m, signal));

  setHandler(journeyControl, applyControl);
  setHandler(journeySignal, (envelope) => {
    if (envelope.type === 'enter') {
      if (envelope.enrollment.enrollmentId !== enrollment.enrollmentId) reenter = envelope;
      return;
    }
    inbox.push({ seq: ++seq, signal: envelope.signal });
    if (inbox.length > INBOX_SIZE) inbox.splice(0, inbox.length - INBOX_SIZE);
    if (!converted && isGoal(envelope.signal)) conversionSeen = true;
  });
  setHandler(journeyState, () => ({
    enrollmentId: enrollment.enrollmentId,
    nodeId,
    phase,
    paused,
    arm,
    converted,
  }));

  const record = (r: JourneyRecord) => journeyRecord({ enrollment, record: r });
  const snapshot = (): Promise<ProspectSnapshot> =>
    journeySnapshot({ workspaceId: enrollment.workspaceId, profileId: enrollment.profileId });

  /** Records a conversion a signal brought, once. */
  async function flush(): Promise<void> {
    if (conversionSeen && !converted) {
      converted = true;
      await record({ kind: 'converted', nodeId: null });
    }
    conversionSeen = false;
  }

  /**
   * Waits until `done()` holds (true) or the deadline passes (false), recording conversions as they come;
   * an exit request ends the wait at once (false).
   */
  async function waitFor(done: () => boolean, deadline: number | null): Promise<boolean> {
    for (;;) {
      if (exitRequested) return false;
      if (done()) return true;
      await flush();
      const wake = () =>
        exitRequested || done() || conversionSeen || (reenter !== null && phase === 'watching');
      if (deadline === null) {
        await condition(wake);
      } else {
        const remaining = deadline - now();
        if (remaining <= 0 || !(await condition(wake, remaining))) return done();
      }
      if (reenter !== null && phase === 'watching') return false;
    }
  }

  const sleepUntil = (at: number) => waitFor(() => false, at);

  async function continueAsNewNow(): Promise<never> {
    await condition(allHandlersFinished);
    return continueAsNew<typeof journeyWorkflow>({
      enrollment,
      trigger: null,
      carried: {
        phase: phase === 'done' ? 'watching' : phase,
        nodeId,
        visits,
        arm,
        converted,
        paused,
        controlSeq,
        enteredAt,
        seq,
        inbox,
      },
    });
  }

  const historyIsLarge = () => {
    const info = workflowInfo();
    return steps >= STEPS_PER_RUN || info.continueAsNewSuggested || info.historyLength > HISTORY_LIMIT;
  };

  const actionKey = (id: string, visit: number) =>
    `${workflowId}:${id}${enrollment.entry > 1 ? `:e${enrollment.entry}` : ''}${visit > 1 ? `:v${visit}` : ''}`;

  async function milestoneReached(m: Milestone): Promise<boolean> {
    if (inbox.some((s) => matchesMilestone(m, s.signal))) return true;
    if (m.type === 'stage' && patched(PATCHES.goalChecksStage)) return (await snapshot()).stage === m.stage;
    return false;
  }

  async function runAction(id: string, node: JourneyNode, visit: number): Promise<string | End> {
    const key = actionKey(id, visit);
    const settings = definition!.settings;
    if (node.kind === 'send_email' && settings.quietHours) {
      const at = nextSendTime(now(), settings.quietHours, (await snapshot()).traits);
      if (at > now()) await sleepUntil(at);
      if (exitRequested) return { end: 'exited' };
    }
    for (;;) {
      let result;
      try {
        result = await journeyAction({ enrollment, key, nodeId: id, node, settings });
      } catch (e) {
        const cause = (e as { cause?: Error }).cause ?? (e as Error);
        await journeyActionFailed({ key, error: cause.message ?? String(cause) });
        return 'next';
      }
      if (result.status !== 'throttled') return 'next';
      await sleepUntil(now() + Math.max(1_000, result.retryAfterMs ?? 1_000));
      if (exitRequested) return { end: 'exited' };
    }
  }

  async function runStep(id: string, node: JourneyNode, visit: number): Promise<string | End> {
    switch (node.kind) {
      case 'wait': {
        if (node.mode === 'duration') {
          await sleepUntil(now() + node.durationMs);
          return exitRequested ? { end: 'exited' } : 'next';
        }
        if (node.mode === 'window') {
          const at = nextWindowStart(now(), node, (await snapshot()).traits);
          if (at > now()) await sleepUntil(at);
          return exitRequested ? { end: 'exited' } : 'next';
        }
        const mark = seq;
        const milestone = node.until;
        if (milestone.type === 'stage' && (await snapshot()).stage === milestone.stage) return 'matched';
        const matched = await waitFor(
          () => inbox.some((s) => s.seq > mark && matchesMilestone(milestone, s.signal)),
          now() + node.timeoutMs,
        );
        if (exitRequested) return { end: 'exited' };
        return matched ? 'matched' : 'timeout';
      }
      case 'branch':
        return chooseBranch(node, await snapshot());
      case 'random_split':
        return assignVariant(assignmentKey(enrollment.journeyId, id, enrollment.profileId), node);
      case 'holdout': {
        const control = inHoldout(assignmentKey(enrollment.journeyId, id, enrollment.profileId), node);
        if (arm === null) {
          arm = control ? 'control' : 'treatment';
          await record({ kind: 'arm', arm });
        }
        return control ? { end: 'control' } : 'next';
      }
      case 'goal':
        if (converted || conversionSeen || (await milestoneReached(node.conversion))) {
          converted = true;
          conversionSeen = false;
          await record({ kind: 'converted', nodeId: id });
        }
        return 'next';
      case 'exit':
        return { end: 'exit' };
      default:
        return runAction(id, node, visit);
    }
  }

  // ---------------------------------------------------------------------------------------------- the run
  const loaded = await journeyLoad({ versionId: enrollment.versionId });
  definition = loaded.definition;
  goals = Object.values(definition.nodes).flatMap((n) => (n.kind === 'goal' ? [n.conversion] : []));
  if (loaded.controlSeq > controlSeq) {
    controlSeq = loaded.controlSeq;
    paused = loaded.status === 'paused';
    if (loaded.status === 'archived') exitRequested = true;
  }
  if (!converted && inbox.some((s) => isGoal(s.signal))) conversionSeen = true;
  if (!c) nodeId = definition.entryNodeId;

  let reason = 'end of path';
  let status: JourneyOutcome['status'] = 'completed';
  if (phase === 'on_path') {
    while (nodeId !== null) {
      // Paused: the prospect stays at the step they reached until the journey resumes.
      await waitFor(() => !paused, null);
      if (exitRequested) break;
      if (historyIsLarge()) return continueAsNewNow();
      const node: JourneyNode | undefined = definition.nodes[nodeId];
      if (!node) break;
      const visit = (visits[nodeId] ?? 0) + 1;
      visits[nodeId] = visit;
      steps++;
      await journeyStep({ enrollment, nodeId, visit });
      const out = await runStep(nodeId, node, visit);
      await flush();
      if (isEnd(out)) {
        if (out.end === 'exit') reason = 'exit step';
        if (out.end === 'control') reason = 'holdout control';
        break;
      }
      nodeId = node.next[out] ?? null;
    }
    if (exitRequested) {
      status = 'exited';
      reason = 'journey archived';
    }
    await record({ kind: 'path_done', status, reason });
    phase = 'watching';
  }

  // Watch for the goal over the conversion window, so the holdout comparison is fair.
  while (phase === 'watching' && !exitRequested && !converted && goals.length > 0 && reenter === null) {
    if (historyIsLarge()) return continueAsNewNow();
    await flush();
    if (converted) break;
    const deadline = enteredAt + CONVERSION_WINDOW_MS;
    if (now() >= deadline) break;
    steps++;
    await waitFor(() => converted, deadline);
    if (now() >= deadline) break;
  }
  await flush();
  phase = 'done';
  nodeId = null;
  await record({ kind: 'closed' });
  await condition(allHandlersFinished);
  const next = reenter as Extract<JourneyEnvelope, { type: 'enter' }> | null;
  if (next !== null) {
    return continueAsNew<typeof journeyWorkflow>({ enrollment: next.enrollment, trigger: next.signal });
  }
  return { enrollmentId: enrollment.enrollmentId, status, reason, converted, arm };
}
