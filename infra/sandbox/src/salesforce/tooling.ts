/**
 * Tooling API: create / read / delete `CustomField` (the field then appears in the object's describe
 * and is usable in SOQL and writes) and `GET /tooling/query` over CustomField.
 */
import { type Express } from 'express';
import { type SfContext, NOT_FOUND, apiVersion, sfError, sfRoute } from './http';
import { isValidId } from './ids';
import { runQuery, queryMore } from './rest';
import {
  type SfField,
  type SfFieldType,
  type SfObjectDef,
  CUSTOM_FIELD_TYPES,
  customField,
  picklist,
} from './schema';
import { SoqlError, type SoqlSource, type SoqlRecord, sfDateTime } from './soql';
import { type SfRecord } from './store';

const FIELD_NAME_RE = /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*[A-Za-z0-9]__c$|^[A-Za-z]__c$/;

/** The Tooling `CustomField` entity as a queryable sObject. */
function customFieldEntity(): SfObjectDef {
  const f = (name: string, type: SfFieldType, extra: Partial<SfField> = {}): SfField =>
    ({ ...customField(name, name, type), custom: false, ...extra }) as SfField;
  const fields = new Map<string, SfField>();
  for (const x of [
    f('Id', 'id'),
    f('DeveloperName', 'string'),
    f('TableEnumOrId', 'string'),
    f('NamespacePrefix', 'string'),
    f('FullName', 'string'),
    f('Description', 'string'),
    f('InlineHelpText', 'string'),
    f('CreatedDate', 'datetime'),
    f('LastModifiedDate', 'datetime'),
  ]) {
    fields.set(x.name, x);
  }
  return {
    name: 'CustomField',
    label: 'Custom Field Definition',
    labelPlural: 'Custom Field Definitions',
    keyPrefix: '00N',
    fields,
    createable: true,
    updateable: true,
    deletable: true,
    replicateable: false,
    hasOwner: false,
  };
}

