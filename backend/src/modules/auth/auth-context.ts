import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Role } from '../workspaces/roles';

export interface SignedIn {
  userId: string;
  sessionId: string;
}

export interface WorkspaceAccess extends SignedIn {
  workspaceId: string;
  role: Role;
}

export interface AuthenticatedRequest extends Request {
  auth?: SignedIn | WorkspaceAccess;
}

/** The caller as the policy guard established it. */
export const Auth = createParamDecorator((_: unknown, ctx: ExecutionContext) => {
  return ctx.switchToHttp().getRequest<AuthenticatedRequest>().auth;
});
