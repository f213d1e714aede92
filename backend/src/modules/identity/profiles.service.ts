import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error';
import { EventDto } from '../events/events.dto';
import { EventsRepository } from '../events/events.repository';
import { ProfileDto, ProfileSummaryDto, type TimelineEventDto } from './profiles.dto';
import { ProfilesRepository } from './profiles.repository';

@Injectable()
export class ProfilesService {
  constructor(
    @Inject(ProfilesRepository) private readonly repo: ProfilesRepository,
    @Inject(EventsRepository) private readonly events: EventsRepository,
  ) {}

  async list(workspaceId: string, q: string | undefined, limit: number): Promise<ProfileSummaryDto[]> {
    return (await this.repo.list(workspaceId, q?.trim() || undefined, limit)).map(ProfileSummaryDto.from);
  }

  async get(workspaceId: string, id: string): Promise<ProfileDto> {
    const p = await this.repo.get(workspaceId, id);
    if (!p) throw notFound();
    const [identities, merges] = await Promise.all([
      this.repo.identities(workspaceId, id),
      this.repo.merges(workspaceId, id),
    ]);
    return {
      ...ProfileSummaryDto.from(p),
      traits: p.traits,
      mergedInto: p.mergedInto,
      account: p.accountId ? { id: p.accountId, name: p.accountName, domain: p.accountDomain } : null,
      identities: identities.map((i) => ({ ...i, createdAt: new Date(i.createdAt).toISOString() })),
      merges: merges.map((m) => ({ ...m, mergedAt: new Date(m.mergedAt).toISOString() })),
    };
  }

  async timeline(
    workspaceId: string,
    id: string,
    before: string | undefined,
    limit: number,
  ): Promise<TimelineEventDto[]> {
    if (!(await this.repo.get(workspaceId, id))) throw notFound();
    const rows = await this.events.timeline(workspaceId, id, before ? new Date(before) : undefined, limit);
    return rows.map((r) => ({ ...EventDto.from(r), properties: r.properties ?? {} }));
  }
}

function notFound() {
  return new DomainError('profiles.not_found', 'No such person in this workspace.');
}
