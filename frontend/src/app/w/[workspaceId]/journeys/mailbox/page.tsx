import type { Metadata } from 'next';
import { guardSection } from '@/lib/guard';
import { PageHeader } from '@/components/PageHeader';
import { JourneysNav } from '../JourneysNav';
import { Mailbox } from './Mailbox';

export const metadata: Metadata = { title: 'Sandbox mailbox' };

export default async function MailboxPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { workspaceId } = await params;
  const g = await guardSection(workspaceId, 'journeys');
  if (!g.ok) return g.node;
  return (
    <>
      <PageHeader
        title="Sandbox mailbox"
        description="Every email Cairn sends lands here instead of leaving the server: journey emails and test sends, newest first."
      />
      <JourneysNav workspaceId={g.workspace.id} />
      <Mailbox workspaceId={g.workspace.id} />
    </>
  );
}
