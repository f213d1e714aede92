/**
 * Property values on the wire: validation and normalisation of writes (HubSpot's
 * "Property values were not valid" errors), and the JSON shape of records on reads.
 */
import { type PropertyValidationResult, propertyValuesInvalid } from './errors';
import {
  type HsObjectType,
  type HsPropertyDef,
  ALWAYS_PROPERTIES,
  DEFAULT_PROPERTIES,
  associationTypeIds,
} from './schema';
import { type HsRecord, type HubSpotStore } from './store';

/** Parses a HubSpot date/datetime input: epoch milliseconds or an ISO-8601 string. */
export function parseHsDate(value: string): number | undefined {
  if (/^-?\d+$/.test(value)) return Number(value);
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function invalid(name: string, error: string, message: string): PropertyValidationResult {
  return { isValid: false, message, error, name, localizedErrorMessage: message };
}

/**
 * Validates and normalises the properties of a create/update. Unknown properties, read-only values,
 * enumeration values outside the options and malformed numbers/dates are rejected like HubSpot does.
 */
export function normaliseWrite(
  store: HubSpotStore,
  type: HsObjectType,
  input: unknown,
): Record<string, string | null> {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw propertyValuesInvalid([invalid('properties', 'INVALID_INPUT', 'properties must be an object')]);
  }
  const out: Record<string, string | null> = {};
  const errors: PropertyValidationResult[] = [];
  for (const [name, raw] of Object.entries(input as Record<string, unknown>)) {
    const def = store.property(type, name);
    if (!def) {
      errors.push(invalid(name, 'PROPERTY_DOESNT_EXIST', `Property "${name}" does not exist`));
      continue;
    }
    if (def.readOnlyValue) {
      errors.push(
        invalid(name, 'READ_ONLY_VALUE', `"${name}" is a read only property; its value cannot be set.`),
      );
      continue;
    }
    if (raw === null || raw === '') {
      out[name] = null;
      continue;
    }
    const value = typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
    const err =
      def.referencedObjectType === 'OWNER'
        ? store.owners.some((o) => o.id === value && !o.archived)
          ? undefined
          : invalid(name, 'INVALID_OWNER_ID', `${value} is not a valid owner id`)
        : checkValue(def, value);
    if (err) {
      errors.push(err);
      continue;
    }
    out[name] = normaliseValue(def, value);
  }
  if (errors.length) throw propertyValuesInvalid(errors);
  return out;
}

function checkValue(def: HsPropertyDef, value: string): PropertyValidationResult | undefined {
  switch (def.type) {
    case 'number':
      return Number.isFinite(Number(value))
        ? undefined
        : invalid(def.name, 'INVALID_FLOAT', `${value} was not a valid number.`);
    case 'date':
    case 'datetime':
      return parseHsDate(value) === undefined
        ? invalid(def.name, 'INVALID_DATE', `${value} was not a valid date or timestamp.`)
        : undefined;
    case 'bool':
      return ['true', 'false'].includes(value.toLowerCase())
        ? undefined
        : invalid(def.name, 'INVALID_BOOLEAN', `${value} was not a valid boolean (true or false).`);
    case 'enumeration': {
      if (def.externalOptions || def.options.length === 0) return undefined;
      const allowed = def.options.map((o) => o.value);
      const values = def.fieldType === 'checkbox' ? value.split(';') : [value];
      const bad = values.find((v) => !allowed.includes(v));
      return bad === undefined
        ? undefined
        : invalid(
            def.name,
            'INVALID_OPTION',
            `${bad} was not one of the allowed options: ${def.options.map((o) => `[label: "${o.label}", value: "${o.value}"]`).join(', ')}`,
          );
    }
    default:
      return undefined;
  }
}

function normaliseValue(def: HsPropertyDef, value: string): string {
  switch (def.type) {
    case 'datetime':
      return new Date(parseHsDate(value) as number).toISOString();
    case 'date':
      return new Date(parseHsDate(value) as number).toISOString().slice(0, 10);
    case 'bool':
      return value.toLowerCase();
    case 'number':
      return String(Number(value));
    default:
      return value;
  }
}

export interface ReadShape {
  /** Property names asked for, or undefined for the type's defaults. */
  properties?: string[];
  propertiesWithHistory?: string[];
  /** Object types whose associations to include (v3 style). */
  associations?: HsObjectType[];
}

const SINGULAR: Record<HsObjectType, string> = {
  contacts: 'contact',
  companies: 'company',
  deals: 'deal',
  emails: 'email',
  tasks: 'task',
};

/** The v3 JSON of a record (`SimplePublicObject`). */
export function serialiseRecord(
  store: HubSpotStore,
  record: HsRecord,
  shape: ReadShape = {},
): Record<string, unknown> {
  const type = record.type;
  const names = shape.properties
    ? [...new Set([...shape.properties, ...ALWAYS_PROPERTIES[type]])]
    : DEFAULT_PROPERTIES[type];
  const properties: Record<string, string | null> = {};
  for (const name of [...names].sort()) {
    if (!store.property(type, name)) continue;
    properties[name] = record.properties[name] ?? null;
  }
  const out: Record<string, unknown> = {
    id: record.id,
    properties,
  };
  if (shape.propertiesWithHistory?.length) {
    const history: Record<string, unknown[]> = {};
    for (const name of shape.propertiesWithHistory) {
      if (!store.property(type, name)) continue;
      history[name] = (record.history[name] ?? []).map((h) => ({ ...h }));
    }
    out.propertiesWithHistory = history;
  }
  out.createdAt = record.createdAt.toISOString();
  out.updatedAt = record.updatedAt.toISOString();
  out.archived = record.archived;
  if (record.archivedAt) out.archivedAt = record.archivedAt.toISOString();
  if (shape.associations?.length) {
    const assoc: Record<string, unknown> = {};
    for (const to of shape.associations) {
      const ids = associationTypeIds(type, to);
      const list = store.associationsOf(type, record.id, to);
      if (!list.length || !ids) continue;
      const results = list.flatMap((a) =>
        a.types.map((t) => ({
          id: a.toObjectId,
          type:
            t.typeId === ids.primary
              ? `${SINGULAR[type]}_to_${SINGULAR[to]}`
              : `${SINGULAR[type]}_to_${SINGULAR[to]}${ids.primary ? '_unlabeled' : ''}`,
        })),
      );
      assoc[to] = { results };
    }
    if (Object.keys(assoc).length) out.associations = assoc;
  }
  return out;
}
