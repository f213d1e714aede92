import { Inject, Injectable } from '@nestjs/common';
import type { PurgeResult } from '@cairn/workflows';
import { AuthRepository } from '../auth/auth.repository';
import { THROTTLE_WINDOW_MS } from '../auth/sign-in-throttle';
import { ResolutionRepository } from '../events/resolution.repository';
import { WorkspacesRepository } from '../workspaces/workspaces.repository';

/** Expired invites stay visible this long (as "expired") before they are deleted. */
const INVITE_RETENTION_MS = 30 * 86_400_000;
/** messageIds are remembered this long; Segment promises de-duplication for at least 7 days. */
const MESSAGE_ID_RETENTION_MS = 30 * 86_400_000;

@Injectable()
export class HousekeepingService {
  constructor(
    @Inject(AuthRepository) private readonly auth: AuthRepository,
    @Inject(WorkspacesRepository) private readonly workspaces: WorkspacesRepository,
    @Inject(ResolutionRepository) private readonly resolution: ResolutionRepository,
  ) {}

  async purgeExpired(asOf: Date): Promise<PurgeResult> {
    const { sessions, signInFailures } = await this.auth.purgeExpired(
      asOf,
      new Date(asOf.getTime() - THROTTLE_WINDOW_MS),
    );
    const invites = await this.workspaces.purgeInvites(new Date(asOf.getTime() - INVITE_RETENTION_MS));
    const messageIds = await this.resolution.purgeMessageIds(
      new Date(asOf.getTime() - MESSAGE_ID_RETENTION_MS),
    );
    return { sessions, invites, signInFailures, messageIds };
  }
}
