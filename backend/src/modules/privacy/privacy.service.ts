import { Inject, Injectable, Logger } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error';
import { ProfilesRepository } from '../identity/profiles.repository';
import { PrivacyRepository } from './privacy.repository';
import { SuppressionService, suppressionHash } from './suppression.service';

@Injectable()
export class PrivacyService {
  private readonly log = new Logger('privacy');

  constructor(
    @Inject(PrivacyRepository) private readonly repo: PrivacyRepository,
    @Inject(ProfilesRepository) private readonly profiles: ProfilesRepository,
    @Inject(SuppressionService) private readonly suppression: SuppressionService,
  ) {}

  async erase(
    workspaceId: string,
    requestedBy: string,
    who: { email?: string; userId?: string; profileId?: string },
  ) {
    const given = [who.email, who.userId, who.profileId].filter(Boolean);
    if (given.length !== 1) {
      throw new DomainError('validation.failed', 'Name exactly one of email, userId or profileId.');
    }
    const profileId = who.profileId
      ? ((await this.profiles.get(workspaceId, who.profileId))?.id ?? null)
      : who.email
        ? await this.profiles.findByIdentity(workspaceId, 'email', who.email.trim().toLowerCase())
        : await this.profiles.findByIdentity(workspaceId, 'user_id', who.userId!.trim());
    if (!profileId) throw new DomainError('profiles.not_found', 'No such person in this workspace.');
    const row = await this.repo.erase(workspaceId, profileId, requestedBy, (ids) =>
      ids.map((id) => suppressionHash(workspaceId, id)),
    );
    this.suppression.forget(workspaceId);
    // Logged without any identifier of the person: the log must not undo the erasure.
    this.log.log(`erasure ${row.id} in workspace ${workspaceId}: ${JSON.stringify(row.deleted)}`);
    return row;
  }

  list(workspaceId: string) {
    return this.repo.list(workspaceId);
  }
}
