import { SetMetadata } from '@nestjs/common';
import type { Role } from '../workspaces/roles';

export const POLICY_KEY = 'cairn:policy';

/**
 * Who may call an endpoint. Every handler must carry one: the guard refuses a route without it, and a test
 * walks all registered routes to catch a forgotten one before it ships.
 */
export type AccessPolicy =
  { kind: 'public'; csrf: boolean } | { kind: 'signed-in' } | { kind: 'workspace'; roles: readonly Role[] };

export const Policy = {
  /** Anyone. State-changing public endpoints still need the CSRF token unless they authenticate otherwise. */
  public: (opts: { csrf?: boolean } = {}) =>
    SetMetadata(POLICY_KEY, { kind: 'public', csrf: opts.csrf ?? true } satisfies AccessPolicy),
  signedIn: () => SetMetadata(POLICY_KEY, { kind: 'signed-in' } satisfies AccessPolicy),
  /** A member of the route's `:workspaceId` holding one of the roles. */
  workspace: (...roles: Role[]) =>
    SetMetadata(POLICY_KEY, { kind: 'workspace', roles } satisfies AccessPolicy),
};
