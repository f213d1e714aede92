import { Client as HubSpotClient } from '@hubspot/api-client';
import { Inject, Injectable } from '@nestjs/common';
import { Connection } from 'jsforce';
import { DomainError } from '../../common/errors/domain-error';
import type { CairnConfig } from '../../config/config';
import { CONFIG } from '../../config/config.module';
import { ConnectionsRepository, type ConnectionRow } from './connections.repository';
import { ConnectionsService } from './connections.service';
import {
  hubspotBatch,
  salesforceBulk,
  salesforceCollection,
  WriteSessionExpired,
  type SliceResult,
  type WriteFailure,
} from './crm-writes';
import type { Provider } from './providers';
import { BUDGETS, RateBudget } from './rate-budget';
import {
  fieldValues,
  HUBSPOT_FIELDS,
  HUBSPOT_GROUP,
  SALESFORCE_FIELDS,
  SALESFORCE_OBJECTS,
  type CairnField,
  type WriteBackValues,
} from './crm-fields';

/** HubSpot batch endpoints take 100 inputs; Salesforce sObject Collections take 200 records. */
const HUBSPOT_BATCH = 100;
const SALESFORCE_BATCH = 200;
/** Rows per Bulk API 2.0 job (one object each); far below the 150 MB upload limit. */
export const BULK_JOB_MAX = 10_000;

export interface WriteOptions {
  /** Send Salesforce records as Bulk API 2.0 jobs. */
  bulk?: boolean;
  /** Once the CRM says to slow down, report the rest as waiting instead of sending it. */
  stopOnRateLimit?: boolean;
  /** False: no retries inside the HubSpot client (the caller retries, e.g. the outbox). */
  clientRetries?: boolean;
  bulkPollIntervalMs?: number;
  bulkPollTimeoutMs?: number;
}

interface Slice {
  object: string;
  updates: WriteBackUpdate[];
  bulk: boolean;
}

export interface WriteBackUpdate {
  /** The CRM record id (HubSpot contact id; Salesforce Contact or Lead id). */
  recordId: string;
  /** Salesforce only: which object the id belongs to. */
  object?: 'Contact' | 'Lead';
  values: WriteBackValues | null;
}

/**
 * Puts Cairn's stage, risk and reasons where sales reps work: creates the fields once (idempotent: "already
 * exists" is success), then writes in the largest batches each CRM accepts.
 */
@Injectable()
export class WriteBackService {
  constructor(
    @Inject(ConnectionsService) private readonly connections: ConnectionsService,
    @Inject(ConnectionsRepository) private readonly repo: ConnectionsRepository,
    @Inject(CONFIG) private readonly config: CairnConfig,
    @Inject(RateBudget) private readonly budget: RateBudget,
  ) {}

  /** Right after connecting: Cairn's fields exist from the start, so write-back never waits on an admin. */
  async prepare(workspaceId: string, connectionId: string): Promise<void> {
    try {
      await this.ensureFields(workspaceId, connectionId);
    } catch (e) {
      await this.repo.setStatus(
        connectionId,
        'error',
        `Could not create Cairn's fields: ${(e as Error).message}`,
      );
    }
  }

  async ensureFields(workspaceId: string, connectionId: string): Promise<string[]> {
    const c = await this.repo.get(workspaceId, connectionId);
    if (!c) throw new DomainError('connections.not_found', 'No such connection in this workspace.');
    const token = await this.connections.accessToken(workspaceId, connectionId);
    return c.provider === 'hubspot' ? this.hubspotFields(token.accessToken) : this.salesforceFields(token);
  }

  /**
   * Writes values (or clears them, for `values: null`); returns how many records the CRM accepted and the ones it
   * did not, each with whether and when to try again. A token refused mid-write is refreshed once per slice.
   * `bulk` sends Salesforce records through Bulk API 2.0 jobs instead of Collections calls; `stopOnRateLimit`
   * leaves the rest unsent (reported with the advised wait) once the CRM says to slow down.
   */
  async write(
    workspaceId: string,
    connectionId: string,
    updates: WriteBackUpdate[],
    options: WriteOptions = {},
  ): Promise<{ written: number; failed: WriteFailure[] }> {
    const c = await this.repo.get(workspaceId, connectionId);
    if (!c) throw new DomainError('connections.not_found', 'No such connection in this workspace.');
    let token = await this.connections.accessToken(workspaceId, connectionId);
    const slices = this.slices(c.provider, updates, options.bulk === true);
    const out = { written: 0, failed: [] as WriteFailure[] };
    for (let i = 0; i < slices.length; i++) {
      const slice = slices[i]!;
      let r: SliceResult;
      try {
        r = await this.writeSlice(c, token, slice, options);
      } catch (e) {
        if (!(e instanceof WriteSessionExpired)) throw e;
        token = await this.connections.accessToken(workspaceId, connectionId, true);
        r = await this.writeSlice(c, token, slice, options).catch((again: Error) => ({
          written: 0,
          failed: slice.updates.map((u) => ({
            recordId: u.recordId,
            reason: again.message,
            retryable: true,
          })),
        }));
      }
      out.written += r.written;
      out.failed.push(...r.failed);
      const limited = r.failed.find((f) => f.retryAfterMs !== undefined);
      if (limited && options.stopOnRateLimit) {
        for (const rest of slices.slice(i + 1)) {
          for (const u of rest.updates)
            out.failed.push({
              recordId: u.recordId,
              reason: limited.reason,
              retryAfterMs: limited.retryAfterMs,
            });
        }
        break;
      }
    }
    return out;
  }

