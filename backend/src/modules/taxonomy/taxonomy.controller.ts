import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { Auth, type WorkspaceAccess } from '../auth/auth-context';
import { Policy } from '../auth/policy';
import { JobDto, JobStartedDto, PreviewRowDto, TaxonomyDto, TaxonomyRulesRequest } from './taxonomy.dto';
import { TaxonomyService } from './taxonomy.service';

@ApiTags('taxonomy')
@ApiParam({ name: 'workspaceId', format: 'uuid' })
@Controller('workspaces/:workspaceId/taxonomy')
export class TaxonomyController {
  constructor(@Inject(TaxonomyService) private readonly taxonomy: TaxonomyService) {}

  @Get()
  @Policy.workspace('admin', 'marketer')
  @ApiOkResponse({ type: TaxonomyDto })
  get(@Auth() auth: WorkspaceAccess): Promise<TaxonomyDto> {
    return this.taxonomy.rules(auth.workspaceId);
  }

  @Put()
  @Policy.workspace('admin', 'marketer')
  @ApiOkResponse({
    type: TaxonomyDto,
    description: 'Applies to events from now on; re-apply to update history.',
  })
  async replace(@Auth() auth: WorkspaceAccess, @Body() body: TaxonomyRulesRequest): Promise<TaxonomyDto> {
    await this.taxonomy.replace(auth.workspaceId, body.rules);
    return this.taxonomy.rules(auth.workspaceId);
  }

  @Post('preview')
  @HttpCode(200)
  @Policy.workspace('admin', 'marketer')
  @ApiOkResponse({ type: [PreviewRowDto] })
  preview(@Auth() auth: WorkspaceAccess, @Body() body: TaxonomyRulesRequest): Promise<PreviewRowDto[]> {
    return this.taxonomy.preview(auth.workspaceId, body.rules);
  }

  @Post('reapply')
  @HttpCode(202)
  @Policy.workspace('admin', 'marketer')
  @ApiAcceptedResponse({ type: JobStartedDto })
  async reapply(@Auth() auth: WorkspaceAccess): Promise<JobStartedDto> {
    return { jobId: (await this.taxonomy.startReapply(auth.workspaceId, auth.userId)).id };
  }

  @Get('reapply/:jobId')
  @Policy.workspace('admin', 'marketer')
  @ApiOkResponse({ type: JobDto })
  async job(@Auth() auth: WorkspaceAccess, @Param('jobId', ParseUUIDPipe) jobId: string): Promise<JobDto> {
    return JobDto.from(await this.taxonomy.job(auth.workspaceId, jobId));
  }
}
