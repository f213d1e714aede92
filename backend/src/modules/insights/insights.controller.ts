import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { Auth, type WorkspaceAccess } from '../auth/auth-context';
import { Policy } from '../auth/policy';
import {
  InsightsAttributionDto,
  InsightsChangesDto,
  InsightsDropoffDto,
  InsightsFunnelDto,
  InsightsOptionsDto,
  InsightsQuery,
  InsightsMomentsDto,
  InsightsOverviewDto,
  InsightsPathsDto,
  PathsQuery,
  SplitQuery,
} from './insights.dto';
import { InsightsService } from './insights.service';

/** Journey analytics, read-only for everyone in the workspace. */
@ApiTags('insights')
@ApiParam({ name: 'workspaceId', format: 'uuid' })
@Controller('workspaces/:workspaceId/insights')
export class InsightsController {
  constructor(@Inject(InsightsService) private readonly insights: InsightsService) {}

  @Get('options')
  @Policy.workspace('admin', 'marketer', 'sales')
  @ApiOkResponse({ type: InsightsOptionsDto })
  options(@Auth() auth: WorkspaceAccess): Promise<InsightsOptionsDto> {
    return this.insights.options(auth.workspaceId);
  }

  @Get('overview')
  @Policy.workspace('admin', 'marketer', 'sales')
  @ApiOkResponse({ type: InsightsOverviewDto })
  overview(@Auth() auth: WorkspaceAccess, @Query() q: InsightsQuery): Promise<InsightsOverviewDto> {
    return this.insights.overview(auth.workspaceId, q);
  }

  @Get('funnel')
  @Policy.workspace('admin', 'marketer', 'sales')
  @ApiOkResponse({ type: InsightsFunnelDto })
  funnel(@Auth() auth: WorkspaceAccess, @Query() q: SplitQuery): Promise<InsightsFunnelDto> {
    return this.insights.funnel(auth.workspaceId, q);
  }

  @Get('paths')
  @Policy.workspace('admin', 'marketer', 'sales')
  @ApiOkResponse({ type: InsightsPathsDto })
  paths(@Auth() auth: WorkspaceAccess, @Query() q: PathsQuery): Promise<InsightsPathsDto> {
    return this.insights.paths(auth.workspaceId, q);
  }

  @Get('moments')
  @Policy.workspace('admin', 'marketer', 'sales')
  @ApiOkResponse({ type: InsightsMomentsDto })
  moments(@Auth() auth: WorkspaceAccess, @Query() q: InsightsQuery): Promise<InsightsMomentsDto> {
    return this.insights.moments(auth.workspaceId, q);
  }

  @Get('attribution')
  @Policy.workspace('admin', 'marketer', 'sales')
  @ApiOkResponse({ type: InsightsAttributionDto })
  attribution(@Auth() auth: WorkspaceAccess, @Query() q: InsightsQuery): Promise<InsightsAttributionDto> {
    return this.insights.attribution(auth.workspaceId, q);
  }

  @Get('dropoff')
  @Policy.workspace('admin', 'marketer', 'sales')
  @ApiOkResponse({ type: InsightsDropoffDto })
  dropoff(@Auth() auth: WorkspaceAccess, @Query() q: SplitQuery): Promise<InsightsDropoffDto> {
    return this.insights.dropoff(auth.workspaceId, q);
  }

  @Get('changes')
  @Policy.workspace('admin', 'marketer', 'sales')
  @ApiOkResponse({ type: InsightsChangesDto })
  changes(@Auth() auth: WorkspaceAccess, @Query() q: InsightsQuery): Promise<InsightsChangesDto> {
    return this.insights.changes(auth.workspaceId, q);
  }
}
