/**
 * Salesforce REST API (`/services/data/vXX.X`): versions and resources, limits, describe, query /
 * queryAll / queryMore with 2,000-record batches and `nextRecordsUrl`, replication (`updated`,
 * `deleted`), single-record CRUD and sObject Collections (200 records per call, allOrNone).
 */
import { type Express, type Request } from 'express';
import { header } from '../core/server';
import { isValidId } from './ids';
import {
  type SfContext,
  NOT_FOUND,
  SfHttpError,
  apiVersion,
  sfError,
  sfRoute,
  MAX_API_VERSION,
  MIN_API_VERSION,
} from './http';
import { type SfObjectDef, describeField } from './schema';
import { SoqlError, type SoqlSource, compileSoql, executeSoql, parseSoql, sfDateTime } from './soql';
import { type SalesforceStore, type SfCursor, type SfRecord } from './store';
import {
  type RecordError,
  RecordWriteError,
  prepareWrite,
  recordForId,
  recordError,
  serialiseRecord,
} from './values';

export const COLLECTION_LIMIT = 200;
export const RETRIEVE_LIMIT = 2000;
export const DEFAULT_BATCH_SIZE = 2000;
export const MAX_CURSORS_PER_USER = 10;
export const CURSOR_IDLE_MS = 15 * 60 * 1000;
const MINUTE = 60_000;
const DAY = 86_400_000;

export function sobjectOf(ctx: SfContext, req: Request, param = 'sobject'): SfObjectDef {
  const name = String(req.params[param] ?? '');
  const def = ctx.store.object(name);
  if (!def) throw sfError(404, 'NOT_FOUND', `The requested resource does not exist`);
  return def;
}

function describe(def: SfObjectDef, version: string): Record<string, unknown> {
  const base = `/services/data/v${version}/sobjects/${def.name}`;
  return {
    activateable: false,
    createable: def.createable,
    custom: false,
    customSetting: false,
    deletable: def.deletable,
    deprecatedAndHidden: false,
    feedEnabled: false,
    keyPrefix: def.keyPrefix,
    label: def.label,
    labelPlural: def.labelPlural,
    layoutable: true,
    mergeable: false,
    mruEnabled: true,
    name: def.name,
    queryable: true,
    replicateable: def.replicateable,
    retrieveable: true,
    searchable: true,
    triggerable: true,
    undeletable: def.deletable,
    updateable: def.updateable,
    urls: {
      rowTemplate: `${base}/{ID}`,
      defaultValues: `${base}/defaultValues?recordTypeId&fields`,
      describe: `${base}/describe`,
      sobject: base,
    },
  };
}

