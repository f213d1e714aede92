import { Client } from '@hubspot/api-client';
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
  type StreamState,
} from './crm-records';

/** Object types in the order they are pulled: companies first, so people can be linked to their accounts. */
export const HUBSPOT_TYPES = ['companies', 'contacts', 'deals', 'emails'] as const;
type HsType = (typeof HUBSPOT_TYPES)[number];

/** Upserts per type, then one archived-records pass per type. */
export const HUBSPOT_STREAMS: string[] = [...HUBSPOT_TYPES, ...HUBSPOT_TYPES.map((t) => `${t}:archived`)];

export const HUBSPOT_LIST_PAGE = 100;
export const HUBSPOT_SEARCH_PAGE = 200;
/** HubSpot's search returns at most this many results per query; beyond it, the window is narrowed. */
export const HUBSPOT_SEARCH_CAP = 10_000;

const MODIFIED: Record<HsType, string> = {
  companies: 'hs_lastmodifieddate',
  contacts: 'lastmodifieddate',
  deals: 'hs_lastmodifieddate',
  emails: 'hs_lastmodifieddate',
};

const PROPERTIES: Record<HsType, string[]> = {
  companies: ['name', 'domain', 'website', 'industry', 'numberofemployees', 'hubspot_owner_id', 'createdate'],
  contacts: [
    'email',
    'firstname',
    'lastname',
    'jobtitle',
    'company',
    'lifecyclestage',
    'hubspot_owner_id',
    'createdate',
  ],
  deals: ['dealname', 'amount', 'dealstage', 'pipeline', 'closedate', 'hubspot_owner_id', 'createdate'],
  emails: [
    'hs_timestamp',
    'hs_email_subject',
    'hs_email_direction',
    'hs_email_status',
    'hs_email_from_email',
    'hs_email_to_email',
    'hubspot_owner_id',
    'hs_createdate',
  ],
};

/** Associations read (v4) for each page: from the page's type to these. */
const ASSOCIATED: Record<HsType, HsType[]> = {
  companies: [],
  contacts: ['companies'],
  deals: ['contacts', 'companies'],
  emails: ['contacts', 'deals'],
};

/** Requests one page of a stream makes: the page, its association reads, the deal pipelines. */
export function hubspotCallsPerPage(stream: string): number {
  const [type, phase] = stream.split(':') as [HsType, string | undefined];
  if (phase) return 1;
  return 1 + ASSOCIATED[type].length + (type === 'deals' ? 1 : 0);
}

interface HsObject {
  id: string;
  properties: Record<string, string | null>;
  createdAt?: Date;
  updatedAt?: Date;
  archived?: boolean;
  archivedAt?: Date;
}

/**
 * One page of one HubSpot stream through the real `@hubspot/api-client`: a full load lists with `after` paging
 * (100 a page); later passes search on the last-modified date (200 a page) from the cursor less a look-back,
 * narrowing the window when the 10,000-result cap comes near; `<type>:archived` lists archived records.
 */
export class HubSpotPuller {
  private readonly client: Client;
  private dealStages: string[] | null = null;

  constructor(apiUrl: string, accessToken: string) {
    // No retries inside the client: a 429 goes back to the caller (the activity's retry policy waits).
    this.client = new Client({ basePath: apiUrl, accessToken, numberOfApiCallRetries: 0 });
  }

  async estimate(stream: string, state: StreamState): Promise<number> {
    const [type, phase] = stream.split(':') as [HsType, string | undefined];
    if (phase) return 0;
    const from = state.cursor ? new Date(state.cursor.getTime() - LOOK_BACK_MS) : null;
    const res = await call(() =>
      this.client.crm.objects.searchApi.doSearch(type, {
        limit: 1,
        filterGroups: from
          ? [
              {
                filters: [
                  { propertyName: MODIFIED[type], operator: 'GTE' as never, value: from.toISOString() },
                ],
              },
            ]
          : [],
        properties: ['hs_object_id'],
      } as never),
    );
    return res.total;
  }

