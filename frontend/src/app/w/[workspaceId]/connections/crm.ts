import type { paths } from '@/api/schema';
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

/** Scheduled-pull intervals an admin picks from (minutes); the API takes any whole number from 5 to 1,440. */
export const SYNC_INTERVALS = [5, 10, 15, 30, 60, 120, 240, 480, 720, 1440] as const;

/** "15 minutes", "1 hour", "24 hours". */
export function intervalLabel(minutes: number): string {
  if (minutes < 60 || minutes % 60 !== 0) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const h = minutes / 60;
  return `${h} hour${h === 1 ? '' : 's'}`;
}

type JsonOf<T> = T extends { content: { 'application/json': infer B } } ? B : never;
/** Where each of Cairn's values is written in the CRM, and the CRM's writable fields. */
export type FieldMapping = JsonOf<
  paths['/api/workspaces/{workspaceId}/connections/{connectionId}/fields']['get']['responses'][200]
>;
