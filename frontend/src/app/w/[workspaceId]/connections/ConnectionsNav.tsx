import { SubNav } from '@/components/SubNav';

export function ConnectionsNav({ workspaceId }: { workspaceId: string }) {
  const base = `/w/${encodeURIComponent(workspaceId)}/connections`;
  return (
    <SubNav
      label="Connections"
      items={[
        { href: base, label: 'Sources', testId: 'connections-tab-sources' },
        { href: `${base}/events`, label: 'Event debugger', testId: 'connections-tab-events' },
      ]}
    />
  );
}
