/** Every domain error code and the HTTP status it maps to: the one place codes meet HTTP. */
export const ERROR_STATUS = {
  'validation.failed': 400,
  'request.too_large': 413,
  'auth.unauthenticated': 401,
  'auth.invalid_credentials': 401,
  'auth.too_many_attempts': 429,
  'auth.csrf_failed': 403,
  'auth.forbidden': 403,
  'auth.no_policy': 403,
  'workspaces.not_found': 404,
  'workspaces.member_not_found': 404,
  'workspaces.last_admin': 409,
  'workspaces.already_member': 409,
  'invites.not_found': 404,
  'invites.expired': 410,
  'invites.email_taken': 409,
  'route.not_found': 404,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
