import type { Metadata } from 'next';
import Link from 'next/link';
import { guardSection } from '@/lib/guard';
import { serverApi, ApiRequestError } from '@/api/server';
import { toApiError } from '@/api/errors';
import { PageHeader } from '@/components/PageHeader';
import { NoAccess } from '@/components/NoAccess';
import { TaxonomyEditor } from './TaxonomyEditor';

export const metadata: Metadata = { title: 'Event taxonomy' };

export default async function TaxonomyPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { workspaceId } = await params;
  const g = await guardSection(workspaceId, 'settings.taxonomy');
  if (!g.ok) return g.node;
  const { workspace } = g;

  const client = await serverApi();
  const res = await client.GET('/api/workspaces/{workspaceId}/taxonomy', {
    params: { path: { workspaceId: workspace.id } },
  });
  if (res.response.status === 403) return <NoAccess workspaceId={workspace.id} role={workspace.role} />;
  if (!res.response.ok || !res.data) {
    const e = toApiError(res.error, res.response);
    throw new ApiRequestError(res.response.status, e.code, e.message);
  }

  const base = `/w/${encodeURIComponent(workspace.id)}`;
  return (
    <>
      <PageHeader
        title="Event taxonomy"
        description="How raw events and page views become canonical events with a content category and a buying intent — the vocabulary journeys, stages and scores are built on."
        breadcrumb={
          <ol>
            <li>
              <Link href={`${base}/settings`}>Settings</Link>
            </li>
            <li aria-current="page">Event taxonomy</li>
          </ol>
        }
      />
      <TaxonomyEditor workspaceId={workspace.id} initial={res.data} />
    </>
  );
}
