import type { Metadata } from 'next';
import { guardSection } from '@/lib/guard';
import { serverApi, ApiRequestError } from '@/api/server';
import { toApiError } from '@/api/errors';
import { PageHeader } from '@/components/PageHeader';
import { NoAccess } from '@/components/NoAccess';
import { JourneysNav } from '../JourneysNav';
import { TemplateEditor } from './TemplateEditor';

export const metadata: Metadata = { title: 'Email templates' };

export default async function TemplatesPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { workspaceId } = await params;
  const g = await guardSection(workspaceId, 'journeys');
  if (!g.ok) return g.node;
  const { workspace } = g;
  const client = await serverApi();
  const res = await client.GET('/api/workspaces/{workspaceId}/email-templates', {
    params: { path: { workspaceId: workspace.id } },
  });
  if (res.response.status === 403) return <NoAccess workspaceId={workspace.id} role={workspace.role} />;
  if (!res.response.ok) {
    const e = toApiError(res.error, res.response);
    throw new ApiRequestError(res.response.status, e.code, e.message);
  }
  return (
    <>
      <PageHeader
        title="Email templates"
        description="Subject and body with merge fields, previewed with a real prospect; test sends land in the sandbox mailbox."
      />
      <JourneysNav workspaceId={workspace.id} />
      <TemplateEditor
        workspaceId={workspace.id}
        initial={res.data ?? []}
        canEdit={workspace.role === 'admin' || workspace.role === 'marketer'}
        mailboxHref={`/w/${encodeURIComponent(workspace.id)}/journeys/mailbox`}
      />
    </>
  );
}
