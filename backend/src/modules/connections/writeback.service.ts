import { Client as HubSpotClient } from '@hubspot/api-client';
import { Inject, Injectable } from '@nestjs/common';
import { Connection } from 'jsforce';
import { DomainError } from '../../common/errors/domain-error';
import type { CairnConfig } from '../../config/config';
import { CONFIG } from '../../config/config.module';
import { ConnectionsRepository } from './connections.repository';
import { ConnectionsService } from './connections.service';
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

  /** Writes values (or clears them, for `values: null`); returns how many records the CRM accepted. */
  async write(
    workspaceId: string,
    connectionId: string,
    updates: WriteBackUpdate[],
  ): Promise<{ written: number; failed: { recordId: string; reason: string }[] }> {
    const c = await this.repo.get(workspaceId, connectionId);
    if (!c) throw new DomainError('connections.not_found', 'No such connection in this workspace.');
    const token = await this.connections.accessToken(workspaceId, connectionId);
    const take = async () => {
      await this.budget.acquire(c.id, BUDGETS[c.provider]);
    };
    return c.provider === 'hubspot'
      ? this.hubspotWrite(token.accessToken, updates, c.fieldMap, take)
      : this.salesforceWrite(token, updates, c.fieldMap, take);
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

  private hubspot(accessToken: string) {
    return new HubSpotClient({
      basePath: this.config.crm.hubspot!.apiUrl,
      accessToken,
      numberOfApiCallRetries: 3,
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

  private async hubspotWrite(
    accessToken: string,
    updates: WriteBackUpdate[],
    map: FieldMap,
    take: () => Promise<void>,
  ) {
    const client = this.hubspot(accessToken);
    const failed: { recordId: string; reason: string }[] = [];
    let written = 0;
    for (let i = 0; i < updates.length; i += HUBSPOT_BATCH) {
      const slice = updates.slice(i, i + HUBSPOT_BATCH);
      const inputs = slice.map((u) => ({ id: u.recordId, properties: hubspotProperties(u.values, map) }));
      try {
        await take();
        const res = await client.crm.contacts.batchApi.update({ inputs });
        written += res.results.length;
        for (const e of (res as { errors?: { message: string; context?: { ids?: string[] } }[] }).errors ??
          []) {
          for (const id of e.context?.ids ?? []) failed.push({ recordId: id, reason: e.message });
        }
      } catch (e) {
        const message = (e as { body?: { message?: string } }).body?.message ?? (e as Error).message;
        for (const u of slice) failed.push({ recordId: u.recordId, reason: message });
      }
    }
    return { written, failed };
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

  private async salesforceWrite(
    token: { accessToken: string; instanceUrl: string | null },
    updates: WriteBackUpdate[],
    map: FieldMap,
    take: () => Promise<void>,
  ) {
    const conn = new Connection({ instanceUrl: token.instanceUrl!, accessToken: token.accessToken });
    const failed: { recordId: string; reason: string }[] = [];
    let written = 0;
    for (const object of SALESFORCE_OBJECTS) {
      const mine = updates.filter((u) => (u.object ?? 'Contact') === object);
      for (let i = 0; i < mine.length; i += SALESFORCE_BATCH) {
        const slice = mine.slice(i, i + SALESFORCE_BATCH);
        await take();
        const results = await conn.sobject(object).update(
          slice.map((u) => ({ Id: u.recordId, ...salesforceFieldsOf(u.values, map) })),
          { allOrNone: false },
        );
        results.forEach((r, k) => {
          if (r.success) written++;
          else
            failed.push({
              recordId: slice[k]!.recordId,
              reason: JSON.stringify((r as { errors?: unknown }).errors ?? 'failed'),
            });
        });
      }
    }
    return { written, failed };
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
