import { Controller, Get, Inject, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { Auth, type WorkspaceAccess } from '../auth/auth-context';
import { Policy } from '../auth/policy';
import {
  ProfileDto,
  ProfileJourneyDto,
  ProfileSummaryDto,
  ProfilesQuery,
  TimelineEventDto,
  TimelineQuery,
} from './profiles.dto';
import { ProfilesService } from './profiles.service';

@ApiTags('profiles')
@ApiParam({ name: 'workspaceId', format: 'uuid' })
@Controller('workspaces/:workspaceId/profiles')
export class ProfilesController {
  constructor(@Inject(ProfilesService) private readonly profiles: ProfilesService) {}

  @Get()
  @Policy.workspace('admin', 'marketer', 'sales')
  @ApiOkResponse({ type: [ProfileSummaryDto] })
  list(@Auth() auth: WorkspaceAccess, @Query() q: ProfilesQuery): Promise<ProfileSummaryDto[]> {
    return this.profiles.list(auth.workspaceId, q);
  }

  @Get(':profileId')
  @Policy.workspace('admin', 'marketer', 'sales')
  @ApiOkResponse({ type: ProfileDto })
  get(@Auth() auth: WorkspaceAccess, @Param('profileId', ParseUUIDPipe) id: string): Promise<ProfileDto> {
    return this.profiles.get(auth.workspaceId, id);
  }

  @Get(':profileId/journey')
  @Policy.workspace('admin', 'marketer', 'sales')
  @ApiOkResponse({ type: ProfileJourneyDto })
  journey(
    @Auth() auth: WorkspaceAccess,
    @Param('profileId', ParseUUIDPipe) id: string,
  ): Promise<ProfileJourneyDto> {
    return this.profiles.journey(auth.workspaceId, id);
  }

  @Get(':profileId/events')
  @Policy.workspace('admin', 'marketer', 'sales')
  @ApiOkResponse({ type: [TimelineEventDto] })
  timeline(
    @Auth() auth: WorkspaceAccess,
    @Param('profileId', ParseUUIDPipe) id: string,
    @Query() q: TimelineQuery,
  ): Promise<TimelineEventDto[]> {
    return this.profiles.timeline(auth.workspaceId, id, q.before, q.limit ?? 50);
  }
}
