import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { CairnConfig } from '../../config/config';
import { CONFIG } from '../../config/config.module';
import { clientMeta } from '../../common/http/client-meta';
import { SessionDto } from '../auth/auth.dto';
import { AuthService } from '../auth/auth.service';
import { Policy } from '../auth/policy';
import { issueCsrfCookie, setSessionCookie } from '../auth/session-cookies';
import { SessionsService } from '../auth/sessions.service';
import { AcceptInviteRequest, InvitePreviewDto } from './workspaces.dto';
import { InvitesService } from './invites.service';

@ApiTags('invites')
@Controller('invites/:token')
export class InvitesController {
  constructor(
    @Inject(InvitesService) private readonly invites: InvitesService,
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(SessionsService) private readonly sessions: SessionsService,
    @Inject(CONFIG) private readonly config: CairnConfig,
  ) {}

  @Get()
  @Policy.public()
  @ApiOkResponse({ type: InvitePreviewDto })
  preview(@Param('token') token: string): Promise<InvitePreviewDto> {
    return this.invites.preview(token);
  }

  @Post('accept')
  @HttpCode(200)
  @Policy.public()
  @ApiOkResponse({ type: SessionDto, description: 'Joined; the session cookie is set.' })
  async accept(
    @Param('token') token: string,
    @Body() body: AcceptInviteRequest,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SessionDto> {
    const { userId } = await this.invites.accept(token, body.name, body.password);
    setSessionCookie(
      res,
      this.config,
      await this.sessions.create(userId, clientMeta(req)),
      this.sessions.ttlSeconds,
    );
    issueCsrfCookie(res, this.config);
    return this.auth.sessionView(userId);
  }
}
