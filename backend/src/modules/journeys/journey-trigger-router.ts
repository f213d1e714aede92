import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  SIGNALS,
  WORKFLOW_TYPES,
  journeyWorkflowId,
  matchesTrigger,
  type JourneyDefinition,
  type JourneyEnrollmentRef,
  type JourneyEnvelope,
  type JourneySignal,
} from '@cairn/workflows';
import { WorkflowIdReusePolicy, WorkflowNotFoundError } from '@temporalio/client';
import type { CairnConfig } from '../../config/config';
import { CONFIG } from '../../config/config.module';
import { TemporalService } from '../temporal/temporal.module';
import { JourneysRepository } from './journeys.repository';

export type EnrollSkipReason = 'inside' | 'once' | 'too_soon' | 'not_active' | 'opted_out' | 'no_profile';

export interface Enrolled {
  journeyId: string;
  versionId: string;
  enrollmentId: string;
  workflowId: string;
}

export interface RouteResult {
  /** The person the signals were routed for (after merges). */
  profileId: string | null;
  /** New enrolments, each a started (or restarted) workflow. */
  enrolled: Enrolled[];
  /** Journeys whose trigger matched but whose entry rules kept the person out, with why. */
  skipped: { journeyId: string; reason: EnrollSkipReason }[];
  /** Signals delivered to workflows the person is already in (waits, goals). */
  forwarded: number;
}

export interface RouteOptions {
  /**
   * Only these journeys may enrol the person, and their open workflows are not told: a trigger evaluated for
   * particular journeys (a segment one entered, an inactivity sweep), not news about the person.
   */
  journeyIds?: ReadonlySet<string>;
  /** The workspace's live journeys when the caller routes many people at once: read once, not per person. */
  live?: LiveJourney[];
}

export interface LiveJourney {
  journeyId: string;
  versionId: string;
  definition: JourneyDefinition;
}

/** Definitions of published versions never change, so they are cached by version id. */
const CACHE_SIZE = 500;

/**
 * The trigger router: the one way prospects enter journeys and the way running journeys hear what happened.
 * The online scoring loop calls `route` with each re-scored person's signals (`stage_changed`, `risk_changed`,
 * `event` …); every open workflow of that person gets them (for waits and goals), and every active journey whose
 * trigger matches one of them enrols the person, under its entry policy, with `signalWithStart` on the
 * deterministic id `journey-<versionId>-<profileId>`. People who opted out are never enrolled.
 */
@Injectable()
export class JourneyTriggerRouter {
  private readonly log = new Logger('journey-router');
  private readonly definitions = new Map<string, JourneyDefinition>();

  constructor(
    @Inject(JourneysRepository) private readonly repo: JourneysRepository,
    @Inject(TemporalService) private readonly temporal: TemporalService,
    @Inject(CONFIG) private readonly config: CairnConfig,
  ) {}

  async route(
    workspaceId: string,
    profileId: string,
    signals: JourneySignal[],
    options: RouteOptions = {},
  ): Promise<RouteResult> {
    const result: RouteResult = { profileId: null, enrolled: [], skipped: [], forwarded: 0 };
    if (!signals.length) return result;
    const person = await this.repo.person(workspaceId, profileId);
    if (!person) return result;
    result.profileId = person.id;

    const only = options.journeyIds;
    const [open, live] = await Promise.all([
      this.repo.openEnrollments(workspaceId, person.id),
      options.live ?? this.liveJourneys(workspaceId),
    ]);
    const active = only ? live.filter((j) => only.has(j.journeyId)) : live;
    if (!only) {
      await Promise.all(
        open.map(async (e) => {
          for (const signal of signals) {
            if (await this.forward(e.workflowId, { type: 'signal', signal })) result.forwarded++;
            else break;
          }
        }),
      );
    }

    for (const journey of active) {
      const trigger = signals.find((s) => matchesTrigger(journey.definition.trigger, s));
      if (!trigger) continue;
      if (person.consent === 'denied') {
        result.skipped.push({ journeyId: journey.journeyId, reason: 'opted_out' });
        continue;
      }
      if (open.some((e) => e.journeyId === journey.journeyId && e.status === 'active')) {
        result.skipped.push({ journeyId: journey.journeyId, reason: 'inside' });
        continue;
      }
      const r = await this.start(workspaceId, journey, person.id, trigger);
      if ('reason' in r) result.skipped.push({ journeyId: journey.journeyId, reason: r.reason });
      else result.enrolled.push(r);
    }
    return result;
  }

