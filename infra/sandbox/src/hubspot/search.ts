/**
 * CRM search (`POST /crm/v3/objects/{type}/search`): request validation with HubSpot's limits
 * (200 per page, 5 filter groups, 10 filters per group, 25 filters in all, 10,000 results reachable by
 * paging) and filter evaluation for every operator.
 */
import { validation } from './errors';
import { type HsObjectType, type HsPropertyDef, QUERY_PROPERTIES } from './schema';
import { type HsRecord, type HubSpotStore } from './store';
import { parseHsDate } from './values';

export const SEARCH_LIMITS = {
  maxLimit: 200,
  maxFilterGroups: 5,
  maxFiltersPerGroup: 10,
  maxFilters: 25,
  maxResults: 10_000,
} as const;

export const OPERATORS = [
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
] as const;
type Operator = (typeof OPERATORS)[number];

interface Filter {
  propertyName: string;
  operator: Operator;
  value?: string;
  highValue?: string;
  values?: string[];
}

interface Sort {
  propertyName: string;
  direction: 'ASCENDING' | 'DESCENDING';
}

export interface SearchRequest {
  query?: string;
  filterGroups: Filter[][];
  sorts: Sort[];
  properties?: string[];
  propertiesWithHistory?: string[];
  limit: number;
  after: number;
}

function asString(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** Validates a search body; throws HubSpot's 400s. */
export function parseSearchRequest(store: HubSpotStore, type: HsObjectType, body: unknown): SearchRequest {
  const b = (body ?? {}) as Record<string, unknown>;
  const limit = b.limit === undefined ? 10 : Number(b.limit);
  if (!Number.isInteger(limit) || limit < 0) throw validation(`Invalid limit: ${String(b.limit)}`);
  if (limit > SEARCH_LIMITS.maxLimit) {
    throw validation(
      `Limit must be less than or equal to ${SEARCH_LIMITS.maxLimit}. Limit requested: ${limit}`,
    );
  }
  const afterRaw = asString(b.after);
  const after = afterRaw === undefined || afterRaw === '' ? 0 : Number(afterRaw);
  if (!Number.isInteger(after) || after < 0) throw validation(`Invalid after: ${afterRaw}`);
  if (after >= SEARCH_LIMITS.maxResults) {
    throw validation(
      `The CRM search endpoints return at most ${SEARCH_LIMITS.maxResults} results for a query; ` +
        `paging beyond that is not allowed (after=${after}). Narrow the filters instead.`,
    );
  }
  const groupsRaw = Array.isArray(b.filterGroups) ? (b.filterGroups as unknown[]) : [];
  if (groupsRaw.length > SEARCH_LIMITS.maxFilterGroups) {
    throw validation(
      `Too many filter groups: ${groupsRaw.length}. A search may have at most ${SEARCH_LIMITS.maxFilterGroups} filterGroups.`,
    );
  }
  let total = 0;
  const filterGroups: Filter[][] = groupsRaw.map((g) => {
    const filters = Array.isArray((g as { filters?: unknown })?.filters)
      ? ((g as { filters: unknown[] }).filters ?? [])
      : [];
    if (filters.length > SEARCH_LIMITS.maxFiltersPerGroup) {
      throw validation(
        `Too many filters in a filter group: ${filters.length}. Each filterGroup may have at most ${SEARCH_LIMITS.maxFiltersPerGroup} filters.`,
      );
    }
    total += filters.length;
    return filters.map((f) => parseFilter(store, type, f));
  });
  if (total > SEARCH_LIMITS.maxFilters) {
    throw validation(
      `Too many filters: ${total}. A search may have at most ${SEARCH_LIMITS.maxFilters} filters in all.`,
    );
  }
  const sorts: Sort[] = (Array.isArray(b.sorts) ? (b.sorts as unknown[]) : []).map((s) => {
    if (typeof s === 'string') {
      return s.startsWith('-')
        ? { propertyName: s.slice(1), direction: 'DESCENDING' as const }
        : { propertyName: s, direction: 'ASCENDING' as const };
    }
    const o = (s ?? {}) as { propertyName?: unknown; direction?: unknown };
    const dir = String(o.direction ?? 'ASCENDING').toUpperCase();
    if (dir !== 'ASCENDING' && dir !== 'DESCENDING') throw validation(`Invalid sort direction: ${dir}`);
    return { propertyName: String(o.propertyName ?? ''), direction: dir };
  });
  for (const s of sorts) {
    if (!store.property(type, s.propertyName))
      throw validation(`Cannot sort on non-existent property ${s.propertyName}`);
  }
  const list = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.map((x) => String(x)) : undefined);
  return {
    query: asString(b.query),
    filterGroups,
    sorts,
    properties: list(b.properties),
    propertiesWithHistory: list(b.propertiesWithHistory),
    limit,
    after,
  };
}

