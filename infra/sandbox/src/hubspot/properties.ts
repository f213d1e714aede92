/**
 * Properties API v3: property definitions and property groups per object type. Creating a property or
 * group whose name exists answers 409 like HubSpot.
 */
import { type Express, type Request } from 'express';
import { hsError, notFound, validation } from './errors';
import { type HsContext, type HsRateLimiter, boolParam, hsRoute } from './http';
import { objectTypeOf } from './crm';
import {
  type HsGroupDef,
  type HsOption,
  type HsPropertyDef,
  type HsPropertyType,
  FIELD_TYPES,
  PROPERTY_TYPES,
  SCOPES,
  resolveObjectType,
} from './schema';

/** Which field types go with which property type. */
const COMPATIBLE: Record<HsPropertyType, readonly string[]> = {
  string: ['text', 'textarea', 'phonenumber', 'html', 'file'],
  phone_number: ['phonenumber', 'text'],
  number: ['number', 'calculation_equation'],
  date: ['date'],
  datetime: ['date'],
  enumeration: ['select', 'radio', 'checkbox', 'booleancheckbox', 'calculation_equation'],
  bool: ['booleancheckbox', 'calculation_equation'],
};

const NAME_RE = /^[a-z][a-z0-9_]*$/;

export function serialiseProperty(p: HsPropertyDef): Record<string, unknown> {
  const out: Record<string, unknown> = {
    updatedAt: p.updatedAt,
    createdAt: p.createdAt,
    name: p.name,
    label: p.label,
    type: p.type,
    fieldType: p.fieldType,
    description: p.description,
    groupName: p.groupName,
    options: p.options,
    displayOrder: p.displayOrder,
    calculated: p.calculated,
    externalOptions: p.externalOptions,
    hasUniqueValue: p.hasUniqueValue,
    hidden: p.hidden,
    hubspotDefined: p.hubspotDefined,
    modificationMetadata: {
      archivable: p.archivable,
      readOnlyDefinition: p.readOnlyDefinition,
      readOnlyValue: p.readOnlyValue,
    },
    formField: p.formField,
    dataSensitivity: 'non_sensitive',
  };
  if (p.referencedObjectType) out.referencedObjectType = p.referencedObjectType;
  if (p.archived) out.archived = true;
  return out;
}

function parseOptions(raw: unknown): HsOption[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw validation('options must be an array');
  return raw.map((o, i) => {
    const opt = (o ?? {}) as Record<string, unknown>;
    if (typeof opt.label !== 'string' || typeof opt.value !== 'string') {
      throw validation('Each option needs a string label and a string value.');
    }
    return {
      label: opt.label,
      value: opt.value,
      displayOrder: typeof opt.displayOrder === 'number' ? opt.displayOrder : i,
      hidden: opt.hidden === true,
      ...(typeof opt.description === 'string' ? { description: opt.description } : {}),
    };
  });
}

const schemaRead = (req: Request): readonly string[] | undefined => {
  const t = resolveObjectType(String(req.params.objectType ?? ''));
  return t ? SCOPES.schemaRead[t] : undefined;
};
const schemaWrite = (req: Request): readonly string[] | undefined => {
  const t = resolveObjectType(String(req.params.objectType ?? ''));
  return t ? SCOPES.schemaWrite[t] : undefined;
};