  /** The workspace's published, running journeys with their current definitions. */
  async liveJourneys(workspaceId: string): Promise<LiveJourney[]> {
    const active = await this.repo.activeJourneys(workspaceId);
    const defs = await this.definitionsOf(active.map((a) => a.versionId));
    return active.flatMap((a) => {
      const definition = defs.get(a.versionId);
      return definition ? [{ ...a, definition }] : [];
    });
  }

  /** Enrols a person in a journey whatever its trigger (an "enrol in journey" step), under its entry policy. */
  async enroll(
    workspaceId: string,
    journeyId: string,
    profileId: string,
  ): Promise<Enrolled | { reason: EnrollSkipReason }> {
    const person = await this.repo.person(workspaceId, profileId);
    if (!person) return { reason: 'no_profile' };
    if (person.consent === 'denied') return { reason: 'opted_out' };
    const journey = (await this.repo.activeJourneys(workspaceId)).find((j) => j.journeyId === journeyId);
    if (!journey) return { reason: 'not_active' };
    const definition = (await this.definitionsOf([journey.versionId])).get(journey.versionId);
    if (!definition) return { reason: 'not_active' };
    return this.start(workspaceId, { ...journey, definition }, person.id, null);
  }

  private async start(
    workspaceId: string,
    journey: { journeyId: string; versionId: string; definition: JourneyDefinition },
    profileId: string,
    trigger: JourneySignal | null,
  ): Promise<Enrolled | { reason: EnrollSkipReason }> {
    const workflowId = journeyWorkflowId(journey.versionId, profileId);
    const r = await this.repo.enroll({
      workspaceId,
      journeyId: journey.journeyId,
      versionId: journey.versionId,
      profileId,
      workflowId,
      entry: journey.definition.settings.entry,
      trigger,
    });
    if (!r.enrolled) return { reason: r.reason };
    const enrollment: JourneyEnrollmentRef = {
      workspaceId,
      journeyId: journey.journeyId,
      versionId: journey.versionId,
      profileId,
      enrollmentId: r.enrollmentId,
      entry: r.entry,
    };
    const enter: JourneyEnvelope = { type: 'enter', enrollment, signal: trigger };
    try {
      // A closed workflow (an earlier entry) starts again under the same id; one still watching for its goal
      // gets the `enter` and continues as new with this enrolment.
      await this.temporal.client.workflow.signalWithStart(WORKFLOW_TYPES.journey, {
        workflowId,
        taskQueue: this.config.temporal.taskQueue,
        args: [{ enrollment, trigger }],
        signal: SIGNALS.journeySignal,
        signalArgs: [enter],
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      });
    } catch (e) {
      await this.repo.abandonEnrollment(r.enrollmentId, (e as Error).message);
      throw e;
    }
    return {
      journeyId: journey.journeyId,
      versionId: journey.versionId,
      enrollmentId: r.enrollmentId,
      workflowId,
    };
  }

  /** False when the workflow is gone (its row is then closed). */
  private async forward(workflowId: string, envelope: JourneyEnvelope): Promise<boolean> {
    try {
      await this.temporal.client.workflow.getHandle(workflowId).signal(SIGNALS.journeySignal, envelope);
      return true;
    } catch (e) {
      if (!(e instanceof WorkflowNotFoundError)) throw e;
      this.log.warn(`journey workflow ${workflowId} is not running; closing its enrolment`);
      await this.repo.markClosed(workflowId);
      return false;
    }
  }

  private async definitionsOf(versionIds: string[]): Promise<Map<string, JourneyDefinition>> {
    const missing = versionIds.filter((id) => !this.definitions.has(id));
    if (missing.length) {
      for (const [id, def] of await this.repo.definitions(missing)) {
        if (this.definitions.size >= CACHE_SIZE) {
          const oldest = this.definitions.keys().next().value;
          if (oldest !== undefined) this.definitions.delete(oldest);
        }
        this.definitions.set(id, def);
      }
    }
    return new Map(
      versionIds.flatMap((id) => (this.definitions.has(id) ? [[id, this.definitions.get(id)!]] : [])),
    );
  }
}
