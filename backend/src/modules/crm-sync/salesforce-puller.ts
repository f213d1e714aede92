import { Connection } from 'jsforce';
import {
  LOOK_BACK_MS,
  RateLimitedError,
  SessionExpiredError,
  domainOf,
  later,
  normaliseEmail,
  numberOrNull,
  parseCrmDate,
  type CrmAssociation,
  type CrmRecord,
  type PulledPage,
  type RecordRole,
  type StreamState,
} from './crm-records';

/** Accounts first, so people can be linked to their accounts; links (contact roles) after their ends. */
export const SALESFORCE_TYPES = [
  'Account',
  'Contact',
  'Lead',
  'Opportunity',
  'OpportunityContactRole',
  'EmailMessage',
  'Task',
] as const;
type SfType = (typeof SALESFORCE_TYPES)[number];

export const SALESFORCE_STREAMS: string[] = [
  ...SALESFORCE_TYPES,
  ...SALESFORCE_TYPES.map((t) => `${t}:deleted`),
];

/**
 * The streams in phases, each phase's pulled side by side: Salesforce has no short-window limit, so one stream at
 * a time leaves the request budget unused while a page commits. A phase needs the ones before it: accounts before
 * the people and deals linked to them, contact roles and emails after the people and deals they link.
 */
export const SALESFORCE_PHASES: string[][] = [
  ['Account'],
  ['Contact', 'Lead', 'Opportunity'],
  ['OpportunityContactRole', 'EmailMessage', 'Task'],
  SALESFORCE_TYPES.map((t) => `${t}:deleted`),
];

/** Records per query batch (`Sforce-Query-Options: batchSize`); Salesforce allows 200–2,000. */
export const SALESFORCE_BATCH = 200;
/** The replication API serves deletions of the last 30 days only. */
const DELETED_HORIZON_MS = 29 * 24 * 3_600_000;
const MINUTE = 60_000;

const FIELDS: Record<SfType, string[]> = {
  Account: ['Name', 'Website', 'Industry', 'NumberOfEmployees', 'OwnerId'],
  Contact: ['FirstName', 'LastName', 'Email', 'Title', 'AccountId', 'LeadSource', 'OwnerId'],
  Lead: ['FirstName', 'LastName', 'Email', 'Title', 'Company', 'Status', 'LeadSource', 'OwnerId'],
  Opportunity: ['Name', 'StageName', 'Amount', 'CloseDate', 'AccountId', 'IsClosed', 'IsWon', 'OwnerId'],
  OpportunityContactRole: ['OpportunityId', 'ContactId', 'Role', 'IsPrimary'],
  EmailMessage: [
    'Subject',
    'FromAddress',
    'ToAddress',
    'MessageDate',
    'Incoming',
    'Status',
    'RelatedToId',
    'ActivityId',
  ],
  Task: ['Subject', 'WhoId', 'WhatId', 'ActivityDate', 'Status', 'TaskSubtype', 'OwnerId'],
};

/** Only email activity is pulled from Tasks. */
const EXTRA_WHERE: Partial<Record<SfType, string>> = { Task: `TaskSubtype = 'Email'` };

const ROLE: Record<SfType, RecordRole> = {
  Account: 'company',
  Contact: 'person',
  Lead: 'person',
  Opportunity: 'deal',
  OpportunityContactRole: 'link',
  EmailMessage: 'email',
  Task: 'email',
};

/** Salesforce id key prefixes of the objects Cairn reads (for polymorphic WhoId/WhatId). */
const PREFIX: Record<string, SfType> = {
  '001': 'Account',
  '003': 'Contact',
  '00Q': 'Lead',
  '006': 'Opportunity',
};

