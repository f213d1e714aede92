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

type Ws = '/api/workspaces/{workspaceId}';

export type Source = JsonOf<paths[`${Ws}/sources`]['get']['responses'][200]>[number];
export type SourceWithKey = JsonOf<paths[`${Ws}/sources`]['post']['responses'][201]>;

export type RecentEvent = JsonOf<paths[`${Ws}/events/recent`]['get']['responses'][200]>[number];
export type Rejection = JsonOf<paths[`${Ws}/events/rejections`]['get']['responses'][200]>[number];

export type ProfileSummary = JsonOf<paths[`${Ws}/profiles`]['get']['responses'][200]>[number];
export type Profile = JsonOf<paths[`${Ws}/profiles/{profileId}`]['get']['responses'][200]>;
export type ProfileEvent = JsonOf<
  paths[`${Ws}/profiles/{profileId}/events`]['get']['responses'][200]
>[number];

export type Account = JsonOf<paths[`${Ws}/accounts`]['get']['responses'][200]>[number];
export type AccountDetail = JsonOf<paths[`${Ws}/accounts/{accountId}`]['get']['responses'][200]>;
export type AccountMember = AccountDetail['members'][number];

export type OutboundSettings = JsonOf<paths[`${Ws}/outbound/segment`]['get']['responses'][200]>;
export type OutboundTestResult = JsonOf<
  paths[`${Ws}/outbound/segment/test`]['post']['responses'][200]
>['result'];

export type CrmConnections = JsonOf<paths[`${Ws}/connections`]['get']['responses'][200]>;
export type CrmProviderStatus = CrmConnections['providers'][number];
export type CrmProvider = CrmProviderStatus['provider'];
export type CrmConnection = CrmConnections['connections'][number];
export type CrmConnectionStatus = CrmConnection['status'];
export type SyncRun = JsonOf<
  paths[`${Ws}/connections/{connectionId}/runs`]['get']['responses'][200]
>['runs'][number];

export type Taxonomy = JsonOf<paths[`${Ws}/taxonomy`]['get']['responses'][200]>;
export type TaxonomyRule = Taxonomy['rules'][number];
export type PreviewRow = JsonOf<paths[`${Ws}/taxonomy/preview`]['post']['responses'][200]>[number];
export type ReapplyJob = JsonOf<paths[`${Ws}/taxonomy/reapply/{jobId}`]['get']['responses'][200]>;

export type Erasure = JsonOf<paths[`${Ws}/privacy/erasures`]['get']['responses'][200]>[number];

export const INTENTS = ['educational', 'evaluation', 'purchase', 'support'] as const;
export type Intent = (typeof INTENTS)[number];

/** The API's error envelope: `{ error: { code, message, details? } }`. */
export interface ApiErrorBody {
  code: string;
  message: string;
  details?: unknown;
}
