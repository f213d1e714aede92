import Link from 'next/link';
import { redirect } from 'next/navigation';
import { getSession } from '@/api/server';
import { canAccess, homePath } from '@/lib/access';
import { AuthFrame } from '@/components/AuthFrame';
import { Icon } from '@/components/Icon';
import { SignOutButton } from '@/components/SignOutButton';

export const dynamic = 'force-dynamic';

export default async function Home({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const session = await getSession();
  if (!session) redirect('/sign-in');
  const query = await searchParams;
  const raw = query.connection_error;
  // A CRM's consent page failed: the OAuth callback sends the browser here with the reason.
  const connectionError = (Array.isArray(raw) ? raw[0] : raw)?.trim().slice(0, 300) || undefined;

  if (connectionError) {
    // Show it on Connections, in the workspace where the admin most likely started.
    const target =
      session.workspaces.find((w) => w.role === 'admin') ??
      session.workspaces.find((w) => canAccess(w.role, 'connections'));
    if (target) {
      redirect(
        `/w/${encodeURIComponent(target.id)}/connections?connection_error=${encodeURIComponent(connectionError)}`,
      );
    }
  }

  const first = session.workspaces[0];
  if (first && !connectionError) redirect(homePath(first.id, first.role));

  return (
    <AuthFrame>
      {connectionError ? (
        <div className="alert alert--error" role="alert" data-testid="connection-error">
          <Icon name="alert" size={18} />
          <p>
            <strong>The CRM connection was not completed.</strong> {connectionError}
          </p>
        </div>
      ) : null}
      {first ? (
        <>
          <h1 className="auth-title">Back to Cairn</h1>
          <div className="auth-actions">
            <Link className="btn btn--primary" href={homePath(first.id, first.role)}>
              Go to your start page
            </Link>
          </div>
        </>
      ) : (
        <>
          <h1 className="auth-title">No workspace yet</h1>
          <p className="auth-subtitle">
            You’re signed in as <strong>{session.user.email}</strong>, but you aren’t a member of any
            workspace. Ask an admin to send you an invite link.
          </p>
          <div className="auth-actions">
            <SignOutButton />
          </div>
        </>
      )}
    </AuthFrame>
  );
}
