import { SubNav } from '@/components/SubNav';

export function JourneysNav({ workspaceId }: { workspaceId: string }) {
  const base = `/w/${encodeURIComponent(workspaceId)}/journeys`;
  return (
    <SubNav
      label="Journeys"
      items={[
        { href: base, label: 'Journeys', testId: 'journeys-tab-list' },
        { href: `${base}/templates`, label: 'Email templates', testId: 'journeys-tab-templates' },
        { href: `${base}/mailbox`, label: 'Sandbox mailbox', testId: 'journeys-tab-mailbox' },
      ]}
    />
  );
}
