import type { Metadata } from 'next';
import Link from 'next/link';
import { guardSection } from '@/lib/guard';
import { serverApi, ApiRequestError } from '@/api/server';
import { toApiError } from '@/api/errors';
import { PageHeader } from '@/components/PageHeader';
import { EmptyState } from '@/components/EmptyState';
import { NoAccess } from '@/components/NoAccess';
import { RelativeTime } from '@/components/RelativeTime';
import { JourneysNav } from './JourneysNav';
import { NewJourney } from './NewJourney';

export const metadata: Metadata = { title: 'Journeys' };

const STATUS_LABEL: Record<string, string> = {
  draft: 'Draft',
  active: 'Live',
  paused: 'Paused',
  archived: 'Archived',
};

export default async function JourneysPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { workspaceId } = await params;
  const g = await guardSection(workspaceId, 'journeys');
  if (!g.ok) return g.node;
  const { workspace } = g;
  const base = `/w/${encodeURIComponent(workspace.id)}`;
  const canEdit = workspace.role === 'admin' || workspace.role === 'marketer';

  const client = await serverApi();
  const res = await client.GET('/api/workspaces/{workspaceId}/journeys', {
    params: { path: { workspaceId: workspace.id } },
  });
  if (res.response.status === 403) return <NoAccess workspaceId={workspace.id} role={workspace.role} />;
  if (!res.response.ok) {
    const e = toApiError(res.error, res.response);
    throw new ApiRequestError(res.response.status, e.code, e.message);
  }
  const journeys = res.data ?? [];

  return (
    <>
      <PageHeader
        title="Journeys"
        description="Turn stage changes and risk signals into outreach that runs on its own."
        actions={canEdit ? <NewJourney workspaceId={workspace.id} /> : null}
      />
      <JourneysNav workspaceId={workspace.id} />
      {journeys.length === 0 ? (
        <EmptyState icon="journeys" title="No journeys yet" testId="journeys-empty">
          <p>
            Journeys wire stage transitions to outreach steps: when a prospect moves to a new stage or their
            drop-off risk crosses a threshold, Cairn runs the emails, CRM tasks and alerts you draw on the
            canvas.
          </p>
          {canEdit ? <p>Create one with “New journey”.</p> : null}
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="journeys-table">
            <thead>
              <tr>
                <th scope="col">Journey</th>
                <th scope="col">Status</th>
                <th scope="col">Version</th>
                <th scope="col">Inside now</th>
                <th scope="col">Entered</th>
                <th scope="col">Changed</th>
              </tr>
            </thead>
            <tbody>
              {journeys.map((j) => (
                <tr key={j.id}>
                  <td className="cell-strong">
                    <Link href={`${base}/journeys/${j.id}`}>{j.name}</Link>
                    {j.description ? <div className="muted small">{j.description}</div> : null}
                  </td>
                  <td>
                    <span className="badge badge--neutral">{STATUS_LABEL[j.status] ?? j.status}</span>
                  </td>
                  <td>{j.currentVersion ? `v${j.currentVersion}` : '—'}</td>
                  <td>{j.inside}</td>
                  <td>{j.enrolled}</td>
                  <td>
                    <RelativeTime iso={j.updatedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
