/**
 * Writes: validating and coercing field values the way the REST API does. Problems with the request as
 * a whole (unknown column, undeserialisable JSON value) throw `SfHttpError`; problems with one record
 * (required field missing, bad email, bad id…) throw `RecordWriteError`, which sObject Collections and
 * Bulk report per record.
 */
import { isValidId } from './ids';
import { type SfHttpError, sfError } from './http';
import { type SfField, type SfObjectDef } from './schema';
import { type SalesforceStore, type SfRecord, type SfValue } from './store';
import { sfDateTime } from './soql';

export interface RecordError {
  statusCode: string;
  message: string;
  fields: string[];
}

export class RecordWriteError extends Error {
  constructor(readonly errors: RecordError[]) {
    super(errors.map((e) => `${e.statusCode}: ${e.message}`).join('; '));
  }
}

export const recordError = (statusCode: string, message: string, fields: string[] = []): RecordWriteError =>
  new RecordWriteError([{ statusCode, message, fields }]);

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function jsonError(kind: string, raw: unknown): SfHttpError {
  return sfError(
    400,
    'JSON_PARSER_ERROR',
    `Cannot deserialize instance of ${kind} from VALUE_STRING value ${String(raw)} or request may be missing a required field`,
  );
}

export interface WriteOptions {
  mode: 'create' | 'update';
  /** Bulk CSV semantics: '' leaves a field unset, '#N/A' clears it. */
  csv?: boolean;
}

