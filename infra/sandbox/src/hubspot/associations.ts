/**
 * Associations v4: list a record's associations, batch read, create default (unlabelled)
 * associations one at a time or in batch, create with explicit types, and remove.
 */
import { type Express, type Request } from 'express';
import { notFound, validation } from './errors';
import { type HsContext, type HsRateLimiter, hsRoute, stringParam } from './http';
import { objectTypeOf } from './crm';
import { type HsObjectType, OBJECT_TYPE_ID, SCOPES, associationTypeIds, resolveObjectType } from './schema';
import { type HsAssociationType } from './store';

export const ASSOCIATION_BATCH_LIMIT = 1000;
const SINGULAR: Record<HsObjectType, string> = {
  contacts: 'contact',
  companies: 'company',
  deals: 'deal',
  emails: 'email',
  tasks: 'task',
};

function typesJson(types: HsAssociationType[]): Array<Record<string, unknown>> {
  return types.map((t) => ({ category: t.category, typeId: t.typeId, label: t.label }));
}

const readBoth = (req: Request): readonly string[] | undefined => {
  const from = resolveObjectType(String(req.params.objectType ?? req.params.fromObjectType ?? ''));
  return from ? SCOPES.read[from] : undefined;
};
const writeFrom = (req: Request): readonly string[] | undefined => {
  const from = resolveObjectType(String(req.params.objectType ?? req.params.fromObjectType ?? ''));
  return from ? SCOPES.write[from] : undefined;
};

