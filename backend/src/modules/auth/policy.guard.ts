import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { timingSafeEqual } from 'node:crypto';
import { DomainError } from '../../common/errors/domain-error';
import { AuthRepository } from './auth.repository';
import type { AuthenticatedRequest } from './auth-context';
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from './cookies';
import { POLICY_KEY, type AccessPolicy } from './policy';
import { SessionsService } from './sessions.service';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Global guard: session, CSRF, workspace membership and role, decided from each route's policy. */
@Injectable()
export class PolicyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(SessionsService) private readonly sessions: SessionsService,
    @Inject(AuthRepository) private readonly repo: AuthRepository,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const policy = this.reflector.getAllAndOverride<AccessPolicy | undefined>(POLICY_KEY, [
      ctx.getHandler(),
      ctx.getClass(),
    ]);
    if (!policy) throw new DomainError('auth.no_policy', 'This endpoint has no access policy.');
    const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();

    const needsCsrf = !SAFE_METHODS.has(req.method) && (policy.kind !== 'public' || policy.csrf);
    if (needsCsrf) assertCsrf(req);
    if (policy.kind === 'public') return true;

    const token = req.cookies?.[SESSION_COOKIE] as string | undefined;
    const session = token ? await this.sessions.resolve(token) : null;
    if (!session) throw new DomainError('auth.unauthenticated', 'Sign in to continue.');
    req.auth = { userId: session.userId, sessionId: session.id };
    if (policy.kind === 'signed-in') return true;

    const workspaceId = req.params['workspaceId'];
    // Unknown and foreign workspaces answer alike, so ids of other tenants cannot be probed.
    if (typeof workspaceId !== 'string' || !UUID.test(workspaceId)) throw notFound();
    const role = await this.repo.roleIn(workspaceId, session.userId);
    if (!role) throw notFound();
    if (!policy.roles.includes(role)) {
      throw new DomainError('auth.forbidden', `This needs the ${policy.roles.join(' or ')} role.`);
    }
    req.auth = { ...req.auth, workspaceId, role };
    return true;
  }
}

function notFound(): DomainError {
  return new DomainError('workspaces.not_found', 'Workspace not found.');
}

/** Double-submit check: the header must repeat the CSRF cookie, which another site can neither read nor set. */
function assertCsrf(req: AuthenticatedRequest): void {
  const cookie = req.cookies?.[CSRF_COOKIE] as string | undefined;
  const header = req.header(CSRF_HEADER);
  if (!cookie || !header || cookie.length !== header.length) throw csrfFailed();
  if (!timingSafeEqual(Buffer.from(cookie), Buffer.from(header))) throw csrfFailed();
}

function csrfFailed(): DomainError {
  return new DomainError(
    'auth.csrf_failed',
    `Missing or wrong ${CSRF_HEADER} header: send the value of the ${CSRF_COOKIE} cookie (GET /api/auth/csrf sets it).`,
  );
}
