import { Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { Auth, type WorkspaceAccess } from '../auth/auth-context';
import { Policy } from '../auth/policy';
import { SyncRunDto, SyncRunsDto, SyncStartedDto } from './crm-sync.dto';
import { CrmSyncService } from './crm-sync.service';

@ApiTags('connections')
@Controller()
export class CrmSyncController {
  constructor(@Inject(CrmSyncService) private readonly sync: CrmSyncService) {}

  @Post('workspaces/:workspaceId/connections/:connectionId/sync')
  @HttpCode(202)
  @Policy.workspace('admin')
  @ApiParam({ name: 'workspaceId', format: 'uuid' })
  @ApiParam({ name: 'connectionId', format: 'uuid' })
  @ApiAcceptedResponse({ type: SyncStartedDto, description: 'A pull from the CRM is running.' })
  trigger(
    @Auth() auth: WorkspaceAccess,
    @Param('connectionId', ParseUUIDPipe) connectionId: string,
  ): Promise<SyncStartedDto> {
    return this.sync.triggerSync(auth.workspaceId, connectionId);
  }

  @Get('workspaces/:workspaceId/connections/:connectionId/runs')
  @Policy.workspace('admin', 'marketer')
  @ApiParam({ name: 'workspaceId', format: 'uuid' })
  @ApiParam({ name: 'connectionId', format: 'uuid' })
  @ApiOkResponse({ type: SyncRunsDto })
  async runs(
    @Auth() auth: WorkspaceAccess,
    @Param('connectionId', ParseUUIDPipe) connectionId: string,
  ): Promise<SyncRunsDto> {
    return { runs: (await this.sync.runs(auth.workspaceId, connectionId)).map(SyncRunDto.from) };
  }
}
