import { Inject, Injectable } from '@nestjs/common';
import type { PurgeResult } from '@cairn/workflows';
import { AuthRepository } from '../auth/auth.repository';
import { THROTTLE_WINDOW_MS } from '../auth/sign-in-throttle';
import { WorkspacesRepository } from '../workspaces/workspaces.repository';

/** Expired invites stay visible this long (as "expired") before they are deleted. */
const INVITE_RETENTION_MS = 30 * 86_400_000;

@Injectable()
export class HousekeepingService {
  constructor(
    @Inject(AuthRepository) private readonly auth: AuthRepository,
    @Inject(WorkspacesRepository) private readonly workspaces: WorkspacesRepository,
  ) {}

  async purgeExpired(asOf: Date): Promise<PurgeResult> {
    const { sessions, signInFailures } = await this.auth.purgeExpired(
      asOf,
      new Date(asOf.getTime() - THROTTLE_WINDOW_MS),
    );
    const invites = await this.workspaces.purgeInvites(new Date(asOf.getTime() - INVITE_RETENTION_MS));
    return { sessions, invites, signInFailures };
  }
}