export function registerAssociations(app: Express, ctx: HsContext, limiter: HsRateLimiter): void {
  const { store } = ctx;

  const pair = (from: HsObjectType, to: HsObjectType): void => {
    if (!associationTypeIds(from, to)) {
      throw validation(`Association from ${from} to ${to} is not supported.`);
    }
  };
  const mustExist = (type: HsObjectType, id: string): void => {
    if (!store.get(type, id))
      throw notFound(`No ${SINGULAR[type]} with ID ${id} exists.`, { context: { id: [id] } });
  };
  const defaultResult = (
    from: HsObjectType,
    fromId: string,
    to: HsObjectType,
    toId: string,
  ): Array<Record<string, unknown>> => {
    const f = associationTypeIds(from, to);
    const b = associationTypeIds(to, from);
    return [
      {
        from: { id: fromId },
        to: { id: toId },
        associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: f?.default },
      },
      {
        from: { id: toId },
        to: { id: fromId },
        associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: b?.default },
      },
    ];
  };

  // default association (registered before the labelled PUT so "default" is not taken as a type)
  hsRoute(
    app,
    ctx,
    limiter,
    'put',
    '/crm/v4/objects/:fromObjectType/:fromObjectId/associations/default/:toObjectType/:toObjectId',
    { scopes: writeFrom },
    (req, res) => {
      const from = objectTypeOf(req, 'fromObjectType');
      const to = objectTypeOf(req, 'toObjectType');
      pair(from, to);
      const fromId = String(req.params.fromObjectId);
      const toId = String(req.params.toObjectId);
      mustExist(from, fromId);
      mustExist(to, toId);
      store.associate(from, fromId, to, toId);
      const at = store.now().toISOString();
      res.status(200).json({
        status: 'COMPLETE',
        results: defaultResult(from, fromId, to, toId),
        startedAt: at,
        completedAt: at,
      });
    },
  );

  hsRoute(
    app,
    ctx,
    limiter,
    'get',
    '/crm/v4/objects/:objectType/:objectId/associations/:toObjectType',
    { scopes: readBoth },
    (req, res) => {
      const from = objectTypeOf(req);
      const to = objectTypeOf(req, 'toObjectType');
      const id = String(req.params.objectId);
      const limit = Math.min(Number(stringParam(req.query.limit) ?? 500), 500);
      const after = Number(stringParam(req.query.after) ?? 0);
      const all = store.associationsOf(from, id, to);
      const page = all.slice(after, after + limit);
      const body: Record<string, unknown> = {
        results: page.map((a) => ({
          toObjectId: Number(a.toObjectId),
          associationTypes: typesJson(a.types),
        })),
      };
      if (after + limit < all.length) body.paging = { next: { after: String(after + limit) } };
      res.status(200).json(body);
    },
  );

  hsRoute(
    app,
    ctx,
    limiter,
    'put',
    '/crm/v4/objects/:objectType/:objectId/associations/:toObjectType/:toObjectId',
    { scopes: writeFrom },
    (req, res) => {
      const from = objectTypeOf(req);
      const to = objectTypeOf(req, 'toObjectType');
      pair(from, to);
      const fromId = String(req.params.objectId);
      const toId = String(req.params.toObjectId);
      mustExist(from, fromId);
      mustExist(to, toId);
      const specs = Array.isArray(req.body) ? (req.body as Array<Record<string, unknown>>) : [];
      if (!specs.length) throw validation('At least one association type is required.');
      const ids = associationTypeIds(from, to);
      for (const s of specs) {
        const category = String(s.associationCategory ?? 'HUBSPOT_DEFINED');
        const typeId = Number(s.associationTypeId);
        if (category === 'HUBSPOT_DEFINED' && typeId !== ids?.default && typeId !== ids?.primary) {
          throw validation(`${typeId} is not a valid association type id from ${from} to ${to}.`);
        }
        store.associateWithType(from, fromId, to, toId, {
          category: category === 'USER_DEFINED' ? 'USER_DEFINED' : 'HUBSPOT_DEFINED',
          typeId,
        });
      }
      const labels = (store.associationsOf(from, fromId, to).find((a) => a.toObjectId === toId)?.types ?? [])
        .map((t) => t.label)
        .filter((l): l is string => l !== null);
      res.status(201).json({
        fromObjectTypeId: OBJECT_TYPE_ID[from],
        fromObjectId: Number(fromId),
        toObjectTypeId: OBJECT_TYPE_ID[to],
        toObjectId: Number(toId),
        labels,
      });
    },
  );

  hsRoute(
    app,
    ctx,
    limiter,
    'delete',
    '/crm/v4/objects/:objectType/:objectId/associations/:toObjectType/:toObjectId',
    { scopes: writeFrom },
    (req, res) => {
      const from = objectTypeOf(req);
      const to = objectTypeOf(req, 'toObjectType');
      store.dissociate(from, String(req.params.objectId), to, String(req.params.toObjectId));
      res.status(204).end();
    },
  );

  const batchInputs = (body: unknown): Array<Record<string, unknown>> => {
    const inputs = (body as { inputs?: unknown } | undefined)?.inputs;
    if (!Array.isArray(inputs))
      throw validation('Invalid input JSON: "inputs" is required and must be an array.');
    if (inputs.length > ASSOCIATION_BATCH_LIMIT) {
      throw validation(
        `The maximum number of inputs supported in a batch request is ${ASSOCIATION_BATCH_LIMIT}. Please reduce the number of items and try again.`,
      );
    }
    return inputs.map((i) => (i ?? {}) as Record<string, unknown>);
  };

  hsRoute(
    app,
    ctx,
    limiter,
    'post',
    '/crm/v4/associations/:fromObjectType/:toObjectType/batch/read',
    { scopes: readBoth },
    (req, res) => {
      const from = objectTypeOf(req, 'fromObjectType');
      const to = objectTypeOf(req, 'toObjectType');
      const results: unknown[] = [];
      const errors: unknown[] = [];
      for (const input of batchInputs(req.body)) {
        const id = String(input.id ?? '');
        const list = store.associationsOf(from, id, to);
        if (!list.length) {
          errors.push({
            status: 'error',
            category: 'OBJECT_NOT_FOUND',
            subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
            context: { fromObjectId: [id], toObjectType: [to] },
            message: `No ${to} is associated with ${SINGULAR[from]} ${id}.`,
          });
          continue;
        }
        results.push({
          from: { id },
          to: list.map((a) => ({ toObjectId: Number(a.toObjectId), associationTypes: typesJson(a.types) })),
        });
      }
      const at = store.now().toISOString();
      const body: Record<string, unknown> = { status: 'COMPLETE', results, startedAt: at, completedAt: at };
      if (errors.length) {
        body.numErrors = errors.length;
        body.errors = errors;
      }
      res.status(errors.length ? 207 : 200).json(body);
    },
  );

  hsRoute(
    app,
    ctx,
    limiter,
    'post',
    '/crm/v4/associations/:fromObjectType/:toObjectType/batch/associate/default',
    { scopes: writeFrom },
    (req, res) => {
      const from = objectTypeOf(req, 'fromObjectType');
      const to = objectTypeOf(req, 'toObjectType');
      pair(from, to);
      const inputs = batchInputs(req.body).map((i) => ({
        fromId: String((i.from as { id?: unknown } | undefined)?.id ?? ''),
        toId: String((i.to as { id?: unknown } | undefined)?.id ?? ''),
      }));
      for (const { fromId, toId } of inputs) {
        mustExist(from, fromId);
        mustExist(to, toId);
      }
      const results = inputs.flatMap(({ fromId, toId }) => {
        store.associate(from, fromId, to, toId);
        return defaultResult(from, fromId, to, toId);
      });
      const at = store.now().toISOString();
      res.status(200).json({ status: 'COMPLETE', results, startedAt: at, completedAt: at });
    },
  );

  hsRoute(
    app,
    ctx,
    limiter,
    'post',
    '/crm/v4/associations/:fromObjectType/:toObjectType/batch/create',
    { scopes: writeFrom },
    (req, res) => {
      const from = objectTypeOf(req, 'fromObjectType');
      const to = objectTypeOf(req, 'toObjectType');
      pair(from, to);
      const results = batchInputs(req.body).map((i) => {
        const fromId = String((i.from as { id?: unknown } | undefined)?.id ?? '');
        const toId = String((i.to as { id?: unknown } | undefined)?.id ?? '');
        mustExist(from, fromId);
        mustExist(to, toId);
        const types = Array.isArray(i.types) ? (i.types as Array<Record<string, unknown>>) : [];
        if (!types.length) store.associate(from, fromId, to, toId);
        for (const t of types) {
          store.associateWithType(from, fromId, to, toId, {
            category: t.associationCategory === 'USER_DEFINED' ? 'USER_DEFINED' : 'HUBSPOT_DEFINED',
            typeId: Number(t.associationTypeId),
          });
        }
        const labels = (
          store.associationsOf(from, fromId, to).find((a) => a.toObjectId === toId)?.types ?? []
        )
          .map((t) => t.label)
          .filter((l): l is string => l !== null);
        return {
          fromObjectTypeId: OBJECT_TYPE_ID[from],
          fromObjectId: Number(fromId),
          toObjectTypeId: OBJECT_TYPE_ID[to],
          toObjectId: Number(toId),
          labels,
        };
      });
      const at = store.now().toISOString();
      res.status(201).json({ status: 'COMPLETE', results, startedAt: at, completedAt: at });
    },
  );

  hsRoute(
    app,
    ctx,
    limiter,
    'post',
    '/crm/v4/associations/:fromObjectType/:toObjectType/batch/archive',
    { scopes: writeFrom },
    (req, res) => {
      const from = objectTypeOf(req, 'fromObjectType');
      const to = objectTypeOf(req, 'toObjectType');
      for (const i of batchInputs(req.body)) {
        const fromId = String((i.from as { id?: unknown } | undefined)?.id ?? '');
        const targets = Array.isArray(i.to) ? (i.to as Array<{ id?: unknown }>) : [];
        for (const t of targets) store.dissociate(from, fromId, to, String(t.id ?? ''));
      }
      res.status(204).end();
    },
  );
}
