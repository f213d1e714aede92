import { redirect } from 'next/navigation';
import { getSession } from '@/api/server';
import { homePath } from '@/lib/access';
import { AuthFrame } from '@/components/AuthFrame';
import { SignOutButton } from '@/components/SignOutButton';

export const dynamic = 'force-dynamic';

export default async function Home() {
  const session = await getSession();
  if (!session) redirect('/sign-in');
  const first = session.workspaces[0];
  if (first) redirect(homePath(first.id, first.role));

  return (
    <AuthFrame>
      <h1 className="auth-title">No workspace yet</h1>
      <p className="auth-subtitle">
        You’re signed in as <strong>{session.user.email}</strong>, but you aren’t a member of any workspace.
        Ask an admin to send you an invite link.
      </p>
      <div className="auth-actions">
        <SignOutButton />
      </div>
    </AuthFrame>
  );
}