/** SOQL wants `Z` or `±hh:mm`; Salesforce itself returns `+0000`, which SOQL refuses. */
export function soqlDateTime(d: Date): string {
  return new Date(Math.floor(d.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

type SfRow = Record<string, unknown> & { Id: string; SystemModstamp: string };

/**
 * One page of one Salesforce stream through the real `jsforce`: SOQL on `SystemModstamp` after the cursor less a
 * look-back, paged with `queryMore` (the locator is the stream's `after`); `<type>:deleted` reads the replication
 * API's deleted records for whole minutes within its 30-day horizon.
 */
export class SalesforcePuller {
  private readonly conn: Connection;

  constructor(instanceUrl: string, accessToken: string) {
    this.conn = new Connection({ instanceUrl, accessToken, version: '60.0' });
  }

  /** The org's API allowance use as Salesforce last reported it (`Sforce-Limit-Info`), if it did. */
  apiUsage(): { used: number; limit: number } | null {
    const usage = (this.conn.limitInfo as { apiUsage?: { used: number; limit: number } }).apiUsage;
    return usage ? { used: usage.used, limit: usage.limit } : null;
  }

  async estimate(stream: string, state: StreamState): Promise<number> {
    const [type, phase] = stream.split(':') as [SfType, string | undefined];
    if (phase) return 0;
    const res = await call(() => this.conn.query(`SELECT COUNT() FROM ${type}${where(type, state)}`));
    return res.totalSize;
  }

  async page(stream: string, state: StreamState): Promise<PulledPage> {
    const [type, phase] = stream.split(':') as [SfType, string | undefined];
    if (phase === 'deleted') return this.deletedPage(type, state);
    const headers = { 'Sforce-Query-Options': `batchSize=${SALESFORCE_BATCH}` };
    const soql = `SELECT Id, CreatedDate, LastModifiedDate, SystemModstamp, ${FIELDS[type].join(', ')} FROM ${type}${where(type, state)} ORDER BY SystemModstamp ASC`;
    let res;
    try {
      res = await call(() =>
        state.after
          ? this.conn.queryMore<SfRow>(state.after, { headers } as never)
          : this.conn.query<SfRow>(soql, { headers }),
      );
    } catch (e) {
      // Query locators expire (15 minutes idle): start the pass again from its window; upserts are idempotent.
      if (state.after && /INVALID_QUERY_LOCATOR/.test((e as Error).message)) {
        return { ...emptyPage(type), next: { ...state, after: null }, finished: false };
      }
      throw e;
    }
    const rows = res.records as SfRow[];
    const maxSeen = rows.reduce((m, r) => later(m, parseCrmDate(r.SystemModstamp)), state.maxSeen);
    const finished = res.done || !res.nextRecordsUrl;
    return {
      records: rows.map((r) => toRecord(type, r)),
      associations: rows.flatMap((r) => associationsOf(type, r)),
      deletions: { objectType: type, externalIds: [] },
      next: finished
        ? { cursor: later(maxSeen, state.cursor), after: null, windowFrom: null, maxSeen: null }
        : { ...state, after: res.nextRecordsUrl!, maxSeen },
      finished,
    };
  }

  private async deletedPage(type: SfType, state: StreamState): Promise<PulledPage> {
    const now = Date.now();
    // The first pass only sets the mark: the full load did not read deleted records.
    if (!state.cursor) {
      return { ...emptyPage(type), next: { ...state, cursor: new Date(now - LOOK_BACK_MS) }, finished: true };
    }
    const start = Math.max(state.cursor.getTime() - LOOK_BACK_MS, now - DELETED_HORIZON_MS);
    const startMinute = Math.floor(start / MINUTE) * MINUTE;
    if (now - startMinute < 2 * MINUTE) return { ...emptyPage(type), next: state, finished: true };
    const res = await call(() => this.conn.sobject(type).deleted(new Date(startMinute), new Date(now)));
    const covered = parseCrmDate(res.latestDateCovered) ?? state.cursor;
    return {
      ...emptyPage(type),
      deletions: { objectType: type, externalIds: (res.deletedRecords ?? []).map((d) => d.id) },
      next: { cursor: later(covered, state.cursor), after: null, windowFrom: null, maxSeen: null },
      finished: true,
    };
  }
}

function where(type: SfType, state: StreamState): string {
  const parts: string[] = [];
  if (state.cursor)
    parts.push(`SystemModstamp > ${soqlDateTime(new Date(state.cursor.getTime() - LOOK_BACK_MS))}`);
  if (EXTRA_WHERE[type]) parts.push(EXTRA_WHERE[type]);
  return parts.length ? ` WHERE ${parts.join(' AND ')}` : '';
}

function emptyPage(type: SfType): Omit<PulledPage, 'next' | 'finished'> {
  return { records: [], associations: [], deletions: { objectType: type, externalIds: [] } };
}

function str(v: unknown): string | null {
  return v === null || v === undefined || v === '' ? null : String(v);
}

function toRecord(type: SfType, r: SfRow): CrmRecord {
  const { attributes: _attributes, ...properties } = r as SfRow & { attributes?: unknown };
  const rec: CrmRecord = {
    objectType: type,
    externalId: r.Id,
    role: ROLE[type],
    properties,
    remoteUpdatedAt: parseCrmDate(r.SystemModstamp),
    archived: false,
    createdAt: parseCrmDate(r['CreatedDate']),
  };
  if (type === 'Contact' || type === 'Lead') {
    rec.email = normaliseEmail(r['Email']);
    rec.name = [r['FirstName'], r['LastName']].filter(Boolean).join(' ') || null;
  }
  if (type === 'Account') {
    rec.domain = domainOf(r['Website']);
    rec.name = str(r['Name']);
  }
  if (type === 'Opportunity') {
    rec.deal = {
      stage: str(r['StageName']),
      amount: numberOrNull(r['Amount']),
      ownerId: str(r['OwnerId']),
      closeDate: str(r['CloseDate']),
      // No LastStageChangeDate in this org's API: the change time Cairn first saw the stage at.
      stageEnteredAt: parseCrmDate(r['LastModifiedDate']) ?? parseCrmDate(r.SystemModstamp),
      exact: false,
    };
  }
  return rec;
}

function associationsOf(type: SfType, r: SfRow): CrmAssociation[] {
  const link = (toId: unknown, label: string | null, toType?: SfType): CrmAssociation[] => {
    const id = str(toId);
    const t = toType ?? (id ? PREFIX[id.slice(0, 3)] : undefined);
    return id && t ? [{ fromType: type, fromId: r.Id, toType: t, toId: id, label }] : [];
  };
  switch (type) {
    case 'Contact':
      return link(r['AccountId'], null, 'Account');
    case 'Opportunity':
      return link(r['AccountId'], null, 'Account');
    case 'OpportunityContactRole': {
      // Stored as opportunity → contact, the way HubSpot's deal → contact reads.
      const opp = str(r['OpportunityId']);
      const contact = str(r['ContactId']);
      return opp && contact
        ? [{ fromType: 'Opportunity', fromId: opp, toType: 'Contact', toId: contact, label: str(r['Role']) }]
        : [];
    }
    case 'Task':
      return [...link(r['WhoId'], null), ...link(r['WhatId'], null)];
    case 'EmailMessage':
      return [...link(r['RelatedToId'], null)];
    default:
      return [];
  }
}

/** Maps jsforce's errors: 401 → refresh once; REQUEST_LIMIT_EXCEEDED → wait. */
async function call<T>(work: () => PromiseLike<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    const err = e as { errorCode?: string; name?: string; message?: string };
    const code = err.errorCode ?? err.name ?? '';
    const message = `Salesforce: ${err.message ?? code}`;
    if (/INVALID_SESSION_ID/.test(`${code} ${err.message}`)) throw new SessionExpiredError(message);
    if (/REQUEST_LIMIT_EXCEEDED/.test(`${code} ${err.message}`)) {
      throw new RateLimitedError(message, /TotalRequests/.test(message) ? 3_600_000 : 5_000);
    }
    throw new Error(message);
  }
}
