import { Inject, Injectable, Logger } from '@nestjs/common';
import { SIGNALS, WORKFLOW_TYPES } from '@cairn/workflows';
import { WorkflowIdReusePolicy } from '@temporalio/client';
import type { EntityManager } from 'typeorm';
import type { CairnConfig } from '../../config/config';
import { CONFIG } from '../../config/config.module';
import { TemporalService } from '../temporal/temporal.module';
import { contentKey, storeValues, type WriteBackValues } from './crm-fields';
import { WritebackOutboxRepository } from './writeback-outbox.repository';

export const writebackDrainId = (workspaceId: string) => `writeback-drain-${workspaceId}`;

/** Rows per enqueue statement. */
const CHUNK = 5_000;

/**
 * The producer side of write-back: people's new values go into a durable outbox (one row per CRM record,
 * coalesced, changed-only), and the workspace's drain workflow is woken to send them.
 */
@Injectable()
export class WritebackOutboxService {
  private readonly log = new Logger('writeback');

  constructor(
    @Inject(WritebackOutboxRepository) private readonly repo: WritebackOutboxRepository,
    @Inject(TemporalService) private readonly temporal: TemporalService,
    @Inject(CONFIG) private readonly config: CairnConfig,
  ) {}

  /**
   * Queues each person's values (`null`: clear Cairn's fields) for every CRM record of theirs. People who opted
   * out or no longer exist get nothing. Inside the caller's transaction when `manager` is given — then the caller
   * wakes the drain after commit (`kick`); otherwise the drain is woken here. Returns the rows now waiting.
   */
  async enqueue(
    workspaceId: string,
    changes: { profileId: string; values: WriteBackValues | null }[],
    manager?: EntityManager,
  ): Promise<number> {
    let queued = 0;
    for (let i = 0; i < changes.length; i += CHUNK) {
      const chunk = changes.slice(i, i + CHUNK).map((c) => ({
        profileId: c.profileId,
        values: storeValues(c.values),
        key: contentKey(c.values),
      }));
      queued += await this.repo.enqueue(workspaceId, chunk, manager);
    }
    if (queued && !manager) this.kick(workspaceId);
    return queued;
  }

  /**
   * Wakes (or starts) the workspace's drain when anything waits; never throws: rows stay queued and a later wake
   * (or the worker's start) sends them.
   */
  kick(workspaceId: string): void {
    this.repo
      .hasPending(workspaceId)
      .then((any) => (any ? this.wake(workspaceId) : undefined))
      .catch((e: Error) =>
        this.log.warn(`write-back drain of workspace ${workspaceId} not woken: ${e.message}`),
      );
  }

  /** Signal-with-start: one drain per workspace, started anew once a finished one is gone. */
  async wake(workspaceId: string): Promise<void> {
    await this.temporal.client.workflow.signalWithStart(WORKFLOW_TYPES.writebackDrain, {
      workflowId: writebackDrainId(workspaceId),
      taskQueue: this.config.temporal.taskQueue,
      args: [{ workspaceId }],
      signal: SIGNALS.writebackWake,
      signalArgs: [],
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    });
  }

  /** At worker start: every workspace with rows waiting gets its drain going again. */
  async wakeAll(): Promise<number> {
    const workspaces = await this.repo.pendingWorkspaces();
    for (const id of workspaces) await this.wake(id);
    return workspaces.length;
  }
}