  private slices(provider: Provider, updates: WriteBackUpdate[], bulk: boolean): Slice[] {
    const out: Slice[] = [];
    const objects = provider === 'hubspot' ? (['contacts'] as const) : SALESFORCE_OBJECTS;
    const size = provider === 'hubspot' ? HUBSPOT_BATCH : bulk ? BULK_JOB_MAX : SALESFORCE_BATCH;
    for (const object of objects) {
      const mine =
        provider === 'hubspot' ? updates : updates.filter((u) => (u.object ?? 'Contact') === object);
      for (let i = 0; i < mine.length; i += size)
        out.push({ object, updates: mine.slice(i, i + size), bulk: provider === 'salesforce' && bulk });
    }
    return out;
  }

  private async writeSlice(
    c: ConnectionRow,
    token: { accessToken: string; instanceUrl: string | null },
    slice: Slice,
    options: WriteOptions,
  ): Promise<SliceResult> {
    if (c.provider === 'hubspot') {
      // The API object is taken at once: the client's retry settings are process-wide and set by `new Client`.
      const api = this.hubspot(token.accessToken, options.clientRetries === false ? 0 : 3).crm.contacts
        .batchApi;
      await this.budget.acquire(c.id, BUDGETS.hubspot);
      return hubspotBatch(
        api,
        slice.updates.map((u) => ({ id: u.recordId, properties: hubspotProperties(u.values, c.fieldMap) })),
      );
    }
    const conn = new Connection({
      instanceUrl: token.instanceUrl!,
      accessToken: token.accessToken,
      version: '60.0',
    });
    const records = slice.updates.map((u) => ({
      Id: u.recordId,
      ...salesforceFieldsOf(u.values, c.fieldMap),
    }));
    // Collections: one call. Bulk: create, upload, close, three result reads; polls come on top.
    await this.budget.acquire(c.id, BUDGETS.salesforce, slice.bulk ? 6 : 1);
    try {
      return slice.bulk
        ? await salesforceBulk(conn, slice.object, records, {
            pollIntervalMs: options.bulkPollIntervalMs ?? 1_000,
            pollTimeoutMs: options.bulkPollTimeoutMs ?? 10 * 60_000,
          })
        : await salesforceCollection(conn, slice.object, records);
    } finally {
      const usage = (conn.limitInfo as { apiUsage?: { used: number; limit: number } }).apiUsage;
      if (usage) await this.repo.setApiUsage(c.id, usage.used, usage.limit);
    }
  }

  /** Cairn's values and where each is written: its own field, or an existing one the admin chose. */
  async fieldMapping(workspaceId: string, connectionId: string) {
    const c = await this.repo.get(workspaceId, connectionId);
    if (!c) throw new DomainError('connections.not_found', 'No such connection in this workspace.');
    const token = await this.connections.accessToken(workspaceId, connectionId);
    const available =
      c.provider === 'hubspot'
        ? await this.hubspotAvailable(token.accessToken)
        : await this.salesforceAvailable(token);
    const fields = (Object.keys(HUBSPOT_FIELDS) as CairnField[]).map((key) => ({
      key,
      label: HUBSPOT_FIELDS[key].label,
      cairnField: c.provider === 'hubspot' ? HUBSPOT_FIELDS[key].name : SALESFORCE_FIELDS[key].apiName,
      mappedTo: c.fieldMap[key] ?? null,
    }));
    return { fields, available };
  }

