import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { guardSection } from '@/lib/guard';
import { serverApi, ApiRequestError } from '@/api/server';
import { toApiError } from '@/api/errors';
import { PageHeader } from '@/components/PageHeader';
import { NoAccess } from '@/components/NoAccess';
import { JourneyEditor } from '@/components/journey-canvas/JourneyEditor';

export const metadata: Metadata = { title: 'Journey' };

export default async function JourneyPage({
  params,
}: {
  params: Promise<{ workspaceId: string; journeyId: string }>;
}) {
  const { workspaceId, journeyId } = await params;
  const g = await guardSection(workspaceId, 'journeys');
  if (!g.ok) return g.node;
  const { workspace } = g;
  const base = `/w/${encodeURIComponent(workspace.id)}/journeys`;
  const path = { workspaceId: workspace.id };

  const client = await serverApi();
  const [res, templates, journeys] = await Promise.all([
    client.GET('/api/workspaces/{workspaceId}/journeys/{journeyId}', {
      params: { path: { ...path, journeyId } },
    }),
    client.GET('/api/workspaces/{workspaceId}/email-templates', { params: { path } }),
    client.GET('/api/workspaces/{workspaceId}/journeys', { params: { path } }),
  ]);
  if (res.response.status === 403) return <NoAccess workspaceId={workspace.id} role={workspace.role} />;
  if (res.response.status === 404) notFound();
  if (!res.response.ok || !res.data) {
    const e = toApiError(res.error, res.response);
    throw new ApiRequestError(res.response.status, e.code, e.message);
  }
  const journey = res.data;

  return (
    <>
      <PageHeader
        title={journey.name}
        description={journey.description ?? undefined}
        breadcrumb={
          <ol>
            <li>
              <Link href={base}>Journeys</Link>
            </li>
            <li aria-current="page">{journey.name}</li>
          </ol>
        }
      />
      <JourneyEditor
        workspaceId={workspace.id}
        journey={journey}
        templates={(templates.data ?? []).map((t) => ({ id: t.id, name: t.name }))}
        journeys={(journeys.data ?? []).map((j) => ({ id: j.id, name: j.name }))}
        canEdit={workspace.role === 'admin' || workspace.role === 'marketer'}
        templatesHref={`${base}/templates`}
        mailboxHref={`${base}/mailbox`}
      />
    </>
  );
}
