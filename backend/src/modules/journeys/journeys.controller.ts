import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Auth, type WorkspaceAccess } from '../auth/auth-context';
import { Policy } from '../auth/policy';
import {
  ControlResultDto,
  CreateJourneyRequest,
  DraftSavedDto,
  JourneyCreatedDto,
  JourneyDetailDto,
  JourneyStatsDto,
  JourneySummaryDto,
  PublishedDto,
  PublishPreviewDto,
  SaveDraftRequest,
  VersionDto,
} from './journeys.dto';
import { JourneysService, type ControlAction } from './journeys.service';

const EDIT = ['admin', 'marketer'] as const;
const READ = ['admin', 'marketer', 'sales'] as const;

@ApiTags('journeys')
@ApiParam({ name: 'workspaceId', format: 'uuid' })
@Controller('workspaces/:workspaceId/journeys')
export class JourneysController {
  constructor(@Inject(JourneysService) private readonly journeys: JourneysService) {}

  @Get()
  @Policy.workspace(...READ)
  @ApiOkResponse({ type: [JourneySummaryDto] })
  async list(@Auth() auth: WorkspaceAccess): Promise<JourneySummaryDto[]> {
    return (await this.journeys.list(auth.workspaceId)).map(JourneySummaryDto.from);
  }

  @Post()
  @Policy.workspace(...EDIT)
  @ApiCreatedResponse({ type: JourneyCreatedDto, description: 'A draft with just a trigger to configure.' })
  async create(
    @Auth() auth: WorkspaceAccess,
    @Body() body: CreateJourneyRequest,
  ): Promise<JourneyCreatedDto> {
    return { id: await this.journeys.create(auth.workspaceId, auth.userId, body) };
  }

  @Get(':journeyId')
  @Policy.workspace(...READ)
  @ApiOkResponse({ type: JourneyDetailDto })
  async get(
    @Auth() auth: WorkspaceAccess,
    @Param('journeyId', ParseUUIDPipe) journeyId: string,
  ): Promise<JourneyDetailDto> {
    const { journey, versions, errors } = await this.journeys.get(auth.workspaceId, journeyId);
    return JourneyDetailDto.from(journey, versions, errors);
  }

  @Put(':journeyId/draft')
  @Policy.workspace(...EDIT)
  @ApiOkResponse({
    type: DraftSavedDto,
    description:
      'Saves any draft, finished or not (autosave); the errors say what stops publishing, per node.',
  })
  async saveDraft(
    @Auth() auth: WorkspaceAccess,
    @Param('journeyId', ParseUUIDPipe) journeyId: string,
    @Body() body: SaveDraftRequest,
  ): Promise<DraftSavedDto> {
    const saved = await this.journeys.saveDraft(auth.workspaceId, journeyId, body);
    return { revision: saved.revision, savedAt: new Date(saved.savedAt).toISOString(), errors: saved.errors };
  }

  @Get(':journeyId/publish-preview')
  @Policy.workspace(...EDIT)
  @ApiOkResponse({ type: PublishPreviewDto })
  previewPublish(
    @Auth() auth: WorkspaceAccess,
    @Param('journeyId', ParseUUIDPipe) journeyId: string,
  ): Promise<PublishPreviewDto> {
    return this.journeys.previewPublish(auth.workspaceId, journeyId);
  }

  @Post(':journeyId/publish')
  @HttpCode(201)
  @Policy.workspace(...EDIT)
  @ApiCreatedResponse({
    type: PublishedDto,
    description: 'A 400 `journeys.invalid_draft` carries `details.errors`, each tied to a node or edge.',
  })
  async publish(
    @Auth() auth: WorkspaceAccess,
    @Param('journeyId', ParseUUIDPipe) journeyId: string,
  ): Promise<PublishedDto> {
    const r = await this.journeys.publish(auth.workspaceId, journeyId, auth.userId);
    return {
      versionId: r.version.id,
      version: r.version.version,
      previousVersion: r.previousVersion,
      changes: r.changes,
      effect:
        r.previousVersion === null
          ? 'The journey is live: people who match the trigger from now on enter it.'
          : `People already inside stay on version ${r.previousVersion} until they finish; new entrants get version ${r.version.version}.`,
    };
  }

  @Post(':journeyId/pause')
  @HttpCode(200)
  @Policy.workspace(...EDIT)
  @ApiOkResponse({
    type: ControlResultDto,
    description: 'People inside wait at their current step until resumed.',
  })
  pause(@Auth() auth: WorkspaceAccess, @Param('journeyId', ParseUUIDPipe) journeyId: string) {
    return this.control(auth, journeyId, 'pause');
  }

  @Post(':journeyId/resume')
  @HttpCode(200)
  @Policy.workspace(...EDIT)
  @ApiOkResponse({ type: ControlResultDto, description: 'People inside go on from where they waited.' })
  resume(@Auth() auth: WorkspaceAccess, @Param('journeyId', ParseUUIDPipe) journeyId: string) {
    return this.control(auth, journeyId, 'resume');
  }

  @Post(':journeyId/archive')
  @HttpCode(200)
  @Policy.workspace(...EDIT)
  @ApiOkResponse({
    type: ControlResultDto,
    description: 'People inside leave the journey; it takes no one new.',
  })
  archive(@Auth() auth: WorkspaceAccess, @Param('journeyId', ParseUUIDPipe) journeyId: string) {
    return this.control(auth, journeyId, 'archive');
  }

  @Get(':journeyId/stats')
  @Policy.workspace(...READ)
  @ApiQuery({ name: 'versionId', required: false, description: 'One version only; all versions by default.' })
  @ApiOkResponse({ type: JourneyStatsDto })
  stats(
    @Auth() auth: WorkspaceAccess,
    @Param('journeyId', ParseUUIDPipe) journeyId: string,
    @Query('versionId', new ParseUUIDPipe({ optional: true })) versionId?: string,
  ): Promise<JourneyStatsDto> {
    return this.journeys.stats(auth.workspaceId, journeyId, versionId ?? null);
  }

  @Get(':journeyId/versions/:versionId')
  @Policy.workspace(...READ)
  @ApiParam({ name: 'versionId', format: 'uuid' })
  @ApiOkResponse({ type: VersionDto })
  async version(
    @Auth() auth: WorkspaceAccess,
    @Param('journeyId', ParseUUIDPipe) journeyId: string,
    @Param('versionId', ParseUUIDPipe) versionId: string,
  ): Promise<VersionDto> {
    return VersionDto.from(await this.journeys.version(auth.workspaceId, journeyId, versionId));
  }

  private control(
    auth: WorkspaceAccess,
    journeyId: string,
    action: ControlAction,
  ): Promise<ControlResultDto> {
    return this.journeys.control(auth.workspaceId, journeyId, action);
  }
}
