import { Inject, Injectable } from '@nestjs/common';
import type {
  JourneyActivities,
  JourneyEnrollmentRef,
  JourneyRecord,
  LoadedJourney,
  ProspectSnapshot,
} from '@cairn/workflows';
import { heartbeat } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { JourneyActionsService, TransientActionError, type ActionInput } from './journey-actions.service';
import { JourneyProspects } from './journey-prospects';
import { JourneysRepository } from './journeys.repository';

/** What the interpreter workflow's activities do, as plain service calls (the worker adapts them). */
@Injectable()
export class JourneyRunService {
  constructor(
    @Inject(JourneysRepository) private readonly repo: JourneysRepository,
    @Inject(JourneyProspects) private readonly prospects: JourneyProspects,
    @Inject(JourneyActionsService) readonly actions: JourneyActionsService,
  ) {}

  async load(versionId: string): Promise<LoadedJourney> {
    const row = await this.repo.versionForRun(versionId);
    if (!row)
      throw ApplicationFailure.nonRetryable(`journey version ${versionId} does not exist`, 'JourneyGone');
    return row;
  }

  snapshot(workspaceId: string, profileId: string): Promise<ProspectSnapshot> {
    return this.prospects.snapshot(workspaceId, profileId);
  }

  step(e: JourneyEnrollmentRef, nodeId: string, visit: number): Promise<void> {
    return this.repo.recordStep(e, nodeId, visit);
  }

  async record(e: JourneyEnrollmentRef, r: JourneyRecord): Promise<void> {
    switch (r.kind) {
      case 'arm':
        return this.repo.recordArm(e.enrollmentId, r.arm);
      case 'converted':
        return this.repo.recordConversion(e.enrollmentId, r.nodeId);
      case 'path_done':
        return this.repo.recordPathDone(e.enrollmentId, r.status, r.reason);
      case 'closed':
        return this.repo.recordClosed(e.enrollmentId);
    }
  }

  async action(input: ActionInput) {
    try {
      return await this.actions.run(input);
    } catch (e) {
      if (e instanceof TransientActionError) {
        throw ApplicationFailure.create({ message: e.message, type: 'JourneyActionTransient' });
      }
      throw e;
    }
  }
}

/** The journey activities as Temporal registers them. */
export function createJourneyActivities(run: JourneyRunService): JourneyActivities {
  return {
    journeyLoad: ({ versionId }) => run.load(versionId),
    journeySnapshot: ({ workspaceId, profileId }) => run.snapshot(workspaceId, profileId),
    journeyStep: ({ enrollment, nodeId, visit }) => run.step(enrollment, nodeId, visit),
    journeyAction: async (input) => {
      // A heartbeat on a clock: an attempt lost on the way to this worker (or stuck) is retried within the
      // heartbeat timeout instead of the whole start-to-close timeout.
      heartbeat();
      const beat = setInterval(() => heartbeat(), 5_000);
      try {
        return await run.action(input);
      } finally {
        clearInterval(beat);
      }
    },
    journeyActionFailed: ({ key, error }) => run.actions.markFailed(key, error),
    journeyRecord: ({ enrollment, record }) => run.record(enrollment, record),
  };
}
