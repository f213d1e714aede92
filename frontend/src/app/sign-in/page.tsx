import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getSession } from '@/api/server';
import type { Session } from '@/api/types';
import { homePath, safeNext } from '@/lib/access';
import { AuthFrame } from '@/components/AuthFrame';
import { SignInForm } from './SignInForm';

export const metadata: Metadata = { title: 'Sign in' };
export const dynamic = 'force-dynamic';

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const next = safeNext((await searchParams)['next']);

  let session: Session | null = null;
  try {
    session = await getSession();
  } catch {
    // The API is unreachable: still show the form; submitting reports the problem.
  }
  if (session) {
    const first = session.workspaces[0];
    redirect(next ?? (first ? homePath(first.id, first.role) : '/'));
  }

  return (
    <AuthFrame footer={<p>New to Cairn? Ask a workspace admin for an invite link.</p>}>
      <h1 className="auth-title">Sign in to Cairn</h1>
      <p className="auth-subtitle">Map every customer journey from the data already in your CRM.</p>
      <SignInForm next={next} />
    </AuthFrame>
  );
}