function parseFilter(store: HubSpotStore, type: HsObjectType, raw: unknown): Filter {
  const f = (raw ?? {}) as Record<string, unknown>;
  const propertyName = String(f.propertyName ?? '');
  const operator = String(f.operator ?? '').toUpperCase() as Operator;
  if (!OPERATORS.includes(operator)) throw validation(`Unsupported filter operator: ${String(f.operator)}`);
  if (!store.property(type, propertyName) && propertyName !== 'id') {
    throw validation(`There was a problem with the request. Property ${propertyName} does not exist.`);
  }
  const filter: Filter = { propertyName, operator };
  const value = asString(f.value);
  if (value !== undefined) filter.value = value;
  const high = asString(f.highValue);
  if (high !== undefined) filter.highValue = high;
  if (Array.isArray(f.values)) filter.values = f.values.map((v) => String(v));
  const needsValue = [
    'EQ',
    'NEQ',
    'LT',
    'LTE',
    'GT',
    'GTE',
    'BETWEEN',
    'CONTAINS_TOKEN',
    'NOT_CONTAINS_TOKEN',
  ];
  if (needsValue.includes(operator) && filter.value === undefined) {
    throw validation(`Filter on ${propertyName} with operator ${operator} requires a value.`);
  }
  if (operator === 'BETWEEN' && filter.highValue === undefined) {
    throw validation(`Filter on ${propertyName} with operator BETWEEN requires a highValue.`);
  }
  if ((operator === 'IN' || operator === 'NOT_IN') && !filter.values) {
    throw validation(`Filter on ${propertyName} with operator ${operator} requires values.`);
  }
  return filter;
}

type Comparable = number | string;

function comparable(def: HsPropertyDef | undefined, v: string): Comparable {
  if (!def) return v.toLowerCase();
  if (def.type === 'number') return Number(v);
  if (def.type === 'date' || def.type === 'datetime') return parseHsDate(v) ?? Number.NaN;
  return v.toLowerCase();
}

function cmp(a: Comparable, b: Comparable): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

function tokenMatch(value: string, pattern: string): boolean {
  const re = new RegExp(
    `^${pattern
      .toLowerCase()
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  const v = value.toLowerCase();
  return (
    re.test(v) ||
    v.split(/[^a-z0-9@.]+/).some((t) => re.test(t)) ||
    v.split(/[^a-z0-9]+/).some((t) => re.test(t))
  );
}

function matches(store: HubSpotStore, record: HsRecord, f: Filter): boolean {
  const name = f.propertyName === 'id' ? 'hs_object_id' : f.propertyName;
  const def = store.property(record.type, name);
  const raw = record.properties[name] ?? null;
  const has = raw !== null && raw !== '';
  switch (f.operator) {
    case 'HAS_PROPERTY':
      return has;
    case 'NOT_HAS_PROPERTY':
      return !has;
    case 'NEQ':
      return !has || cmp(comparable(def, raw), comparable(def, f.value as string)) !== 0;
    case 'NOT_IN':
      return !has || !(f.values ?? []).some((v) => cmp(comparable(def, raw), comparable(def, v)) === 0);
    case 'NOT_CONTAINS_TOKEN':
      return !has || !tokenMatch(raw, f.value as string);
    default:
      break;
  }
  if (!has) return false;
  const a = comparable(def, raw);
  switch (f.operator) {
    case 'EQ':
      return cmp(a, comparable(def, f.value as string)) === 0;
    case 'LT':
      return cmp(a, comparable(def, f.value as string)) < 0;
    case 'LTE':
      return cmp(a, comparable(def, f.value as string)) <= 0;
    case 'GT':
      return cmp(a, comparable(def, f.value as string)) > 0;
    case 'GTE':
      return cmp(a, comparable(def, f.value as string)) >= 0;
    case 'BETWEEN':
      return (
        cmp(a, comparable(def, f.value as string)) >= 0 && cmp(a, comparable(def, f.highValue as string)) <= 0
      );
    case 'IN':
      return (f.values ?? []).some((v) => cmp(a, comparable(def, v)) === 0);
    case 'CONTAINS_TOKEN':
      return tokenMatch(raw, f.value as string);
    default:
      return false;
  }
}

/** All live records matching the request, sorted (the caller pages). */
export function runSearch(store: HubSpotStore, type: HsObjectType, req: SearchRequest): HsRecord[] {
  let rows = store.list(type);
  if (req.filterGroups.length) {
    rows = rows.filter((r) => req.filterGroups.some((g) => g.every((f) => matches(store, r, f))));
  }
  if (req.query) {
    const q = req.query.toLowerCase();
    rows = rows.filter((r) =>
      QUERY_PROPERTIES[type].some((p) => {
        const v = (r.properties[p] ?? '').toLowerCase();
        return v.split(/[\s@.,-]+/).some((t) => t.startsWith(q)) || v.startsWith(q);
      }),
    );
  }
  if (req.sorts.length) {
    rows = [...rows].sort((x, y) => {
      for (const s of req.sorts) {
        const def = store.property(type, s.propertyName);
        const a = x.properties[s.propertyName] ?? null;
        const b = y.properties[s.propertyName] ?? null;
        let c: number;
        if (a === null && b === null) c = 0;
        else if (a === null) c = 1;
        else if (b === null) c = -1;
        else c = cmp(comparable(def, a), comparable(def, b));
        if (c !== 0) return s.direction === 'DESCENDING' ? -c : c;
      }
      return Number(x.id) - Number(y.id);
    });
  }
  return rows;
}
