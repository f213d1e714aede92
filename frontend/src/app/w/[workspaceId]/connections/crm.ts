import type { CrmProvider } from '@/api/types';

/** What the Connections page says about each CRM. */
export const CRM_INFO: Record<
  CrmProvider,
  { name: string; accountLabel: string; reads: string; writes: string }
> = {
  hubspot: {
    name: 'HubSpot',
    accountLabel: 'Portal (hub) ID',
    reads: 'Contacts, companies, deals and emails.',
    writes: 'Journey stage, drop-off risk and top reasons, into contact and deal properties.',
  },
  salesforce: {
    name: 'Salesforce',
    accountLabel: 'Org ID',
    reads: 'Contacts, companies (accounts), deals (opportunities) and emails.',
    writes: 'Journey stage, drop-off risk and top reasons, into custom fields.',
  },
};

export function isCrmProvider(value: unknown): value is CrmProvider {
  return value === 'hubspot' || value === 'salesforce';
}
