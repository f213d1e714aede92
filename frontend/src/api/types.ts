import type { paths } from './schema';

/** Response body of an operation for a given status, derived from the generated `paths`. */
type JsonOf<T> = T extends { content: { 'application/json': infer B } } ? B : never;

export type Session = JsonOf<paths['/api/auth/me']['get']['responses'][200]>;
export type SessionUser = Session['user'];
export type SessionWorkspace = Session['workspaces'][number];
export type Member = JsonOf<paths['/api/workspaces/{workspaceId}/members']['get']['responses'][200]>[number];
export type PendingInvite = JsonOf<
  paths['/api/workspaces/{workspaceId}/invites']['get']['responses'][200]
>[number];
export type CreatedInvite = JsonOf<paths['/api/workspaces/{workspaceId}/invites']['post']['responses'][201]>;
export type InviteLookup = JsonOf<paths['/api/invites/{token}']['get']['responses'][200]>;
export type Role = 'admin' | 'marketer' | 'sales';

/** The API's error envelope: `{ error: { code, message, details? } }`. */
export interface ApiErrorBody {
  code: string;
  message: string;
  details?: unknown;
}