  async page(stream: string, state: StreamState): Promise<PulledPage> {
    const [type, phase] = stream.split(':') as [HsType, string | undefined];
    if (phase === 'archived') return this.archivedPage(type, state);
    return state.cursor ? this.searchPage(type, state) : this.listPage(type, state);
  }

  private async listPage(type: HsType, state: StreamState): Promise<PulledPage> {
    const props = await this.properties(type);
    const res = await call(() =>
      this.client.crm.objects.basicApi.getPage(
        type,
        HUBSPOT_LIST_PAGE,
        state.after ?? undefined,
        props,
        undefined,
        undefined,
        false,
      ),
    );
    const objects = res.results as HsObject[];
    const maxSeen = objects.reduce((m, o) => later(m, modifiedOf(type, o)), state.maxSeen);
    const next = res.paging?.next?.after;
    return {
      records: objects.map((o) => this.toRecord(type, o)),
      associations: await this.associationsOf(
        type,
        objects.map((o) => o.id),
      ),
      deletions: { objectType: type, externalIds: [] },
      next: next
        ? { ...state, after: next, maxSeen }
        : { cursor: maxSeen ?? state.cursor, after: null, windowFrom: null, maxSeen: null },
      finished: !next,
    };
  }

  private async searchPage(type: HsType, state: StreamState): Promise<PulledPage> {
    const props = await this.properties(type);
    const from = state.windowFrom ?? new Date(state.cursor!.getTime() - LOOK_BACK_MS);
    const offset = Number(state.after ?? 0);
    const res = await call(() =>
      this.client.crm.objects.searchApi.doSearch(type, {
        limit: HUBSPOT_SEARCH_PAGE,
        after: offset ? String(offset) : undefined,
        filterGroups: [
          {
            filters: [{ propertyName: MODIFIED[type], operator: 'GTE' as never, value: from.toISOString() }],
          },
        ],
        sorts: [{ propertyName: MODIFIED[type], direction: 'ASCENDING' }] as never,
        properties: props,
      }),
    );
    const objects = res.results as HsObject[];
    const maxSeen = objects.reduce((m, o) => later(m, modifiedOf(type, o)), state.maxSeen);
    const nextOffset = res.paging?.next?.after ? Number(res.paging.next.after) : null;
    let next: StreamState;
    if (nextOffset === null) {
      next = { cursor: later(maxSeen, state.cursor), after: null, windowFrom: null, maxSeen: null };
    } else if (nextOffset + HUBSPOT_SEARCH_PAGE > HUBSPOT_SEARCH_CAP) {
      // The next page would pass the search cap: start a new query from the last modification seen.
      // (Records sharing that exact timestamp are read again; upserts make that harmless.)
      const last = modifiedOf(type, objects[objects.length - 1]!) ?? from;
      next = { ...state, after: null, windowFrom: last.getTime() > from.getTime() ? last : from, maxSeen };
      if (last.getTime() <= from.getTime()) next.after = String(nextOffset); // cannot narrow; the cap will say so
    } else {
      next = { ...state, after: String(nextOffset), windowFrom: state.windowFrom ?? from, maxSeen };
    }
    return {
      records: objects.map((o) => this.toRecord(type, o)),
      associations: await this.associationsOf(
        type,
        objects.map((o) => o.id),
      ),
      deletions: { objectType: type, externalIds: [] },
      next,
      finished: nextOffset === null,
    };
  }