export function registerProperties(app: Express, ctx: HsContext, limiter: HsRateLimiter): void {
  const { store } = ctx;

  // groups first, so "groups" is not taken for a property name
  hsRoute(
    app,
    ctx,
    limiter,
    'get',
    '/crm/v3/properties/:objectType/groups',
    { scopes: schemaRead },
    (req, res) => {
      const type = objectTypeOf(req);
      res.status(200).json({ results: store.groups(type) });
    },
  );

  hsRoute(
    app,
    ctx,
    limiter,
    'post',
    '/crm/v3/properties/:objectType/groups',
    { scopes: schemaWrite },
    (req, res) => {
      const type = objectTypeOf(req);
      const b = (req.body ?? {}) as Record<string, unknown>;
      if (typeof b.name !== 'string' || !NAME_RE.test(b.name)) {
        throw validation(
          `Invalid property group name: ${String(b.name)}. Names may contain lowercase letters, numbers and underscores and must start with a letter.`,
        );
      }
      if (typeof b.label !== 'string' || !b.label) throw validation('A property group needs a label.');
      if (store.group(type, b.name)) {
        throw hsError(409, 'OBJECT_ALREADY_EXISTS', `A property group named '${b.name}' already exists.`, {
          context: { name: [b.name] },
        });
      }
      const group: HsGroupDef = {
        name: b.name,
        label: b.label,
        displayOrder: typeof b.displayOrder === 'number' ? b.displayOrder : -1,
        archived: false,
      };
      store.addGroup(type, group);
      res.status(201).json(group);
    },
  );

  hsRoute(
    app,
    ctx,
    limiter,
    'get',
    '/crm/v3/properties/:objectType/groups/:groupName',
    { scopes: schemaRead },
    (req, res) => {
      const type = objectTypeOf(req);
      const group = store.group(type, String(req.params.groupName));
      if (!group) throw notFound(`Unable to find property group ${String(req.params.groupName)}`);
      res.status(200).json(group);
    },
  );

  hsRoute(app, ctx, limiter, 'get', '/crm/v3/properties/:objectType', { scopes: schemaRead }, (req, res) => {
    const type = objectTypeOf(req);
    res
      .status(200)
      .json({ results: store.properties(type, boolParam(req.query.archived)).map(serialiseProperty) });
  });

  hsRoute(
    app,
    ctx,
    limiter,
    'post',
    '/crm/v3/properties/:objectType',
    { scopes: schemaWrite },
    (req, res) => {
      const type = objectTypeOf(req);
      const b = (req.body ?? {}) as Record<string, unknown>;
      for (const field of ['name', 'label', 'type', 'fieldType', 'groupName']) {
        if (typeof b[field] !== 'string' || !b[field]) throw validation(`Property ${field} is required.`);
      }
      const name = b.name as string;
      if (!NAME_RE.test(name)) {
        throw validation(
          `Invalid property name: ${name}. Names may contain lowercase letters, numbers and underscores and must start with a letter.`,
        );
      }
      const propType = b.type as HsPropertyType;
      if (!PROPERTY_TYPES.includes(propType)) throw validation(`Invalid property type: ${propType}`);
      const fieldType = b.fieldType as string;
      if (!(FIELD_TYPES as readonly string[]).includes(fieldType))
        throw validation(`Invalid fieldType: ${fieldType}`);
      if (!COMPATIBLE[propType].includes(fieldType)) {
        throw validation(`fieldType ${fieldType} is not valid for a property of type ${propType}.`);
      }
      const groupName = b.groupName as string;
      if (!store.group(type, groupName)) throw validation(`Property group ${groupName} does not exist.`);
      const existing =
        store.properties(type).find((p) => p.name === name) ??
        store.properties(type, true).find((p) => p.name === name);
      if (existing) {
        throw hsError(409, 'OBJECT_ALREADY_EXISTS', `Property named '${name}' already exists.`, {
          context: { name: [name] },
        });
      }
      const at = store.now().toISOString();
      const def: HsPropertyDef = {
        name,
        label: b.label as string,
        type: propType,
        fieldType,
        groupName,
        description: typeof b.description === 'string' ? b.description : '',
        options: parseOptions(b.options),
        displayOrder: typeof b.displayOrder === 'number' ? b.displayOrder : -1,
        calculated: false,
        externalOptions: false,
        hasUniqueValue: b.hasUniqueValue === true,
        hidden: b.hidden === true,
        hubspotDefined: false,
        formField: b.formField === true,
        readOnlyValue: false,
        readOnlyDefinition: false,
        archivable: true,
        createdAt: at,
        updatedAt: at,
        archived: false,
      };
      store.addProperty(type, def);
      res.status(201).json(serialiseProperty(def));
    },
  );

  hsRoute(
    app,
    ctx,
    limiter,
    'get',
    '/crm/v3/properties/:objectType/:propertyName',
    { scopes: schemaRead },
    (req, res) => {
      const type = objectTypeOf(req);
      const prop = store.property(type, String(req.params.propertyName));
      if (!prop) throw notFound(`Unable to find property ${String(req.params.propertyName)}`);
      res.status(200).json(serialiseProperty(prop));
    },
  );

  hsRoute(
    app,
    ctx,
    limiter,
    'patch',
    '/crm/v3/properties/:objectType/:propertyName',
    { scopes: schemaWrite },
    (req, res) => {
      const type = objectTypeOf(req);
      const prop = store.property(type, String(req.params.propertyName));
      if (!prop) throw notFound(`Unable to find property ${String(req.params.propertyName)}`);
      if (prop.readOnlyDefinition) throw validation(`The definition of property ${prop.name} is read-only.`);
      const b = (req.body ?? {}) as Record<string, unknown>;
      if (typeof b.groupName === 'string' && !store.group(type, b.groupName)) {
        throw validation(`Property group ${b.groupName} does not exist.`);
      }
      if (typeof b.label === 'string') prop.label = b.label;
      if (typeof b.description === 'string') prop.description = b.description;
      if (typeof b.groupName === 'string') prop.groupName = b.groupName;
      if (typeof b.displayOrder === 'number') prop.displayOrder = b.displayOrder;
      if (typeof b.hidden === 'boolean') prop.hidden = b.hidden;
      if (b.options !== undefined) prop.options = parseOptions(b.options);
      prop.updatedAt = store.now().toISOString();
      res.status(200).json(serialiseProperty(prop));
    },
  );

  hsRoute(
    app,
    ctx,
    limiter,
    'delete',
    '/crm/v3/properties/:objectType/:propertyName',
    { scopes: schemaWrite },
    (req, res) => {
      const type = objectTypeOf(req);
      const prop = store.property(type, String(req.params.propertyName));
      if (!prop) throw notFound(`Unable to find property ${String(req.params.propertyName)}`);
      if (!prop.archivable)
        throw validation(`Property ${prop.name} is a HubSpot default property and cannot be archived.`);
      prop.archived = true;
      prop.updatedAt = store.now().toISOString();
      res.status(204).end();
    },
  );
}
