import type { Metadata } from 'next';
import Link from 'next/link';
import { guardSection } from '@/lib/guard';
import { serverApi, ApiRequestError } from '@/api/server';
import { toApiError } from '@/api/errors';
import { PageHeader } from '@/components/PageHeader';
import { NoAccess } from '@/components/NoAccess';
import { ModelCardView } from './ModelCardView';
import { StagesEditor } from './StagesEditor';

export const metadata: Metadata = { title: 'Model and stages' };

export default async function ModelPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { workspaceId } = await params;
  const g = await guardSection(workspaceId, 'settings.model');
  if (!g.ok) return g.node;
  const { workspace } = g;
  const client = await serverApi();
  const path = { params: { path: { workspaceId: workspace.id } } };
  const [card, settings, stages] = await Promise.all([
    client.GET('/api/workspaces/{workspaceId}/intelligence/model', path),
    client.GET('/api/workspaces/{workspaceId}/intelligence/settings', path),
    client.GET('/api/workspaces/{workspaceId}/intelligence/stages', path),
  ]);
  for (const res of [card, settings, stages]) {
    if (res.response.status === 403) return <NoAccess workspaceId={workspace.id} role={workspace.role} />;
    if (!res.response.ok || !res.data) {
      const e = toApiError(res.error, res.response);
      throw new ApiRequestError(res.response.status, e.code, e.message);
    }
  }
  const base = `/w/${encodeURIComponent(workspace.id)}`;
  return (
    <>
      <PageHeader
        title="Model and stages"
        description="How well Cairn predicts who converts and who drops off, and the journey stages it places people in — with the rules you can read and edit."
        breadcrumb={
          <ol>
            <li>
              <Link href={`${base}/settings`}>Settings</Link>
            </li>
            <li aria-current="page">Model and stages</li>
          </ol>
        }
      />
      <div className="stack-lg">
        <ModelCardView workspaceId={workspace.id} initial={card.data!} />
        <StagesEditor workspaceId={workspace.id} initial={settings.data!} counts={stages.data!} />
      </div>
    </>
  );
}
