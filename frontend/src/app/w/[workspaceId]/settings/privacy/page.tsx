import type { Metadata } from 'next';
import Link from 'next/link';
import { guardSection } from '@/lib/guard';
import { serverApi, ApiRequestError } from '@/api/server';
import { toApiError } from '@/api/errors';
import { PageHeader } from '@/components/PageHeader';
import { NoAccess } from '@/components/NoAccess';
import { PrivacyAdmin } from './PrivacyAdmin';

export const metadata: Metadata = { title: 'Privacy requests' };

export default async function PrivacyPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { workspaceId } = await params;
  const g = await guardSection(workspaceId, 'settings.privacy');
  if (!g.ok) return g.node;
  const { workspace, session } = g;

  const client = await serverApi();
  const res = await client.GET('/api/workspaces/{workspaceId}/privacy/erasures', {
    params: { path: { workspaceId: workspace.id } },
  });
  if (res.response.status === 403) return <NoAccess workspaceId={workspace.id} role={workspace.role} />;
  if (!res.response.ok) {
    const e = toApiError(res.error, res.response);
    throw new ApiRequestError(res.response.status, e.code, e.message);
  }

  const base = `/w/${encodeURIComponent(workspace.id)}`;
  return (
    <>
      <PageHeader
        title="Privacy requests"
        description="Erase everything Cairn holds about a person when they ask you to (GDPR Art. 17, CCPA)."
        breadcrumb={
          <ol>
            <li>
              <Link href={`${base}/settings`}>Settings</Link>
            </li>
            <li aria-current="page">Privacy</li>
          </ol>
        }
      />
      <PrivacyAdmin
        workspaceId={workspace.id}
        currentUserEmail={session.user.email}
        initialErasures={res.data ?? []}
      />
    </>
  );
}
