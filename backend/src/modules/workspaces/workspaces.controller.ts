import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { Auth, type WorkspaceAccess } from '../auth/auth-context';
import { WorkspaceSummaryDto } from '../auth/auth.dto';
import { Policy } from '../auth/policy';
import {
  ChangeRoleRequest,
  CreatedInviteDto,
  CreateInviteRequest,
  InviteDto,
  MemberDto,
} from './workspaces.dto';
import { WorkspacesService } from './workspaces.service';

@ApiTags('workspaces')
// Read by the policy guard rather than @Param, so it is declared for the spec here.
@ApiParam({ name: 'workspaceId', format: 'uuid' })
@Controller('workspaces/:workspaceId')
export class WorkspacesController {
  constructor(@Inject(WorkspacesService) private readonly workspaces: WorkspacesService) {}

  @Get()
  @Policy.workspace('admin', 'marketer', 'sales')
  @ApiOkResponse({ type: WorkspaceSummaryDto })
  get(@Auth() auth: WorkspaceAccess): Promise<WorkspaceSummaryDto> {
    return this.workspaces.get(auth.workspaceId, auth.role);
  }

  @Get('members')
  @Policy.workspace('admin')
  @ApiOkResponse({ type: [MemberDto] })
  async members(@Auth() auth: WorkspaceAccess): Promise<MemberDto[]> {
    return (await this.workspaces.listMembers(auth.workspaceId)).map(MemberDto.from);
  }

  @Patch('members/:userId')
  @Policy.workspace('admin')
  @ApiOkResponse({ type: MemberDto })
  async changeRole(
    @Auth() auth: WorkspaceAccess,
    @Param('userId', ParseUUIDPipe) userId: string,
    @Body() body: ChangeRoleRequest,
  ): Promise<MemberDto> {
    return MemberDto.from(await this.workspaces.changeRole(auth.workspaceId, userId, body.role));
  }

  @Delete('members/:userId')
  @HttpCode(204)
  @Policy.workspace('admin')
  @ApiNoContentResponse()
  removeMember(@Auth() auth: WorkspaceAccess, @Param('userId', ParseUUIDPipe) userId: string): Promise<void> {
    return this.workspaces.removeMember(auth.workspaceId, userId);
  }

  @Get('invites')
  @Policy.workspace('admin')
  @ApiOkResponse({ type: [InviteDto] })
  async invites(@Auth() auth: WorkspaceAccess): Promise<InviteDto[]> {
    return (await this.workspaces.listInvites(auth.workspaceId)).map(InviteDto.from);
  }

  @Post('invites')
  @Policy.workspace('admin')
  @ApiCreatedResponse({ type: CreatedInviteDto })
  async invite(@Auth() auth: WorkspaceAccess, @Body() body: CreateInviteRequest): Promise<CreatedInviteDto> {
    const { invite, inviteUrl } = await this.workspaces.invite(
      auth.workspaceId,
      auth.userId,
      body.email,
      body.role,
    );
    return { ...InviteDto.from(invite), inviteUrl };
  }

  @Delete('invites/:inviteId')
  @HttpCode(204)
  @Policy.workspace('admin')
  @ApiNoContentResponse()
  revokeInvite(
    @Auth() auth: WorkspaceAccess,
    @Param('inviteId', ParseUUIDPipe) inviteId: string,
  ): Promise<void> {
    return this.workspaces.revokeInvite(auth.workspaceId, inviteId);
  }
}
