import { Body, Controller, Get, HttpCode, Inject, Post, Put, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DomainError } from '../../common/errors/domain-error';
import { Auth, type WorkspaceAccess } from '../auth/auth-context';
import { Policy } from '../auth/policy';
import { FEATURE_NAMES } from './features';
import {
  IntelligenceSettingsDto,
  IntelligenceSettingsRequest,
  ModelCardDto,
  RetrainStartedDto,
  SafetyGateDto,
  StageCountDto,
  StageDiscoveryDto,
} from './intelligence.dto';
import { IntelligenceRepository } from './intelligence.repository';
import { IntelligenceService } from './intelligence.service';

@ApiTags('intelligence')
@ApiParam({ name: 'workspaceId', format: 'uuid' })
@Controller('workspaces/:workspaceId/intelligence')
export class IntelligenceController {
  constructor(
    @Inject(IntelligenceService) private readonly intelligence: IntelligenceService,
    @Inject(IntelligenceRepository) private readonly repo: IntelligenceRepository,
  ) {}

  @Get('settings')
  @Policy.workspace('admin', 'marketer', 'sales')
  @ApiOkResponse({ type: IntelligenceSettingsDto })
  async settings(@Auth() auth: WorkspaceAccess): Promise<IntelligenceSettingsDto> {
    return { ...(await this.intelligence.getSettings(auth.workspaceId)), features: [...FEATURE_NAMES] };
  }

  @Put('settings')
  @Policy.workspace('admin', 'marketer')
  @ApiOkResponse({ type: IntelligenceSettingsDto, description: 'Stages apply as people are next scored.' })
  async saveSettings(
    @Auth() auth: WorkspaceAccess,
    @Body() body: IntelligenceSettingsRequest,
  ): Promise<IntelligenceSettingsDto> {
    return {
      ...(await this.intelligence.saveSettings(auth.workspaceId, body)),
      features: [...FEATURE_NAMES],
    };
  }

  @Get('stages')
  @Policy.workspace('admin', 'marketer', 'sales')
  @ApiOkResponse({ type: [StageCountDto], description: 'People per stage now, in stage order.' })
  async stages(@Auth() auth: WorkspaceAccess): Promise<StageCountDto[]> {
    const [s, counts] = await Promise.all([
      this.intelligence.getSettings(auth.workspaceId),
      this.repo.stageCounts(auth.workspaceId),
    ]);
    const by = new Map(counts.map((c) => [c.key, c.people]));
    return s.stages.map((st) => ({ key: st.key, label: st.label, people: by.get(st.key) ?? 0 }));
  }

  @Post('stages/discover')
  @HttpCode(200)
  @Policy.workspace('admin', 'marketer')
  @ApiOkResponse({ type: StageDiscoveryDto })
  discover(@Auth() auth: WorkspaceAccess): Promise<StageDiscoveryDto> {
    return this.intelligence.discover(auth.workspaceId);
  }

  @Get('model')
  @Policy.workspace('admin', 'marketer', 'sales')
  @ApiOkResponse({ type: ModelCardDto })
  model(@Auth() auth: WorkspaceAccess): Promise<ModelCardDto> {
    return this.intelligence.modelCard(auth.workspaceId);
  }

  @Post('model/retrain')
  @HttpCode(202)
  @Policy.workspace('admin', 'marketer')
  @ApiAcceptedResponse({ type: RetrainStartedDto })
  retrain(@Auth() auth: WorkspaceAccess): Promise<RetrainStartedDto> {
    return this.intelligence.retrainNow(auth.workspaceId);
  }

  @Get('model/gate')
  @Policy.workspace('admin', 'marketer', 'sales')
  @ApiQuery({ name: 'threshold', type: Number, description: 'Risk threshold, 0–1.' })
  @ApiOkResponse({ type: SafetyGateDto })
  gate(@Auth() auth: WorkspaceAccess, @Query('threshold') threshold: string): Promise<SafetyGateDto> {
    const t = Number(threshold);
    if (!(t > 0 && t < 1))
      throw new DomainError('validation.failed', 'threshold must be a number between 0 and 1');
    return this.intelligence.gate(auth.workspaceId, t);
  }
}
