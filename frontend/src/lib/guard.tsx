import type { ReactNode } from 'react';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { getSession } from '@/api/server';
import type { Session, SessionWorkspace } from '@/api/types';
import { canAccess, type Section } from './access';
import { NoAccess } from '@/components/NoAccess';

/** The path the visitor asked for (set by middleware), so sign-in can send them back. */
export async function requestedPath(fallback: string): Promise<string> {
  const h = await headers();
  return h.get('x-cairn-path') ?? fallback;
}

export function signInUrl(next: string): string {
  return `/sign-in?next=${encodeURIComponent(next)}`;
}

/** The signed-in session, or a redirect to the sign-in page. */
export async function requireSession(fallbackPath: string): Promise<Session> {
  const session = await getSession();
  if (!session) redirect(signInUrl(await requestedPath(fallbackPath)));
  return session;
}

export interface WorkspaceContext {
  session: Session;
  workspace: SessionWorkspace | undefined;
}

export async function workspaceContext(workspaceId: string): Promise<WorkspaceContext> {
  const session = await requireSession(`/w/${encodeURIComponent(workspaceId)}`);
  const workspace = session.workspaces.find((w) => w.id === workspaceId);
  return { session, workspace };
}

export type Guarded =
  { ok: true; session: Session; workspace: SessionWorkspace } | { ok: false; node: ReactNode };

/**
 * Page-level role check. The API enforces the same rules; this keeps a direct visit from showing
 * a broken page. Renders nothing when the workspace is unknown (the layout explains that).
 */
export async function guardSection(workspaceId: string, section: Section): Promise<Guarded> {
  const { session, workspace } = await workspaceContext(workspaceId);
  if (!workspace) return { ok: false, node: null };
  if (!canAccess(workspace.role, section)) {
    return { ok: false, node: <NoAccess workspaceId={workspace.id} role={workspace.role} /> };
  }
  return { ok: true, session, workspace };
}
