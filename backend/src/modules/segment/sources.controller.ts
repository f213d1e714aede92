import { Body, Controller, Delete, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { Auth, type WorkspaceAccess } from '../auth/auth-context';
import { Policy } from '../auth/policy';
import { CreateSourceRequest, SourceDto, SourceWithKeyDto, WebhookSecretDto } from './sources.dto';
import { SourcesService } from './sources.service';

@ApiTags('sources')
@ApiParam({ name: 'workspaceId', format: 'uuid' })
@Controller('workspaces/:workspaceId/sources')
export class SourcesController {
  constructor(@Inject(SourcesService) private readonly sources: SourcesService) {}

  @Get()
  @Policy.workspace('admin', 'marketer')
  @ApiOkResponse({ type: [SourceDto] })
  async list(@Auth() auth: WorkspaceAccess): Promise<SourceDto[]> {
    return (await this.sources.list(auth.workspaceId)).map(SourceDto.from);
  }

  @Post()
  @Policy.workspace('admin')
  @ApiCreatedResponse({ type: SourceWithKeyDto })
  async create(@Auth() auth: WorkspaceAccess, @Body() body: CreateSourceRequest): Promise<SourceWithKeyDto> {
    const { source, writeKey } = await this.sources.create(auth.workspaceId, body.name.trim());
    return { ...SourceDto.from(source), writeKey };
  }

  @Post(':sourceId/rotate')
  @HttpCode(200)
  @Policy.workspace('admin')
  @ApiOkResponse({
    type: SourceWithKeyDto,
    description: 'A new write key; the old one stops working at once.',
  })
  async rotate(
    @Auth() auth: WorkspaceAccess,
    @Param('sourceId', ParseUUIDPipe) id: string,
  ): Promise<SourceWithKeyDto> {
    const { source, writeKey } = await this.sources.rotate(auth.workspaceId, id);
    return { ...SourceDto.from(source), writeKey };
  }

  @Get(':sourceId/webhook-secret')
  @Policy.workspace('admin')
  @ApiOkResponse({ type: WebhookSecretDto })
  async webhookSecret(
    @Auth() auth: WorkspaceAccess,
    @Param('sourceId', ParseUUIDPipe) id: string,
  ): Promise<WebhookSecretDto> {
    return { secret: await this.sources.webhookSecret(auth.workspaceId, id) };
  }

  @Delete(':sourceId')
  @HttpCode(204)
  @Policy.workspace('admin')
  @ApiNoContentResponse({ description: 'Revoked: its write key and webhook stop working.' })
  revoke(@Auth() auth: WorkspaceAccess, @Param('sourceId', ParseUUIDPipe) id: string): Promise<void> {
    return this.sources.revoke(auth.workspaceId, id);
  }
}