/** Parses a replication bound (`2024-01-31T10:00:00+00:00`), rounded down to the minute. */
function replicationDate(raw: unknown, name: string): number {
  const ms = Date.parse(String(raw ?? '').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (raw === undefined || Number.isNaN(ms)) {
    throw sfError(400, 'INVALID_REPLICATION_DATE', `${name} is required and must be a valid dateTime`);
  }
  return Math.floor(ms / MINUTE) * MINUTE;
}

export interface QueryRunner {
  source: SoqlSource;
  /** Extra checks after execution (Tooling's FullName/Metadata single-row rule). */
  afterExecute?: (q: ReturnType<typeof compileSoql>, count: number) => void;
}

/** Runs a query request and answers with the first batch, opening a cursor when more remain. */
export function runQuery(
  ctx: SfContext,
  req: Request,
  version: string,
  includeDeleted: boolean,
  userId: string,
  runner: QueryRunner,
  cursorPath: string,
): Record<string, unknown> {
  const q = req.query.q;
  if (typeof q !== 'string' || !q.trim())
    throw sfError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
  const urlPrefix = `/services/data/v${version}`;
  let output;
  try {
    const compiled = compileSoql(parseSoql(q), runner.source);
    output = executeSoql(compiled, runner.source, {
      includeDeleted,
      urlPrefix: urlPrefix + (cursorPath.includes('tooling') ? '/tooling' : ''),
    });
    runner.afterExecute?.(compiled, output.records.length);
    if (compiled.count) return { totalSize: output.totalSize, done: true, records: [] };
  } catch (err) {
    if (err instanceof SoqlError) throw sfError(400, err.errorCode, err.message);
    throw err;
  }
  const batchSize = batchSizeOf(req);
  const first = output.records.slice(0, batchSize);
  const body: Record<string, unknown> = {
    totalSize: output.totalSize,
    done: first.length === output.records.length,
  };
  if (first.length < output.records.length) {
    const cursor = openCursor(ctx.store, userId, output.records, batchSize);
    body.nextRecordsUrl = `${urlPrefix}${cursorPath}/${cursor.id}-${first.length}`;
  }
  body.records = first;
  return body;
}

function batchSizeOf(req: Request): number {
  const opts = header(req, 'sforce-query-options') ?? '';
  const m = /batchSize\s*=\s*(\d+)/i.exec(opts);
  if (!m) return DEFAULT_BATCH_SIZE;
  return Math.min(DEFAULT_BATCH_SIZE, Math.max(200, Number(m[1])));
}

function openCursor(
  store: SalesforceStore,
  userId: string,
  records: Array<Record<string, unknown>>,
  batchSize: number,
): SfCursor {
  const mine = [...store.cursors.values()]
    .filter((c) => c.userId === userId)
    .sort((a, b) => a.lastUsed - b.lastUsed);
  while (mine.length >= MAX_CURSORS_PER_USER) {
    const oldest = mine.shift();
    if (oldest) store.cursors.delete(oldest.id);
  }
  const cursor: SfCursor = {
    id: store.nextId('01g'),
    userId,
    records,
    totalSize: records.length,
    batchSize,
    lastUsed: store.now(),
  };
  store.cursors.set(cursor.id, cursor);
  return cursor;
}

/** `GET …/query/{locator}`: the next batch of an open cursor. */
export function queryMore(
  ctx: SfContext,
  req: Request,
  version: string,
  cursorPath: string,
): Record<string, unknown> {
  const locator = String(req.params.locator ?? '');
  const m = /^([a-zA-Z0-9]{15,18})-(\d+)$/.exec(locator);
  const cursor = m ? ctx.store.cursors.get(m[1] as string) : undefined;
  if (!m || !cursor || ctx.store.now() - cursor.lastUsed > CURSOR_IDLE_MS) {
    if (cursor) ctx.store.cursors.delete(cursor.id);
    throw sfError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
  }
  const offset = Number(m[2]);
  const page = cursor.records.slice(offset, offset + cursor.batchSize);
  const next = offset + page.length;
  cursor.lastUsed = ctx.store.now();
  const body: Record<string, unknown> = { totalSize: cursor.totalSize, done: next >= cursor.totalSize };
  if (next < cursor.totalSize)
    body.nextRecordsUrl = `/services/data/v${version}${cursorPath}/${cursor.id}-${next}`;
  else ctx.store.cursors.delete(cursor.id);
  body.records = page;
  return body;
}

interface SaveResult {
  id?: string;
  success: boolean;
  errors: RecordError[];
  created?: boolean;
}

function failure(err: unknown): SaveResult {
  if (err instanceof RecordWriteError) return { success: false, errors: err.errors };
  throw err;
}

const ROLLED_BACK: RecordError = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

export function registerRest(app: Express, ctx: SfContext): void {
  const { store } = ctx;
  const source: SoqlSource = store;

  app.get('/services/data', (_req, res) => {
    const versions = [];
    for (let v = MIN_API_VERSION; v <= MAX_API_VERSION; v++) {
      versions.push({ label: `API ${v}.0`, url: `/services/data/v${v}.0`, version: `${v}.0` });
    }
    res.json(versions);
  });

  sfRoute(app, ctx, 'get', '/services/data/:version', (req, res) => {
    const v = `/services/data/v${apiVersion(req)}`;
    res.json({
      tooling: `${v}/tooling`,
      query: `${v}/query`,
      queryAll: `${v}/queryAll`,
      sobjects: `${v}/sobjects`,
      limits: `${v}/limits`,
      composite: `${v}/composite`,
      jobs: `${v}/jobs`,
      identity: store.identityUrl(ctx.baseUrl()),
    });
  });

  sfRoute(app, ctx, 'get', '/services/data/:version/limits', (req, res) => {
    apiVersion(req);
    const { used, limit } = store.apiUsage;
    res.json({
      DailyApiRequests: { Max: limit, Remaining: Math.max(0, limit - used) },
      DailyBulkV2QueryJobs: { Max: 10000, Remaining: 10000 },
      DailyBulkV2QueryFileStorageMB: { Max: 976562, Remaining: 976562 },
    });
  });

  // ------------------------------------------------------------------ query
  const queryPaths: Array<[string, boolean]> = [
    ['query', false],
    ['queryAll', true],
  ];
  for (const [name, includeDeleted] of queryPaths) {
    sfRoute(app, ctx, 'get', `/services/data/:version/${name}`, (req, res, session) => {
      const version = apiVersion(req);
      res.json(runQuery(ctx, req, version, includeDeleted, session.userId, { source }, `/${name}`));
    });
    sfRoute(app, ctx, 'get', `/services/data/:version/${name}/:locator`, (req, res) => {
      const version = apiVersion(req);
      res.json(queryMore(ctx, req, version, `/${name}`));
    });
  }

  // ------------------------------------------------------------------ sObjects
  sfRoute(app, ctx, 'get', '/services/data/:version/sobjects', (req, res) => {
    const version = apiVersion(req);
    res.json({
      encoding: 'UTF-8',
      maxBatchSize: COLLECTION_LIMIT,
      sobjects: [...store.objects.values()].map((d) => describe(d, version)),
    });
  });

  sfRoute(app, ctx, 'get', '/services/data/:version/sobjects/:sobject/describe', (req, res) => {
    const version = apiVersion(req);
    const def = sobjectOf(ctx, req);
    res.json({
      ...describe(def, version),
      childRelationships: [],
      fields: [...def.fields.values()].map(describeField),
      recordTypeInfos: [],
      supportedScopes: [{ label: 'All', name: 'everything' }],
    });
  });

  sfRoute(app, ctx, 'get', '/services/data/:version/sobjects/:sobject/updated', (req, res) => {
    apiVersion(req);
    const def = sobjectOf(ctx, req);
    const { start, end } = replicationWindow(store, req);
    const latest = Math.min(end, Math.floor(store.now() / MINUTE) * MINUTE);
    const ids = store.updatedBetween(def.name, start, latest);
    if (ids.length > 600_000)
      throw sfError(400, 'EXCEEDED_ID_LIMIT', 'The number of ids exceeds the 600,000 limit');
    res.json({ ids, latestDateCovered: sfDateTime(latest) });
  });

  sfRoute(app, ctx, 'get', '/services/data/:version/sobjects/:sobject/deleted', (req, res) => {
    apiVersion(req);
    const def = sobjectOf(ctx, req);
    const { start, end } = replicationWindow(store, req);
    const latest = Math.min(end, Math.floor(store.now() / MINUTE) * MINUTE);
    const deleted = store.deletedBetween(def.name, start, latest);
    const earliest = Math.floor((store.now() - 15 * DAY) / MINUTE) * MINUTE;
    res.json({
      deletedRecords: deleted.map((d) => ({ id: d.id, deletedDate: sfDateTime(d.deletedDate) })),
      earliestDateAvailable: sfDateTime(earliest),
      latestDateCovered: sfDateTime(latest),
    });
  });

  sfRoute(app, ctx, 'get', '/services/data/:version/sobjects/:sobject', (req, res) => {
    const version = apiVersion(req);
    const def = sobjectOf(ctx, req);
    res.json({ objectDescribe: describe(def, version), recentItems: [] });
  });

  sfRoute(app, ctx, 'post', '/services/data/:version/sobjects/:sobject', (req, res, session) => {
    apiVersion(req);
    const def = sobjectOf(ctx, req);
    if (!def.createable)
      throw sfError(400, 'INVALID_TYPE', `sObject type '${def.name}' is not supported for create.`);
    try {
      const values = prepareWrite(store, def, bodyObject(req.body), { mode: 'create' });
      const record = store.insert(def.name, values, { userId: session.userId });
      res.status(201).json({ id: record.id, success: true, errors: [] });
    } catch (err) {
      throw asHttp(err);
    }
  });

  sfRoute(app, ctx, 'get', '/services/data/:version/sobjects/:sobject/:id', (req, res) => {
    const version = apiVersion(req);
    const def = sobjectOf(ctx, req);
    const record = single(store, def, String(req.params.id));
    const fields =
      typeof req.query.fields === 'string' ? req.query.fields.split(',').map((s) => s.trim()) : undefined;
    if (fields) {
      const unknown = fields.find((f) => !store.field(def, f));
      if (unknown)
        throw sfError(400, 'INVALID_FIELD', `No such column '${unknown}' on sobject of type ${def.name}`);
    }
    res.json(serialiseRecord(record, def, `/services/data/v${version}`, fields));
  });

  sfRoute(app, ctx, 'patch', '/services/data/:version/sobjects/:sobject/:id', (req, res, session) => {
    apiVersion(req);
    const def = sobjectOf(ctx, req);
    const record = single(store, def, String(req.params.id));
    try {
      const values = prepareWrite(store, def, bodyObject(req.body), { mode: 'update' });
      store.update(def.name, record.id, values, { userId: session.userId });
      ctx.counters?.recordWrite(def.name, record.id);
    } catch (err) {
      throw asHttp(err);
    }
    res.status(204).end();
  });

  sfRoute(app, ctx, 'delete', '/services/data/:version/sobjects/:sobject/:id', (req, res) => {
    apiVersion(req);
    const def = sobjectOf(ctx, req);
    const record = single(store, def, String(req.params.id));
    store.delete(def.name, record.id);
    res.status(204).end();
  });

  // ------------------------------------------------------------------ sObject Collections
  const collectionRecords = (body: unknown): Array<Record<string, unknown>> => {
    const b = bodyObject(body);
    if (!Array.isArray(b.records)) throw sfError(400, 'INVALID_FIELD', "Required field 'records' is missing");
    if (b.records.length > COLLECTION_LIMIT) {
      throw sfError(
        400,
        'EXCEEDED_ID_LIMIT',
        `record limit reached. cannot submit more than ${COLLECTION_LIMIT} records into this call`,
      );
    }
    return b.records.map((r) => bodyObject(r));
  };
  const typeOfRecord = (r: Record<string, unknown>): SfObjectDef => {
    const t = (r.attributes as { type?: unknown } | undefined)?.type;
    const def = typeof t === 'string' ? store.object(t) : undefined;
    if (!def) {
      throw sfError(
        400,
        'INVALID_TYPE',
        typeof t === 'string' ? `sObject type '${t}' is not supported.` : 'Each record needs attributes.type',
      );
    }
    return def;
  };
  /** Validates every record, then applies them unless allOrNone and something failed. */
  const collection = (
    records: Array<Record<string, unknown>>,
    allOrNone: boolean,
    plan: (r: Record<string, unknown>, index: number) => () => SaveResult,
  ): SaveResult[] => {
    const planned: Array<(() => SaveResult) | SaveResult> = records.map((r, i) => {
      try {
        return plan(r, i);
      } catch (err) {
        return failure(err);
      }
    });
    const anyFailed = planned.some((p) => typeof p !== 'function');
    if (allOrNone && anyFailed) {
      return planned.map((p) => (typeof p === 'function' ? { success: false, errors: [ROLLED_BACK] } : p));
    }
    return planned.map((p) => (typeof p === 'function' ? p() : p));
  };

  sfRoute(app, ctx, 'post', '/services/data/:version/composite/sobjects', (req, res, session) => {
    apiVersion(req);
    const records = collectionRecords(req.body);
    const allOrNone = bodyObject(req.body).allOrNone === true;
    const results = collection(records, allOrNone, (r) => {
      const def = typeOfRecord(r);
      const values = prepareWrite(store, def, r, { mode: 'create' });
      return () => ({
        id: store.insert(def.name, values, { userId: session.userId }).id,
        success: true,
        errors: [],
      });
    });
    res.json(results);
  });

  sfRoute(app, ctx, 'patch', '/services/data/:version/composite/sobjects', (req, res, session) => {
    apiVersion(req);
    const records = collectionRecords(req.body);
    const allOrNone = bodyObject(req.body).allOrNone === true;
    const ids = records.map((r) => String(r.id ?? r.Id ?? ''));
    const results = collection(records, allOrNone, (r, i) => {
      const def = typeOfRecord(r);
      const id = ids[i] as string;
      if (id && ids.indexOf(id) !== i) throw recordError('DUPLICATE_VALUE', `Duplicate id in list: ${id}`);
      const record = recordForId(store, r.id ?? r.Id, def.name);
      const values = prepareWrite(store, def, r, { mode: 'update' });
      return () => {
        store.update(def.name, record.id, values, { userId: session.userId });
        ctx.counters?.recordWrite(def.name, record.id);
        return { id: record.id, success: true, errors: [] };
      };
    });
    res.json(results);
  });

  sfRoute(app, ctx, 'delete', '/services/data/:version/composite/sobjects', (req, res) => {
    apiVersion(req);
    const ids = String(req.query.ids ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (!ids.length) throw sfError(400, 'MISSING_ARGUMENT', 'ids parameter is required');
    if (ids.length > COLLECTION_LIMIT) {
      throw sfError(
        400,
        'EXCEEDED_ID_LIMIT',
        `record limit reached. cannot submit more than ${COLLECTION_LIMIT} records into this call`,
      );
    }
    const allOrNone = String(req.query.allOrNone ?? '').toLowerCase() === 'true';
    const results = collection(
      ids.map((id) => ({ id })),
      allOrNone,
      (r) => {
        const record = recordForId(store, r.id);
        return () => {
          store.delete(record.type, record.id);
          return { id: record.id, success: true, errors: [] };
        };
      },
    ).map((r, i) => (r.success ? r : { id: ids[i], ...r }));
    res.json(results);
  });

  sfRoute(app, ctx, 'post', '/services/data/:version/composite/sobjects/:sobject', (req, res) => {
    const version = apiVersion(req);
    const def = sobjectOf(ctx, req);
    const b = bodyObject(req.body);
    const ids = Array.isArray(b.ids) ? b.ids.map(String) : [];
    const fields = Array.isArray(b.fields) ? b.fields.map(String) : [];
    if (ids.length > RETRIEVE_LIMIT) {
      throw sfError(
        400,
        'EXCEEDED_ID_LIMIT',
        `record limit reached. cannot submit more than ${RETRIEVE_LIMIT} records into this call`,
      );
    }
    const unknown = fields.find((f) => !store.field(def, f));
    if (unknown)
      throw sfError(400, 'INVALID_FIELD', `No such column '${unknown}' on sobject of type ${def.name}`);
    res.json(
      ids.map((id) => {
        const r = isValidId(id) ? store.get(def.name, id) : undefined;
        return r ? serialiseRecord(r, def, `/services/data/v${version}`, fields) : null;
      }),
    );
  });

  sfRoute(
    app,
    ctx,
    'patch',
    '/services/data/:version/composite/sobjects/:sobject/:extIdField',
    (req, res, session) => {
      apiVersion(req);
      const def = sobjectOf(ctx, req);
      const ext = store.field(def, String(req.params.extIdField));
      if (!ext || !(ext.externalId || ext.name === 'Id')) {
        throw sfError(
          400,
          'INVALID_FIELD',
          `Field ${String(req.params.extIdField)} is not an external id field on ${def.name}`,
        );
      }
      const records = collectionRecords(req.body);
      const allOrNone = bodyObject(req.body).allOrNone === true;
      const results = collection(records, allOrNone, (r) => {
        const key =
          r[ext.name] ?? Object.entries(r).find(([k]) => k.toLowerCase() === ext.name.toLowerCase())?.[1];
        if (key === undefined || key === null || key === '') {
          throw recordError('MISSING_ARGUMENT', `${ext.name} not specified`, [ext.name]);
        }
        const existing = store
          .all(def.name)
          .find((x) => String(x.fields[ext.name] ?? '').toLowerCase() === String(key).toLowerCase());
        const { [ext.name]: _omit, ...rest } = r;
        if (existing) {
          const values = prepareWrite(store, def, rest, { mode: 'update' });
          return () => {
            store.update(def.name, existing.id, values, { userId: session.userId });
            return { id: existing.id, success: true, errors: [], created: false };
          };
        }
        const values = prepareWrite(store, def, ext.name === 'Id' ? rest : r, { mode: 'create' });
        return () => ({
          id: store.insert(def.name, values, { userId: session.userId }).id,
          success: true,
          errors: [],
          created: true,
        });
      });
      res.json(results);
    },
  );
}

function replicationWindow(store: SalesforceStore, req: Request): { start: number; end: number } {
  const start = replicationDate(req.query.start, 'start');
  const end = replicationDate(req.query.end, 'end');
  if (end <= start)
    throw sfError(400, 'INVALID_REPLICATION_DATE', 'startDate must chronologically precede endDate');
  if (start < store.now() - 30 * DAY) {
    throw sfError(400, 'INVALID_REPLICATION_DATE', 'startDate cannot be more than 30 days ago');
  }
  return { start, end };
}

function bodyObject(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw sfError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

function single(store: SalesforceStore, def: SfObjectDef, id: string): SfRecord {
  if (!isValidId(id)) throw NOT_FOUND();
  const record = store.byId(id);
  if (!record || record.type !== def.name) throw NOT_FOUND();
  if (record.fields.IsDeleted === true) throw sfError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
  return record;
}

/** Turns a per-record error into the single-record REST response (400 with the same items). */
function asHttp(err: unknown): unknown {
  if (err instanceof RecordWriteError) {
    return new SfHttpError(
      400,
      err.errors.map((e) => ({ message: e.message, errorCode: e.statusCode, fields: e.fields })),
    );
  }
  return err;
}
