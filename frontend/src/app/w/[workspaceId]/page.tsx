import { redirect } from 'next/navigation';
import { workspaceContext } from '@/lib/guard';
import { homePath } from '@/lib/access';

export default async function WorkspaceIndex({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { workspaceId } = await params;
  const { workspace } = await workspaceContext(workspaceId);
  if (!workspace) return null;
  redirect(homePath(workspace.id, workspace.role));
}
