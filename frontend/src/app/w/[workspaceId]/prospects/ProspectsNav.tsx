import { SubNav } from '@/components/SubNav';

export function ProspectsNav({ workspaceId }: { workspaceId: string }) {
  const base = `/w/${encodeURIComponent(workspaceId)}/prospects`;
  return (
    <SubNav
      label="Prospects"
      items={[
        { href: base, label: 'People', testId: 'prospects-tab-people' },
        { href: `${base}/accounts`, label: 'Accounts', testId: 'prospects-tab-accounts' },
      ]}
    />
  );
}
