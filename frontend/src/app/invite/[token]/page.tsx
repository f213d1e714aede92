import type { Metadata } from 'next';
import Link from 'next/link';
import { serverApi, ApiRequestError } from '@/api/server';
import { toApiError } from '@/api/errors';
import { roleLabel, ROLE_DESCRIPTIONS } from '@/lib/access';
import { AuthFrame } from '@/components/AuthFrame';
import { Icon } from '@/components/Icon';
import { AcceptInviteForm } from './AcceptInviteForm';

export const metadata: Metadata = { title: 'Join workspace' };
export const dynamic = 'force-dynamic';

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const client = await serverApi();
  const { data, error, response } = await client.GET('/api/invites/{token}', { params: { path: { token } } });

  if (response.status === 404 || response.status === 410) {
    const expired = response.status === 410;
    return (
      <AuthFrame>
        <div className="auth-state" data-testid={expired ? 'invite-expired' : 'invite-not-found'}>
          <div className="empty__icon empty__icon--muted">
            <Icon name={expired ? 'mail' : 'alert'} size={24} />
          </div>
          <h1 className="auth-title">
            {expired ? 'This invite has expired' : 'This invite link isn’t valid'}
          </h1>
          <p className="auth-subtitle">
            {expired
              ? 'Invite links are valid for a limited time. Ask the workspace admin who invited you for a new link.'
              : 'The link may be mistyped, or the invite was revoked or already used. Ask the workspace admin for a new link.'}
          </p>
          <div className="auth-actions">
            <Link className="btn btn--secondary" href="/sign-in">
              Go to sign in
            </Link>
          </div>
        </div>
      </AuthFrame>
    );
  }
  if (!response.ok || !data) {
    const e = toApiError(error, response);
    throw new ApiRequestError(response.status, e.code, e.message);
  }

  return (
    <AuthFrame>
      <p className="eyebrow">You’re invited</p>
      <h1 className="auth-title">
        Join <span data-testid="invite-workspace">{data.workspaceName}</span>
      </h1>
      <dl className="invite-summary">
        <div>
          <dt>Email</dt>
          <dd data-testid="invite-email">{data.email}</dd>
        </div>
        <div>
          <dt>Role</dt>
          <dd>
            <span className={`badge badge--${data.role}`} data-testid="invite-role">
              {roleLabel(data.role)}
            </span>
            <span className="muted small invite-summary__desc">{ROLE_DESCRIPTIONS[data.role]}</span>
          </dd>
        </div>
      </dl>
      <AcceptInviteForm
        token={token}
        email={data.email}
        workspaceId={data.workspaceId}
        workspaceName={data.workspaceName}
        accountExists={data.accountExists}
      />
    </AuthFrame>
  );
}