export function registerTooling(app: Express, ctx: SfContext): void {
  const { store } = ctx;
  const entity = customFieldEntity();
  const source: SoqlSource = {
    object: (name) => (name.toLowerCase() === 'customfield' ? entity : undefined),
    rows: () => [...store.customFields.values()],
    byId: (id) => store.customFields.get(id) as SoqlRecord | undefined,
    now: () => store.now(),
  };

  sfRoute(app, ctx, 'post', '/services/data/:version/tooling/sobjects/CustomField', (req, res) => {
    apiVersion(req);
    const b = (req.body ?? {}) as Record<string, unknown>;
    const fullName = typeof b.FullName === 'string' ? b.FullName : '';
    const meta = (b.Metadata ?? {}) as Record<string, unknown>;
    const m = /^([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)$/.exec(fullName);
    if (!m)
      throw sfError(400, 'FIELD_INTEGRITY_EXCEPTION', 'FullName must be of the form Object.Field__c', [
        'FullName',
      ]);
    const def = store.object(m[1] as string);
    if (!def) throw sfError(400, 'INVALID_TYPE', `Cannot find entity: ${m[1]}`, ['FullName']);
    const apiName = m[2] as string;
    if (!FIELD_NAME_RE.test(apiName)) {
      throw sfError(
        400,
        'FIELD_INTEGRITY_EXCEPTION',
        `The field name ${apiName} is invalid: it must end in __c, begin with a letter, use only alphanumerics and single underscores, and not end with an underscore before the suffix.`,
        ['FullName'],
      );
    }
    const developerName = apiName.slice(0, -3);
    if (store.field(def, apiName)) {
      throw sfError(
        400,
        'DUPLICATE_DEVELOPER_NAME',
        `There is already a field named ${developerName} on ${def.name}.`,
        [],
      );
    }
    const label = typeof meta.label === 'string' ? meta.label.trim() : '';
    if (!label)
      throw sfError(
        400,
        'FIELD_INTEGRITY_EXCEPTION',
        'Must specify a non-empty label for the CustomField',
        [],
      );
    const mdType = String(meta.type ?? '');
    const type = CUSTOM_FIELD_TYPES[mdType];
    if (!type)
      throw sfError(
        400,
        'FIELD_INTEGRITY_EXCEPTION',
        `Must specify a valid type. '${mdType}' is not supported.`,
        [],
      );
    const spec: Partial<SfField> = {
      externalId: meta.externalId === true,
      unique: meta.unique === true,
      required: meta.required === true,
      nillable: meta.required !== true && type !== 'boolean',
    };
    if (mdType === 'Text') {
      const length = Number(meta.length);
      if (!Number.isInteger(length) || length < 1 || length > 255) {
        throw sfError(
          400,
          'FIELD_INTEGRITY_EXCEPTION',
          'Length must be an integer between 1 and 255 for a Text field',
          [],
        );
      }
      spec.length = length;
    } else if (mdType === 'LongTextArea') {
      const length = Number(meta.length ?? 32768);
      if (!Number.isInteger(length) || length < 256 || length > 131072) {
        throw sfError(
          400,
          'FIELD_INTEGRITY_EXCEPTION',
          'Length must be between 256 and 131,072 for a Long Text Area',
          [],
        );
      }
      spec.length = length;
    } else if (mdType === 'TextArea') {
      spec.length = 255;
    } else if (mdType === 'Number' || mdType === 'Percent' || mdType === 'Currency') {
      const precision = Number(meta.precision ?? 18);
      const scale = Number(meta.scale ?? 0);
      if (
        !Number.isInteger(precision) ||
        precision < 1 ||
        precision > 18 ||
        !Number.isInteger(scale) ||
        scale < 0 ||
        scale > precision
      ) {
        throw sfError(
          400,
          'FIELD_INTEGRITY_EXCEPTION',
          'Precision must be 1–18 and scale between 0 and the precision',
          [],
        );
      }
      spec.precision = precision;
      spec.scale = scale;
    } else if (mdType === 'Checkbox') {
      spec.defaultValue = String(meta.defaultValue ?? 'false').toLowerCase() === 'true';
      spec.defaultedOnCreate = true;
    } else if (mdType === 'Picklist') {
      const valueSet = (meta.valueSet ?? {}) as {
        valueSetDefinition?: { value?: Array<{ fullName?: string; label?: string; default?: boolean }> };
      };
      const values = valueSet.valueSetDefinition?.value ?? [];
      if (!values.length)
        throw sfError(400, 'FIELD_INTEGRITY_EXCEPTION', 'A picklist needs at least one value', []);
      const names = values.map((v) => String(v.fullName ?? v.label ?? ''));
      spec.picklistValues = picklist(names, values.find((v) => v.default)?.fullName).map((p, i) => ({
        ...p,
        label: String(values[i]?.label ?? p.value),
      }));
    }
    const fieldDef = customField(apiName, label, type, spec);
    store.addCustomField(def.name, fieldDef);
    const now = store.now();
    const id = store.nextId('00N');
    const record: SfRecord = {
      id,
      type: 'CustomField',
      fields: {
        Id: id,
        DeveloperName: developerName,
        TableEnumOrId: def.name,
        NamespacePrefix: null,
        FullName: `${def.name}.${apiName}`,
        Description: typeof meta.description === 'string' ? meta.description : null,
        InlineHelpText: typeof meta.inlineHelpText === 'string' ? meta.inlineHelpText : null,
        CreatedDate: sfDateTime(now),
        LastModifiedDate: sfDateTime(now),
      },
    };
    (record as SfRecord & { metadata: unknown }).metadata = { ...meta, fullName: undefined };
    store.customFields.set(id, record);
    res.status(201).json({ id, success: true, errors: [], warnings: [], infos: [] });
  });

  sfRoute(app, ctx, 'get', '/services/data/:version/tooling/sobjects/CustomField/:id', (req, res) => {
    const version = apiVersion(req);
    const id = String(req.params.id);
    const record = isValidId(id)
      ? [...store.customFields.values()].find((r) => r.id.slice(0, 15) === id.slice(0, 15))
      : undefined;
    if (!record) throw NOT_FOUND();
    res.json({
      attributes: {
        type: 'CustomField',
        url: `/services/data/v${version}/tooling/sobjects/CustomField/${record.id}`,
      },
      ...record.fields,
      Metadata: (record as SfRecord & { metadata?: unknown }).metadata ?? null,
    });
  });

  sfRoute(app, ctx, 'delete', '/services/data/:version/tooling/sobjects/CustomField/:id', (req, res) => {
    apiVersion(req);
    const id = String(req.params.id);
    const record = [...store.customFields.values()].find((r) => r.id.slice(0, 15) === id.slice(0, 15));
    if (!record) throw NOT_FOUND();
    const def = store.object(String(record.fields.TableEnumOrId));
    const fieldName = String(record.fields.FullName).split('.')[1] ?? '';
    def?.fields.delete(fieldName);
    store.customFields.delete(record.id);
    res.status(204).end();
  });

  sfRoute(app, ctx, 'get', '/services/data/:version/tooling/query', (req, res, session) => {
    const version = apiVersion(req);
    res.json(
      runQuery(
        ctx,
        req,
        version,
        false,
        session.userId,
        {
          source,
          afterExecute: (q, count) => {
            if (
              q.select.some((s) => s.field.name === 'FullName' || s.field.name === 'Metadata') &&
              count > 1
            ) {
              throw new SoqlError(
                'MALFORMED_QUERY',
                `When retrieving results with Metadata or FullName fields, the query qualifications must specify no more than one row for retrieval. Result size: ${count}`,
                undefined,
                q.ast.soql,
              );
            }
          },
        },
        '/tooling/query',
      ),
    );
  });

  sfRoute(app, ctx, 'get', '/services/data/:version/tooling/query/:locator', (req, res) => {
    const version = apiVersion(req);
    res.json(queryMore(ctx, req, version, '/tooling/query'));
  });
}