/** Validates one record's input; returns canonical field names → stored values. */
export function prepareWrite(
  store: SalesforceStore,
  def: SfObjectDef,
  input: Record<string, unknown>,
  options: WriteOptions,
): Record<string, SfValue> {
  const out: Record<string, SfValue> = {};
  const errors: RecordError[] = [];
  const notWritable: string[] = [];
  for (const [rawName, raw] of Object.entries(input)) {
    if (rawName === 'attributes') continue;
    if (options.mode === 'update' && rawName.toLowerCase() === 'id') continue;
    if (options.csv && raw === '') continue;
    const f = store.field(def, rawName);
    if (!f) throw sfError(400, 'INVALID_FIELD', `No such column '${rawName}' on sobject of type ${def.name}`);
    if (rawName.toLowerCase() === 'id' && options.mode === 'create') {
      errors.push({
        statusCode: 'INVALID_FIELD',
        message: 'cannot specify Id in an insert call',
        fields: ['Id'],
      });
      continue;
    }
    if ((options.mode === 'create' && !f.createable) || (options.mode === 'update' && !f.updateable)) {
      notWritable.push(f.name);
      continue;
    }
    const value = options.csv && raw === '#N/A' ? null : raw;
    if (value === null || value === undefined) {
      if (!f.nillable && options.mode === 'update') {
        errors.push({
          statusCode: 'REQUIRED_FIELD_MISSING',
          message: `Required fields are missing: [${f.name}]`,
          fields: [f.name],
        });
      } else out[f.name] = null;
      continue;
    }
    const coerced = coerce(store, f, value, errors);
    if (coerced !== undefined) out[f.name] = coerced;
  }
  if (notWritable.length) {
    errors.push({
      statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
      message: `Unable to ${options.mode === 'create' ? 'create' : 'update'} fields: ${notWritable.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      fields: notWritable,
    });
  }
  if (options.mode === 'create') {
    const missing = [...def.fields.values()]
      .filter(
        (f) =>
          f.required &&
          f.createable &&
          !f.defaultedOnCreate &&
          (out[f.name] === undefined || out[f.name] === null),
      )
      .map((f) => f.name);
    if (missing.length) {
      errors.push({
        statusCode: 'REQUIRED_FIELD_MISSING',
        message: `Required fields are missing: [${missing.join(', ')}]`,
        fields: missing,
      });
    }
  }
  if (errors.length) throw new RecordWriteError(errors);
  return out;
}

function coerce(
  store: SalesforceStore,
  f: SfField,
  value: unknown,
  errors: RecordError[],
): SfValue | undefined {
  if (typeof value === 'object') throw jsonError('String', JSON.stringify(value));
  const text = String(value);
  switch (f.type) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (text.toLowerCase() === 'true' || text.toLowerCase() === 'false')
        return text.toLowerCase() === 'true';
      throw jsonError('boolean', value);
    case 'int':
    case 'double':
    case 'currency':
    case 'percent': {
      const n = typeof value === 'number' ? value : Number(text);
      if (!Number.isFinite(n) || text.trim() === '') throw jsonError('double', value);
      return f.type === 'int' ? Math.trunc(n) : n;
    }
    case 'date': {
      const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
      if (Number.isNaN(ms)) throw jsonError('date', value);
      return new Date(ms).toISOString().slice(0, 10);
    }
    case 'datetime': {
      const ms = Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
      if (Number.isNaN(ms)) throw jsonError('datetime', value);
      return sfDateTime(ms);
    }
    case 'id':
    case 'reference': {
      if (!isValidId(text)) {
        errors.push({
          statusCode: 'MALFORMED_ID',
          message: `${f.label}: id value of incorrect type: ${text}`,
          fields: [f.name],
        });
        return undefined;
      }
      const targetType = store.typeOfId(text);
      if (f.referenceTo.length && (!targetType || !f.referenceTo.includes(targetType))) {
        errors.push({
          statusCode: 'FIELD_INTEGRITY_EXCEPTION',
          message: `${f.label}: id value of incorrect type: ${text}`,
          fields: [f.name],
        });
        return undefined;
      }
      const target = store.byId(text);
      if (!target) {
        errors.push({
          statusCode: 'INVALID_CROSS_REFERENCE_KEY',
          message: 'invalid cross reference id',
          fields: [f.name],
        });
        return undefined;
      }
      if (target.fields.IsDeleted === true) {
        errors.push({ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [f.name] });
        return undefined;
      }
      return target.id;
    }
    case 'email':
      if (!EMAIL_RE.test(text)) {
        errors.push({
          statusCode: 'INVALID_EMAIL_ADDRESS',
          message: `${f.label}: invalid email address: ${text}`,
          fields: [f.name],
        });
        return undefined;
      }
      return checkLength(f, text, errors);
    default:
      return checkLength(f, text, errors);
  }
}

function checkLength(f: SfField, text: string, errors: RecordError[]): string | undefined {
  if (f.length > 0 && text.length > f.length) {
    errors.push({
      statusCode: 'STRING_TOO_LONG',
      message: `${f.label}: data value too large: ${text.slice(0, 40)}${text.length > 40 ? '...' : ''} (max length=${f.length})`,
      fields: [f.name],
    });
    return undefined;
  }
  return text;
}

/** Looks up the record an update/delete names; throws the per-record error Salesforce gives. */
export function recordForId(store: SalesforceStore, rawId: unknown, expectedType?: string): SfRecord {
  if (rawId === undefined || rawId === null || rawId === '') {
    throw recordError('MISSING_ARGUMENT', 'Id not specified in an update call', ['Id']);
  }
  const id = String(rawId);
  if (!isValidId(id)) throw recordError('MALFORMED_ID', `malformed id ${id}`, ['Id']);
  const record = store.byId(id);
  if (!record) throw recordError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', []);
  if (expectedType && record.type !== store.object(expectedType)?.name) {
    throw recordError('MALFORMED_ID', `${expectedType} ID: id value of incorrect type: ${id}`, ['Id']);
  }
  if (record.fields.IsDeleted === true) throw recordError('ENTITY_IS_DELETED', 'entity is deleted', []);
  return record;
}

/** A record as `GET /sobjects/{type}/{id}` returns it. */
export function serialiseRecord(
  record: SfRecord,
  def: SfObjectDef,
  urlPrefix: string,
  fields?: string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    attributes: { type: record.type, url: `${urlPrefix}/sobjects/${record.type}/${record.id}` },
  };
  const names = fields ?? [...def.fields.keys()];
  for (const name of names) {
    const f = [...def.fields.values()].find((x) => x.name.toLowerCase() === name.toLowerCase());
    if (f) out[f.name] = record.fields[f.name] ?? null;
  }
  return out;
}