  /** Archived records since the last pass (all of them the first time); applied as archived in Cairn. */
  private async archivedPage(type: HsType, state: StreamState): Promise<PulledPage> {
    const res = await call(() =>
      this.client.crm.objects.basicApi.getPage(
        type,
        HUBSPOT_LIST_PAGE,
        state.after ?? undefined,
        ['hs_object_id'],
        undefined,
        undefined,
        true,
      ),
    );
    const objects = res.results as HsObject[];
    const since = state.cursor ? state.cursor.getTime() - LOOK_BACK_MS : -Infinity;
    const fresh = objects.filter((o) => (parseCrmDate(o.archivedAt)?.getTime() ?? Infinity) >= since);
    const maxSeen = objects.reduce((m, o) => later(m, parseCrmDate(o.archivedAt)), state.maxSeen);
    const next = res.paging?.next?.after;
    return {
      records: [],
      associations: [],
      deletions: { objectType: type, externalIds: fresh.map((o) => o.id) },
      next: next
        ? { ...state, after: next, maxSeen }
        : { cursor: later(maxSeen, state.cursor), after: null, windowFrom: null, maxSeen: null },
      finished: !next,
    };
  }

  private async properties(type: HsType): Promise<string[]> {
    const base = [...PROPERTIES[type], MODIFIED[type]];
    if (type !== 'deals') return base;
    if (!this.dealStages) {
      const pipelines = await call(() => this.client.crm.pipelines.pipelinesApi.getAll('deals'));
      this.dealStages = pipelines.results.flatMap((p) => p.stages.map((s) => s.id));
    }
    return [...base, ...this.dealStages.map((s) => `hs_date_entered_${s}`)];
  }

  private async associationsOf(type: HsType, ids: string[]): Promise<CrmAssociation[]> {
    if (!ids.length) return [];
    const out: CrmAssociation[] = [];
    for (const to of ASSOCIATED[type]) {
      const res = await call(() =>
        this.client.crm.associations.v4.batchApi.getPage(type, to, { inputs: ids.map((id) => ({ id })) }),
      );
      for (const r of res.results) {
        for (const t of r.to) {
          out.push({
            fromType: type,
            fromId: String(r._from.id),
            toType: to,
            toId: String(t.toObjectId),
            label: t.associationTypes?.[0]?.label ?? null,
          });
        }
      }
    }
    return out;
  }

  private toRecord(type: HsType, o: HsObject): CrmRecord {
    const p = o.properties;
    const base: CrmRecord = {
      objectType: type,
      externalId: o.id,
      role:
        type === 'contacts'
          ? 'person'
          : type === 'companies'
            ? 'company'
            : type === 'deals'
              ? 'deal'
              : 'email',
      properties: p,
      remoteUpdatedAt: modifiedOf(type, o),
      archived: false,
      createdAt: parseCrmDate(o.createdAt ?? p['createdate'] ?? p['hs_createdate']),
    };
    if (type === 'contacts') {
      base.email = normaliseEmail(p['email']);
      base.name = [p['firstname'], p['lastname']].filter(Boolean).join(' ') || null;
    }
    if (type === 'companies') {
      base.domain = domainOf(p['domain'] ?? p['website']);
      base.name = p['name'] ?? null;
    }
    if (type === 'deals') {
      const stage = p['dealstage'] ?? null;
      base.deal = {
        stage,
        amount: numberOrNull(p['amount']),
        ownerId: p['hubspot_owner_id'] ?? null,
        closeDate: parseCrmDate(p['closedate'])?.toISOString().slice(0, 10) ?? null,
        stageEnteredAt: stage ? parseCrmDate(p[`hs_date_entered_${stage}`]) : null,
        exact: true,
      };
    }
    return base;
  }
}

function modifiedOf(type: HsType, o: HsObject): Date | null {
  return parseCrmDate(o.properties[MODIFIED[type]]) ?? parseCrmDate(o.updatedAt);
}

/** Maps the client's errors: 429 → wait and retry the page; 401 → refresh the token once. */
async function call<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    const err = e as { code?: number; body?: { message?: string; policyName?: string; category?: string } };
    const body = err.body ?? {};
    const message = `HubSpot: ${body.message ?? (e as Error).message}`;
    if (err.code === 429) {
      const wait =
        body.policyName === 'DAILY' ? 3_600_000 : body.policyName === 'TEN_SECONDLY_ROLLING' ? 10_000 : 1_000;
      throw new RateLimitedError(message, wait);
    }
    if (err.code === 401) throw new SessionExpiredError(message);
    throw new Error(message);
  }
}
