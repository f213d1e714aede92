import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { CairnConfig } from '../../config/config';
import { CONFIG } from '../../config/config.module';
import { clientMeta } from '../../common/http/client-meta';
import { Auth, type SignedIn } from './auth-context';
import { CsrfDto, SessionDto, SignInRequest } from './auth.dto';
import { AuthService } from './auth.service';
import { SESSION_COOKIE } from './cookies';
import { Policy } from './policy';
import { clearSessionCookie, issueCsrfCookie, setSessionCookie } from './session-cookies';
import { SessionsService } from './sessions.service';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(SessionsService) private readonly sessions: SessionsService,
    @Inject(CONFIG) private readonly config: CairnConfig,
  ) {}

  @Get('csrf')
  @Policy.public()
  @ApiOperation({
    summary: 'Issue the CSRF cookie; send its value as x-csrf-token on state-changing requests',
  })
  @ApiOkResponse({ type: CsrfDto })
  csrf(@Res({ passthrough: true }) res: Response): CsrfDto {
    return { token: issueCsrfCookie(res, this.config) };
  }

  @Post('sign-in')
  @HttpCode(200)
  @Policy.public()
  @ApiOperation({ summary: 'Sign in with email and password' })
  @ApiOkResponse({ type: SessionDto })
  async signIn(
    @Body() body: SignInRequest,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SessionDto> {
    const { token, session } = await this.auth.signIn(body.email, body.password, clientMeta(req));
    setSessionCookie(res, this.config, token, this.sessions.ttlSeconds);
    issueCsrfCookie(res, this.config);
    return session;
  }

  @Post('sign-out')
  @HttpCode(204)
  @Policy.signedIn()
  @ApiOperation({ summary: 'Sign out: ends this session' })
  @ApiNoContentResponse()
  async signOut(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.signOut(req.cookies[SESSION_COOKIE] as string);
    clearSessionCookie(res, this.config);
  }

  @Get('me')
  @Policy.signedIn()
  @ApiOperation({ summary: 'The signed-in user and their workspaces' })
  @ApiOkResponse({ type: SessionDto })
  me(@Auth() auth: SignedIn): Promise<SessionDto> {
    return this.auth.sessionView(auth.userId);
  }
}
