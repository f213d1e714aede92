import { Body, Controller, Get, Inject, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { Auth, type WorkspaceAccess } from '../auth/auth-context';
import { Policy } from '../auth/policy';
import { ErasureDto, ErasureRequest } from './privacy.dto';
import { PrivacyService } from './privacy.service';

@ApiTags('privacy')
@ApiParam({ name: 'workspaceId', format: 'uuid' })
@Controller('workspaces/:workspaceId/privacy/erasures')
export class PrivacyController {
  constructor(@Inject(PrivacyService) private readonly privacy: PrivacyService) {}

  @Post()
  @Policy.workspace('admin')
  @ApiCreatedResponse({
    type: ErasureDto,
    description: "The person's events, identities and profile are deleted.",
  })
  async erase(@Auth() auth: WorkspaceAccess, @Body() body: ErasureRequest): Promise<ErasureDto> {
    return ErasureDto.from(await this.privacy.erase(auth.workspaceId, auth.userId, body));
  }

  @Get()
  @Policy.workspace('admin')
  @ApiOkResponse({ type: [ErasureDto] })
  async list(@Auth() auth: WorkspaceAccess): Promise<ErasureDto[]> {
    return (await this.privacy.list(auth.workspaceId)).map(ErasureDto.from);
  }
}
