/**
 * CRM v3 objects (contacts, companies, deals, emails, tasks): list with `after` paging, get, create, update,
 * archive, search and the batch endpoints (100 inputs at most), plus owners and deal pipelines.
 */
import { type Express, type Request } from 'express';
import { hsError, notFound, validation } from './errors';
import {
  type HsHandler,
  type HsContext,
  type HsRateLimiter,
  type RouteOptions,
  boolParam,
  hsRoute,
  listParam,
  stringParam,
} from './http';
import {
  type HsObjectType,
  DEFAULT_DEAL_STAGES,
  OBJECT_LABEL,
  OBJECT_TYPES,
  SCOPES,
  associationTypeIds,
  resolveObjectType,
} from './schema';
import { SEARCH_LIMITS, parseSearchRequest, runSearch } from './search';
import { type HsRecord } from './store';
import { normaliseWrite, serialiseRecord } from './values';

export const BATCH_LIMIT = 100;
/** Batch reads that ask for property history are limited to 50 inputs. */
export const BATCH_HISTORY_LIMIT = 50;
export const LIST_LIMIT = 100;

export function objectTypeOf(req: Request, param = 'objectType'): HsObjectType {
  const raw = String(req.params[param] ?? '');
  const type = resolveObjectType(raw);
  if (!type) throw hsError(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${raw}`);
  return type;
}

const readScopes = (req: Request): readonly string[] | undefined => {
  const t = resolveObjectType(String(req.params.objectType ?? ''));
  return t ? SCOPES.read[t] : undefined;
};
const writeScopes = (req: Request): readonly string[] | undefined => {
  const t = resolveObjectType(String(req.params.objectType ?? ''));
  return t ? SCOPES.write[t] : undefined;
};

function batchTimes(ctx: HsContext): { requestedAt?: string; startedAt: string; completedAt: string } {
  const at = ctx.store.now().toISOString();
  return { startedAt: at, completedAt: at };
}

function inputsOf(body: unknown, limit = BATCH_LIMIT): Array<Record<string, unknown>> {
  const inputs = (body as { inputs?: unknown } | undefined)?.inputs;
  if (!Array.isArray(inputs))
    throw validation('Invalid input JSON: "inputs" is required and must be an array.');
  if (inputs.length > limit) {
    throw validation(
      `The maximum number of inputs supported in a batch request is ${limit}. Please reduce the number of items and try again.`,
      { context: { limit: [String(limit)], size: [String(inputs.length)] } },
    );
  }
  return inputs.map((i) => (i ?? {}) as Record<string, unknown>);
}

function associationTypes(raw: unknown): HsObjectType[] | undefined {
  const list = listParam(raw);
  if (!list) return undefined;
  return list.map((t) => resolveObjectType(t)).filter((t): t is HsObjectType => t !== undefined);
}

/** Resolves a record by id or by a unique property (`idProperty`). */
function lookup(
  ctx: HsContext,
  type: HsObjectType,
  id: string,
  idProperty: string | undefined,
  archived?: boolean,
): HsRecord | undefined {
  if (!idProperty || idProperty === 'hs_object_id') return ctx.store.get(type, id, { archived });
  const def = ctx.store.property(type, idProperty);
  if (!def) throw validation(`Property ${idProperty} does not exist`);
  if (!def.hasUniqueValue) throw validation(`Property ${idProperty} is not a unique identifier property.`);
  return ctx.store.findBy(type, idProperty, id);
}

function ensureUniqueEmail(
  ctx: HsContext,
  type: HsObjectType,
  props: Record<string, string | null>,
  selfId?: string,
): void {
  if (type !== 'contacts' || !props.email) return;
  const existing = ctx.store.findBy('contacts', 'email', props.email);
  if (existing && existing.id !== selfId) {
    throw hsError(409, 'CONFLICT', `Contact already exists. Existing ID: ${existing.id}`);
  }
}

/** Applies the `associations` of a create input: `[{ to: { id }, types: [{ associationCategory, associationTypeId }] }]`. */
function applyCreateAssociations(ctx: HsContext, type: HsObjectType, id: string, raw: unknown): void {
  if (!Array.isArray(raw)) return;
  for (const a of raw as Array<{ to?: { id?: unknown }; types?: Array<{ associationTypeId?: unknown }> }>) {
    const toId = String(a.to?.id ?? '');
    const typeId = Number(a.types?.[0]?.associationTypeId);
    const target = OBJECT_TYPES.find((t) => {
      const ids = associationTypeIds(type, t);
      return ids && (ids.default === typeId || ids.primary === typeId) && ctx.store.get(t, toId);
    });
    if (!target) {
      throw validation(`Association type ${typeId} to object ${toId} is not valid for ${type}.`);
    }
    ctx.store.associate(type, id, target, toId);
  }
}

export function registerCrm(app: Express, ctx: HsContext, limiter: HsRateLimiter): void {
  const route = (
    method: 'get' | 'post' | 'patch' | 'put' | 'delete',
    path: string,
    options: RouteOptions,
    handler: HsHandler,
  ): void => hsRoute(app, ctx, limiter, method, path, options, handler);
  const { store } = ctx;

  // ---------------------------------------------------------------- search (before /:objectId)
  route('post', '/crm/v3/objects/:objectType/search', { scopes: readScopes, search: true }, (req, res) => {
    const type = objectTypeOf(req);
    const search = parseSearchRequest(store, type, req.body);
    const rows = runSearch(store, type, search);
    const reachable = Math.min(rows.length, SEARCH_LIMITS.maxResults);
    const page = rows.slice(search.after, Math.min(search.after + search.limit, reachable));
    const nextAfter = search.after + page.length;
    const body: Record<string, unknown> = {
      total: rows.length,
      results: page.map((r) =>
        serialiseRecord(store, r, {
          properties: search.properties,
          propertiesWithHistory: search.propertiesWithHistory,
        }),
      ),
    };
    if (page.length > 0 && nextAfter < rows.length) body.paging = { next: { after: String(nextAfter) } };
    res.status(200).json(body);
  });

  // ---------------------------------------------------------------- batch
  route('post', '/crm/v3/objects/:objectType/batch/read', { scopes: readScopes }, (req, res) => {
    const type = objectTypeOf(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const withHistory = Array.isArray(body.propertiesWithHistory) && body.propertiesWithHistory.length > 0;
    if (withHistory && Array.isArray(body.inputs) && body.inputs.length > BATCH_HISTORY_LIMIT) {
      throw validation(
        `The maximum number of inputs supported in a batch request for property histories is ${BATCH_HISTORY_LIMIT}. Please reduce the number of items and try again`,
      );
    }
    const inputs = inputsOf(body);
    const idProperty = typeof body.idProperty === 'string' ? body.idProperty : undefined;
    const archived = boolParam(req.query.archived);
    const shape = {
      properties: Array.isArray(body.properties) ? body.properties.map(String) : undefined,
      propertiesWithHistory: withHistory ? (body.propertiesWithHistory as unknown[]).map(String) : undefined,
    };
    const found: HsRecord[] = [];
    const missing: string[] = [];
    for (const input of inputs) {
      const id = String(input.id ?? '');
      const r = lookup(ctx, type, id, idProperty, archived);
      if (r) found.push(r);
      else missing.push(id);
    }
    const out: Record<string, unknown> = {
      status: 'COMPLETE',
      results: found.map((r) => serialiseRecord(store, r, shape)),
      ...batchTimes(ctx),
    };
    if (missing.length) {
      out.numErrors = 1;
      out.errors = [
        {
          status: 'error',
          category: 'OBJECT_NOT_FOUND',
          message: `Could not get some ${OBJECT_LABEL[type]} objects, they may be deleted or not exist. Check that ids are valid.`,
          context: { ids: missing },
        },
      ];
    }
    res.status(missing.length ? 207 : 200).json(out);
  });

  route('post', '/crm/v3/objects/:objectType/batch/create', { scopes: writeScopes }, (req, res) => {
    const type = objectTypeOf(req);
    const inputs = inputsOf(req.body);
    const prepared = inputs.map((input) => {
      const props = normaliseWrite(store, type, input.properties);
      ensureUniqueEmail(ctx, type, props);
      return { props, associations: input.associations };
    });
    const emails = prepared.map((p) => p.props.email?.toLowerCase()).filter(Boolean);
    if (type === 'contacts' && new Set(emails).size !== emails.length) {
      throw validation('Duplicate emails found in batch input. Emails must be unique.');
    }
    const created = prepared.map(({ props, associations }) => {
      const r = store.create(type, props);
      applyCreateAssociations(ctx, type, r.id, associations);
      return r;
    });
    res.status(201).json({
      status: 'COMPLETE',
      results: created.map((r) => serialiseRecord(store, r, { properties: Object.keys(r.properties) })),
      ...batchTimes(ctx),
    });
  });

  route('post', '/crm/v3/objects/:objectType/batch/update', { scopes: writeScopes }, (req, res) => {
    const type = objectTypeOf(req);
    const inputs = inputsOf(req.body);
    const ids = inputs.map((i) => String(i.id ?? ''));
    const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
    if (dupes.length)
      throw validation(
        `Duplicate IDs found in batch input: [${[...new Set(dupes)].join(', ')}]. IDs must be unique`,
      );
    const missing: string[] = [];
    const work: Array<{ record: HsRecord; props: Record<string, string | null> }> = [];
    for (const input of inputs) {
      const idProperty = typeof input.idProperty === 'string' ? input.idProperty : undefined;
      const record = lookup(ctx, type, String(input.id ?? ''), idProperty);
      const props = normaliseWrite(store, type, input.properties);
      if (!record) {
        missing.push(String(input.id ?? ''));
        continue;
      }
      ensureUniqueEmail(ctx, type, props, record.id);
      work.push({ record, props });
    }
    const updated = work.map(({ record, props }) => store.update(type, record.id, props));
    for (const r of updated) ctx.counters?.recordWrite(type, r.id);
    const out: Record<string, unknown> = {
      status: 'COMPLETE',
      results: updated.map((r, i) =>
        serialiseRecord(store, r, { properties: Object.keys((work[i] as { props: object }).props) }),
      ),
      ...batchTimes(ctx),
    };
    if (missing.length) {
      out.numErrors = 1;
      out.errors = [
        {
          status: 'error',
          category: 'OBJECT_NOT_FOUND',
          message: `Could not update some ${OBJECT_LABEL[type]} objects, they may be deleted or not exist. Check that ids are valid.`,
          context: { ids: missing },
        },
      ];
    }
    res.status(missing.length ? 207 : 200).json(out);
  });

  route('post', '/crm/v3/objects/:objectType/batch/upsert', { scopes: writeScopes }, (req, res) => {
    const type = objectTypeOf(req);
    const inputs = inputsOf(req.body);
    const results = inputs.map((input) => {
      const idProperty = typeof input.idProperty === 'string' ? input.idProperty : undefined;
      if (!idProperty) throw validation('idProperty is required for upsert inputs.');
      const def = store.property(type, idProperty);
      if (!def?.hasUniqueValue)
        throw validation(`Property ${idProperty} is not a unique identifier property.`);
      const id = String(input.id ?? '');
      const props = normaliseWrite(store, type, input.properties);
      const existing = store.findBy(type, idProperty, id);
      if (existing) return { record: store.update(type, existing.id, props), isNew: false, props };
      const record = store.create(type, { [idProperty]: id, ...props });
      return { record, isNew: true, props };
    });
    res.status(200).json({
      status: 'COMPLETE',
      results: results.map(({ record, isNew, props }) => ({
        ...serialiseRecord(store, record, { properties: Object.keys(props) }),
        new: isNew,
      })),
      ...batchTimes(ctx),
    });
  });

  route('post', '/crm/v3/objects/:objectType/batch/archive', { scopes: writeScopes }, (req, res) => {
    const type = objectTypeOf(req);
    for (const input of inputsOf(req.body)) store.archive(type, String(input.id ?? ''));
    res.status(204).end();
  });

  // ---------------------------------------------------------------- basic
  route('get', '/crm/v3/objects/:objectType', { scopes: readScopes }, (req, res) => {
    const type = objectTypeOf(req);
    const limit = req.query.limit === undefined ? 10 : Number(stringParam(req.query.limit));
    if (!Number.isInteger(limit) || limit < 1) throw validation(`Invalid limit: ${String(req.query.limit)}`);
    if (limit > LIST_LIMIT) {
      throw validation(`limit must be less than or equal to ${LIST_LIMIT}. Limit requested: ${limit}`);
    }
    const after = stringParam(req.query.after);
    const archived = boolParam(req.query.archived);
    const rows = store.list(type, { archived });
    let start = 0;
    if (after !== undefined && after !== '') {
      const afterNum = Number(after);
      if (!Number.isFinite(afterNum)) throw validation(`Invalid after: ${after}`);
      start = rows.findIndex((r) => Number(r.id) >= afterNum);
      if (start < 0) start = rows.length;
    }
    const page = rows.slice(start, start + limit);
    const next = rows[start + limit];
    const shape = {
      properties: listParam(req.query.properties),
      propertiesWithHistory: listParam(req.query.propertiesWithHistory),
      associations: associationTypes(req.query.associations),
    };
    const body: Record<string, unknown> = { results: page.map((r) => serialiseRecord(store, r, shape)) };
    if (next) {
      const link = new URL(`${ctx.baseUrl()}${req.path}`);
      for (const [k, v] of Object.entries(req.query)) {
        if (k === 'after') continue;
        for (const item of Array.isArray(v) ? v : [v]) link.searchParams.append(k, String(item));
      }
      link.searchParams.set('after', next.id);
      body.paging = { next: { after: next.id, link: link.toString() } };
    }
    res.status(200).json(body);
  });

  route('post', '/crm/v3/objects/:objectType', { scopes: writeScopes }, (req, res) => {
    const type = objectTypeOf(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const props = normaliseWrite(store, type, body.properties);
    ensureUniqueEmail(ctx, type, props);
    const record = store.create(type, props);
    applyCreateAssociations(ctx, type, record.id, body.associations);
    res.status(201).json(serialiseRecord(store, record, { properties: Object.keys(record.properties) }));
  });

  route('get', '/crm/v3/objects/:objectType/:objectId', { scopes: readScopes }, (req, res) => {
    const type = objectTypeOf(req);
    const id = String(req.params.objectId);
    const archived = boolParam(req.query.archived);
    const record = lookup(ctx, type, id, stringParam(req.query.idProperty), archived);
    if (!record) throw notFound('resource not found', { context: { id: [id] } });
    res.status(200).json(
      serialiseRecord(store, record, {
        properties: listParam(req.query.properties),
        propertiesWithHistory: listParam(req.query.propertiesWithHistory),
        associations: associationTypes(req.query.associations),
      }),
    );
  });

  route('patch', '/crm/v3/objects/:objectType/:objectId', { scopes: writeScopes }, (req, res) => {
    const type = objectTypeOf(req);
    const id = String(req.params.objectId);
    const record = lookup(ctx, type, id, stringParam(req.query.idProperty));
    if (!record) throw notFound('resource not found', { context: { id: [id] } });
    const props = normaliseWrite(store, type, (req.body as { properties?: unknown } | undefined)?.properties);
    ensureUniqueEmail(ctx, type, props, record.id);
    const updated = store.update(type, record.id, props);
    ctx.counters?.recordWrite(type, updated.id);
    res.status(200).json(serialiseRecord(store, updated, { properties: Object.keys(updated.properties) }));
  });

  route('delete', '/crm/v3/objects/:objectType/:objectId', { scopes: writeScopes }, (req, res) => {
    const type = objectTypeOf(req);
    store.archive(type, String(req.params.objectId));
    res.status(204).end();
  });

  // ---------------------------------------------------------------- owners and pipelines
  route('get', '/crm/v3/owners', { scopes: () => SCOPES.owners }, (req, res) => {
    const email = stringParam(req.query.email)?.toLowerCase();
    const archived = boolParam(req.query.archived);
    const limit = Math.min(Number(stringParam(req.query.limit) ?? 100), 500);
    const after = Number(stringParam(req.query.after) ?? 0);
    const all = store.owners.filter(
      (o) => o.archived === archived && (!email || o.email.toLowerCase() === email),
    );
    const page = all.slice(after, after + limit);
    const body: Record<string, unknown> = { results: page };
    if (after + limit < all.length) body.paging = { next: { after: String(after + limit) } };
    res.status(200).json(body);
  });

  route('get', '/crm/v3/owners/:ownerId', { scopes: () => SCOPES.owners }, (req, res) => {
    const owner = store.owners.find((o) => o.id === String(req.params.ownerId));
    if (!owner) throw notFound(`Owner ${String(req.params.ownerId)} not found`);
    res.status(200).json(owner);
  });

  const pipeline = (): Record<string, unknown> => {
    const at = '2019-08-06T02:41:52.261Z';
    return {
      id: 'default',
      label: 'Sales Pipeline',
      displayOrder: 0,
      stages: DEFAULT_DEAL_STAGES.map((s) => ({
        ...s,
        createdAt: at,
        updatedAt: at,
        archived: false,
        writePermissions: 'CRUD_ALL',
      })),
      createdAt: at,
      updatedAt: at,
      archived: false,
    };
  };
  route('get', '/crm/v3/pipelines/deals', { scopes: () => SCOPES.read.deals }, (_req, res) => {
    res.status(200).json({ results: [pipeline()] });
  });
  route('get', '/crm/v3/pipelines/deals/:pipelineId', { scopes: () => SCOPES.read.deals }, (req, res) => {
    if (req.params.pipelineId !== 'default')
      throw notFound(`Pipeline ${String(req.params.pipelineId)} not found`);
    res.status(200).json(pipeline());
  });
}
