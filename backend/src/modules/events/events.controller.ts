import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { Auth, type WorkspaceAccess } from '../auth/auth-context';
import { Policy } from '../auth/policy';
import { LimitQuery } from '../../common/http/limit.query';
import { EventDto, InboxDto, RejectionDto } from './events.dto';
import { EventsRepository } from './events.repository';
import { RejectionsRepository } from './rejections.repository';
import { ResolutionRepository } from './resolution.repository';

/** The live event debugger: what arrived, how it mapped, what waits to be resolved, what was refused and why. */
@ApiTags('events')
@ApiParam({ name: 'workspaceId', format: 'uuid' })
@Controller('workspaces/:workspaceId/events')
export class EventsController {
  constructor(
    @Inject(EventsRepository) private readonly events: EventsRepository,
    @Inject(RejectionsRepository) private readonly rejections: RejectionsRepository,
    @Inject(ResolutionRepository) private readonly resolution: ResolutionRepository,
  ) {}

  @Get('recent')
  @Policy.workspace('admin', 'marketer')
  @ApiOkResponse({ type: [EventDto] })
  async recent(@Auth() auth: WorkspaceAccess, @Query() q: LimitQuery): Promise<EventDto[]> {
    return (await this.events.recent(auth.workspaceId, q.limit ?? 50)).map(EventDto.from);
  }

  @Get('rejections')
  @Policy.workspace('admin', 'marketer')
  @ApiOkResponse({ type: [RejectionDto] })
  async rejected(@Auth() auth: WorkspaceAccess, @Query() q: LimitQuery): Promise<RejectionDto[]> {
    const rows: (Omit<RejectionDto, 'receivedAt'> & { receivedAt: Date })[] = await this.rejections.latest(
      auth.workspaceId,
      q.limit ?? 50,
    );
    return rows.map((r) => ({ ...r, receivedAt: new Date(r.receivedAt).toISOString() }));
  }

  /** How far resolution lags behind acknowledgement: visible during a burst, empty otherwise. */
  @Get('inbox')
  @Policy.workspace('admin', 'marketer')
  @ApiOkResponse({ type: InboxDto })
  async inbox(@Auth() auth: WorkspaceAccess): Promise<InboxDto> {
    const { events, oldestReceivedAt } = await this.resolution.waiting(auth.workspaceId);
    return { waiting: events, oldestReceivedAt: oldestReceivedAt?.toISOString() ?? null };
  }
}
