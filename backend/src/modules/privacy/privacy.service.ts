import { Inject, Injectable, Logger } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error';
import { ConnectionsRepository } from '../connections/connections.repository';
import { WriteBackService } from '../connections/writeback.service';
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
    @Inject(ConnectionsRepository) private readonly connections: ConnectionsRepository,
    @Inject(WriteBackService) private readonly writeBack: WriteBackService,
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
    const { crmRecords, ...row } = await this.repo.erase(workspaceId, profileId, requestedBy, (ids) =>
      ids.map((id) => suppressionHash(workspaceId, id)),
    );
    this.suppression.forget(workspaceId);
    if (crmRecords.length) {
      row.deleted.crmRecordsCleared = await this.clearCrmFields(workspaceId, crmRecords);
      await this.repo.recordCrmCleared(row.id, row.deleted.crmRecordsCleared);
    }
    // Logged without any identifier of the person: the log must not undo the erasure.
    this.log.log(`erasure ${row.id} in workspace ${workspaceId}: ${JSON.stringify(row.deleted)}`);
    return row;
  }

  /** Clears the stage, risk and reasons Cairn wrote on the person's CRM records; failures are logged, counted. */
  private async clearCrmFields(
    workspaceId: string,
    records: { kind: string; value: string }[],
  ): Promise<number> {
    let cleared = 0;
    for (const connection of await this.connections.list(workspaceId)) {
      const mine = records.filter((r) => r.kind === connection.provider);
      if (!mine.length) continue;
      try {
        const result = await this.writeBack.write(
          workspaceId,
          connection.id,
          mine.map((r) => ({
            recordId: r.value,
            // Salesforce ids say their object: 003… is a Contact, 00Q… a Lead.
            object: r.value.startsWith('00Q') ? ('Lead' as const) : ('Contact' as const),
            values: null,
          })),
        );
        cleared += result.written;
      } catch (e) {
        this.log.warn(`could not clear CRM fields in ${connection.provider}: ${(e as Error).message}`);
      }
    }
    return cleared;
  }

  list(workspaceId: string) {
    return this.repo.list(workspaceId);
  }
}