  /** Points Cairn's values at existing CRM fields (null: back to Cairn's own); each must exist and fit. */
  async setFieldMapping(
    workspaceId: string,
    connectionId: string,
    map: Partial<Record<CairnField, string | null>>,
  ) {
    const current = await this.fieldMapping(workspaceId, connectionId);
    const byName = new Map(current.available.map((f) => [f.name, f]));
    const next: Record<string, string> = {};
    const problems: string[] = [];
    for (const f of current.fields) {
      const chosen = f.key in map ? map[f.key] : f.mappedTo;
      if (!chosen) continue;
      const target = byName.get(chosen);
      if (!target) problems.push(`${f.label}: there is no writable field named ${chosen}`);
      else if (f.key === 'risk' && target.kind !== 'number')
        problems.push(`${f.label}: ${chosen} is not a number field`);
      else next[f.key] = chosen;
    }
    if (problems.length)
      throw new DomainError('validation.failed', 'Some fields cannot take these values.', problems);
    await this.repo.setFieldMap(workspaceId, connectionId, next);
    return this.fieldMapping(workspaceId, connectionId);
  }

  private async hubspotAvailable(accessToken: string) {
    const res = await this.hubspot(accessToken).crm.properties.coreApi.getAll('contacts');
    return res.results
      .filter((p) => !p.modificationMetadata?.readOnlyValue)
      .map((p) => ({ name: p.name, label: p.label, kind: p.type === 'number' ? 'number' : 'text' }));
  }

  private async salesforceAvailable(token: { accessToken: string; instanceUrl: string | null }) {
    const conn = new Connection({ instanceUrl: token.instanceUrl!, accessToken: token.accessToken });
    const described = await conn.sobject('Contact').describe();
    return described.fields
      .filter((f) => f.updateable)
      .map((f) => ({
        name: f.name,
        label: f.label,
        kind: ['double', 'int', 'percent', 'currency'].includes(f.type) ? 'number' : 'text',
      }));
  }

  private hubspot(accessToken: string, numberOfApiCallRetries = 3) {
    return new HubSpotClient({
      basePath: this.config.crm.hubspot!.apiUrl,
      accessToken,
      numberOfApiCallRetries,
    });
  }

  private async hubspotFields(accessToken: string): Promise<string[]> {
    const client = this.hubspot(accessToken);
    const created: string[] = [];
    await ignoreConflict(() => client.crm.properties.groupsApi.create('contacts', HUBSPOT_GROUP)).then(
      (made) => made && created.push(`group ${HUBSPOT_GROUP.name}`),
    );
    for (const f of Object.values(HUBSPOT_FIELDS)) {
      const made = await ignoreConflict(() =>
        client.crm.properties.coreApi.create('contacts', {
          name: f.name,
          label: f.label,
          type: f.type as never,
          fieldType: f.fieldType as never,
          groupName: HUBSPOT_GROUP.name,
          description: f.description,
        }),
      );
      if (made) created.push(f.name);
    }
    return created;
  }

  private async salesforceFields(token: {
    accessToken: string;
    instanceUrl: string | null;
  }): Promise<string[]> {
    const conn = new Connection({ instanceUrl: token.instanceUrl!, accessToken: token.accessToken });
    const created: string[] = [];
    for (const object of SALESFORCE_OBJECTS) {
      for (const f of Object.values(SALESFORCE_FIELDS)) {
        try {
          await conn.tooling
            .sobject('CustomField')
            .create({ FullName: `${object}.${f.apiName}`, Metadata: { ...f.metadata, label: f.label } });
          created.push(`${object}.${f.apiName}`);
        } catch (e) {
          if ((e as { errorCode?: string }).errorCode !== 'DUPLICATE_DEVELOPER_NAME') throw e;
        }
      }
    }
    return created;
  }
}

type FieldMap = Partial<Record<string, string>>;

function hubspotProperties(values: WriteBackValues | null, map: FieldMap): Record<string, string> {
  const v = fieldValues(values);
  return Object.fromEntries(
    (Object.keys(HUBSPOT_FIELDS) as CairnField[]).map((k) => [
      map[k] ?? HUBSPOT_FIELDS[k].name,
      v[k] === null ? '' : String(v[k]),
    ]),
  );
}

function salesforceFieldsOf(
  values: WriteBackValues | null,
  map: FieldMap,
): Record<string, string | number | null> {
  const v = fieldValues(values);
  return Object.fromEntries(
    (Object.keys(SALESFORCE_FIELDS) as CairnField[]).map((k) => [
      map[k] ?? SALESFORCE_FIELDS[k].apiName,
      v[k],
    ]),
  );
}

/** Runs a create; true when it made something, false when it already existed (HubSpot answers 409). */
async function ignoreConflict(create: () => Promise<unknown>): Promise<boolean> {
  try {
    await create();
    return true;
  } catch (e) {
    if ((e as { code?: number }).code === 409) return false;
    throw e;
  }
}
