import {
  Body,
  forwardRef,
  Controller,
  Put,
  Patch,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseEnumPipe,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiFoundResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiParam,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError } from '../../common/errors/domain-error';
import type { CairnConfig } from '../../config/config';
import { CONFIG } from '../../config/config.module';
import { Auth, type SignedIn, type WorkspaceAccess } from '../auth/auth-context';
import { Policy } from '../auth/policy';
import {
  AuthorizeDto,
  ConnectionDto,
  ConnectionsDto,
  FieldMappingDto,
  FieldMappingRequest,
  UpdateConnectionRequest,
} from './connections.dto';
import { ConnectionsService } from './connections.service';
import { CrmSyncService } from '../crm-sync/crm-sync.service';
import { WriteBackService } from './writeback.service';
import { WritebackOutboxService } from './writeback-outbox.service';
import { PROVIDERS, type Provider } from './providers';

@ApiTags('connections')
@Controller()
export class ConnectionsController {
  constructor(
    @Inject(ConnectionsService) private readonly connections: ConnectionsService,
    @Inject(WriteBackService) private readonly writeBack: WriteBackService,
    @Inject(WritebackOutboxService) private readonly outbox: WritebackOutboxService,
    @Inject(forwardRef(() => CrmSyncService)) private readonly sync: CrmSyncService,
    @Inject(CONFIG) private readonly config: CairnConfig,
  ) {}

  @Get('workspaces/:workspaceId/connections')
  @Policy.workspace('admin', 'marketer')
  @ApiParam({ name: 'workspaceId', format: 'uuid' })
  @ApiOkResponse({ type: ConnectionsDto })
  async list(@Auth() auth: WorkspaceAccess): Promise<ConnectionsDto> {
    return {
      providers: this.connections.providers(),
      connections: (await this.connections.list(auth.workspaceId)).map(ConnectionDto.from),
    };
  }

  @Post('workspaces/:workspaceId/connections/:provider/authorize')
  @HttpCode(200)
  @Policy.workspace('admin')
  @ApiParam({ name: 'workspaceId', format: 'uuid' })
  @ApiParam({ name: 'provider', enum: PROVIDERS })
  @ApiOkResponse({ type: AuthorizeDto })
  async authorize(
    @Auth() auth: WorkspaceAccess,
    @Param('provider', new ParseEnumPipe(PROVIDERS)) provider: Provider,
  ): Promise<AuthorizeDto> {
    return { authorizeUrl: await this.connections.start(auth.workspaceId, auth.userId, provider) };
  }

  /** Where the provider sends the admin's browser back; always answers with a redirect into the web app. */
  @Get('oauth/:provider/callback')
  @Policy.signedIn()
  @ApiParam({ name: 'provider', enum: PROVIDERS })
  @ApiQuery({ name: 'code', required: false })
  @ApiQuery({ name: 'state', required: false })
  @ApiQuery({ name: 'error', required: false })
  @ApiFoundResponse({ description: 'Back to Connections, with ?connected= or ?error=.' })
  async callback(
    @Auth() auth: SignedIn,
    @Param('provider', new ParseEnumPipe(PROVIDERS)) provider: Provider,
    @Query('code') code: string | undefined,
    @Query('state') state: string | undefined,
    @Query('error') error: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const web = this.config.web.publicUrl;
    try {
      if (error || !code || !state) {
        throw new DomainError(
          'connections.oauth_failed',
          error === 'access_denied'
            ? 'Access was not granted.'
            : `The CRM did not authorise Cairn (${error ?? 'no code'}).`,
        );
      }
      const { workspaceId, connection } = await this.connections.complete(provider, code, state, auth.userId);
      await this.writeBack.prepare(workspaceId, connection.id);
      this.sync.connected(workspaceId, connection.id);
      // Write-back rows held while the grant was lost go out now.
      this.outbox.kick(workspaceId);
      res.redirect(302, `${web}/w/${workspaceId}/connections?connected=${provider}`);
    } catch (e) {
      const message = e instanceof DomainError ? e.message : 'The connection could not be completed.';
      res.redirect(302, `${web}/?connection_error=${encodeURIComponent(message)}`);
    }
  }

  @Post('workspaces/:workspaceId/connections/:connectionId/check')
  @HttpCode(200)
  @Policy.workspace('admin')
  @ApiParam({ name: 'workspaceId', format: 'uuid' })
  @ApiOkResponse({ type: ConnectionDto })
  async check(
    @Auth() auth: WorkspaceAccess,
    @Param('connectionId', ParseUUIDPipe) id: string,
  ): Promise<ConnectionDto> {
    return ConnectionDto.from(await this.connections.check(auth.workspaceId, id));
  }

  @Patch('workspaces/:workspaceId/connections/:connectionId')
  @Policy.workspace('admin')
  @ApiParam({ name: 'workspaceId', format: 'uuid' })
  @ApiOkResponse({ type: ConnectionDto, description: 'Updated; the sync schedule follows.' })
  async update(
    @Auth() auth: WorkspaceAccess,
    @Param('connectionId', ParseUUIDPipe) id: string,
    @Body() body: UpdateConnectionRequest,
  ): Promise<ConnectionDto> {
    const c = await this.connections.setSyncInterval(auth.workspaceId, id, body.syncIntervalMinutes);
    this.sync.intervalChanged(auth.workspaceId, id);
    return ConnectionDto.from(c);
  }

  @Get('workspaces/:workspaceId/connections/:connectionId/fields')
  @Policy.workspace('admin')
  @ApiParam({ name: 'workspaceId', format: 'uuid' })
  @ApiOkResponse({ type: FieldMappingDto })
  fields(
    @Auth() auth: WorkspaceAccess,
    @Param('connectionId', ParseUUIDPipe) id: string,
  ): Promise<FieldMappingDto> {
    return this.writeBack.fieldMapping(auth.workspaceId, id);
  }

  @Put('workspaces/:workspaceId/connections/:connectionId/fields')
  @Policy.workspace('admin')
  @ApiParam({ name: 'workspaceId', format: 'uuid' })
  @ApiOkResponse({ type: FieldMappingDto })
  mapFields(
    @Auth() auth: WorkspaceAccess,
    @Param('connectionId', ParseUUIDPipe) id: string,
    @Body() body: FieldMappingRequest,
  ): Promise<FieldMappingDto> {
    return this.writeBack.setFieldMapping(auth.workspaceId, id, body.map);
  }

  @Delete('workspaces/:workspaceId/connections/:connectionId')
  @HttpCode(204)
  @Policy.workspace('admin')
  @ApiParam({ name: 'workspaceId', format: 'uuid' })
  @ApiNoContentResponse({
    description: 'Disconnected: the grant is revoked at the CRM and the tokens deleted.',
  })
  async disconnect(
    @Auth() auth: WorkspaceAccess,
    @Param('connectionId', ParseUUIDPipe) id: string,
  ): Promise<void> {
    await this.connections.disconnect(auth.workspaceId, id);
    this.sync.disconnected(id);
  }
}
