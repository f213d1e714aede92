import { Client as HubSpotClient } from '@hubspot/api-client';
import { Inject, Injectable } from '@nestjs/common';
import { Connection } from 'jsforce';
import { DataSource } from 'typeorm';
import type { CairnConfig } from '../../config/config';
import { CONFIG } from '../../config/config.module';
import { ConnectionsService } from '../connections/connections.service';
import { BUDGETS, RateBudget } from '../connections/rate-budget';

/** The prospect's record in a connected CRM, as the last sync saw it. */
export interface CrmTarget {
  connectionId: string;
  provider: 'hubspot' | 'salesforce';
  objectType: string;
  recordId: string;
  ownerId: string | null;
}

export type CrmOutcome = { status: 'done' | 'skipped' | 'failed'; detail: string; retryable?: boolean };

/** HubSpot's built-in task → contact association. */
const HUBSPOT_TASK_TO_CONTACT = 204;

/**
 * CRM actions of journeys, through the connections module's tokens and shared rate budgets: a task for the owner
 * of the prospect's record, and setting a field on it. With no connection, or no record of this prospect, the
 * action is recorded as skipped, never as done.
 */
@Injectable()
export class JourneyCrm {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(ConnectionsService) private readonly connections: ConnectionsService,
    @Inject(RateBudget) private readonly budget: RateBudget,
    @Inject(CONFIG) private readonly config: CairnConfig,
  ) {}

  async target(workspaceId: string, profileId: string): Promise<CrmTarget | CrmOutcome> {
    const connections: { id: string; status: string }[] = await this.ds.query(
      `SELECT id, status FROM crm_connections WHERE workspace_id = $1`,
      [workspaceId],
    );
    if (!connections.length) return { status: 'skipped', detail: 'skipped: no CRM connection' };
    // The record in a usable connection first; one in a connection that lost its grant still says why.
    const [row] = await this.ds.query(
      `SELECT o.connection_id AS "connectionId", c.provider, o.object_type AS "objectType", o.external_id AS "recordId",
              COALESCE(o.owner_id, o.properties->>'hubspot_owner_id', o.properties->>'OwnerId') AS "ownerId",
              c.status = 'needs_reauth' AS "needsReauth"
         FROM crm_objects o JOIN crm_connections c ON c.id = o.connection_id
        WHERE o.workspace_id = $1 AND o.profile_id = $2 AND o.object_type IN ('contacts', 'Contact', 'Lead')
          AND NOT o.archived
        ORDER BY c.status = 'needs_reauth', o.object_type = 'Lead', o.synced_at DESC LIMIT 1`,
      [workspaceId, profileId],
    );
    const usable = connections.some((c) => c.status !== 'needs_reauth');
    if (row?.needsReauth || (!row && !usable)) {
      return { status: 'skipped', detail: 'skipped: the CRM connection needs to be authorised again' };
    }
    if (!row)
      return { status: 'skipped', detail: 'skipped: this prospect has no record in the connected CRM' };
    const { connectionId, provider, objectType, recordId, ownerId } = row;
    return { connectionId, provider, objectType, recordId, ownerId };
  }

  async createTask(
    workspaceId: string,
    t: CrmTarget,
    task: { subject: string; notes: string | null; dueInDays: number; idempotencyKey: string },
  ): Promise<CrmOutcome> {
    const due = new Date(Date.now() + task.dueInDays * 86_400_000);
    const token = await this.connections.accessToken(workspaceId, t.connectionId);
    if (t.provider === 'hubspot') {
      await this.budget.acquire(t.connectionId, BUDGETS.hubspot);
      const created = await this.hubspot(token.accessToken).crm.objects.tasks.basicApi.create({
        properties: {
          hs_task_subject: task.subject,
          hs_task_body: task.notes ?? '',
          hs_timestamp: due.toISOString(),
          hs_task_status: 'NOT_STARTED',
          ...(t.ownerId ? { hubspot_owner_id: t.ownerId } : {}),
        },
        associations: [
          {
            to: { id: t.recordId },
            types: [
              { associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: HUBSPOT_TASK_TO_CONTACT },
            ],
          },
        ],
      });
      return { status: 'done', detail: `HubSpot task ${created.id} for owner ${t.ownerId ?? '(none)'}` };
    }
    await this.budget.acquire(t.connectionId, BUDGETS.salesforce);
    const conn = new Connection({
      instanceUrl: token.instanceUrl!,
      accessToken: token.accessToken,
      version: '60.0',
    });
    const result = await conn.sobject('Task').create({
      Subject: task.subject.slice(0, 255),
      Description: task.notes ?? undefined,
      ActivityDate: due.toISOString().slice(0, 10),
      WhoId: t.recordId,
      Status: 'Not Started',
      ...(t.ownerId ? { OwnerId: t.ownerId } : {}),
    });
    if (!result.success) {
      const errors = (result as { errors?: { message?: string }[] }).errors ?? [];
      return {
        status: 'failed',
        detail: `Salesforce refused the task: ${errors.map((e) => e.message).join('; ')}`,
      };
    }
    return { status: 'done', detail: `Salesforce Task ${result.id} for owner ${t.ownerId ?? '(none)'}` };
  }

  async setField(
    workspaceId: string,
    t: CrmTarget,
    field: string,
    value: string | number | boolean | null,
  ): Promise<CrmOutcome> {
    const token = await this.connections.accessToken(workspaceId, t.connectionId);
    if (t.provider === 'hubspot') {
      await this.budget.acquire(t.connectionId, BUDGETS.hubspot);
      await this.hubspot(token.accessToken).crm.contacts.basicApi.update(t.recordId, {
        properties: { [field]: value === null ? '' : String(value) },
      });
      return { status: 'done', detail: `HubSpot contact ${t.recordId}: ${field} set` };
    }
    await this.budget.acquire(t.connectionId, BUDGETS.salesforce);
    const conn = new Connection({
      instanceUrl: token.instanceUrl!,
      accessToken: token.accessToken,
      version: '60.0',
    });
    const result = await conn.sobject(t.objectType).update({ Id: t.recordId, [field]: value });
    if (!result.success) {
      const errors = (result as { errors?: { message?: string }[] }).errors ?? [];
      return {
        status: 'failed',
        detail: `Salesforce refused the update: ${errors.map((e) => e.message).join('; ')}`,
      };
    }
    return { status: 'done', detail: `Salesforce ${t.objectType} ${t.recordId}: ${field} set` };
  }

  private hubspot(accessToken: string) {
    const hubspot = this.config.crm.hubspot;
    return new HubSpotClient({
      ...(hubspot ? { basePath: hubspot.apiUrl } : {}),
      accessToken,
      numberOfApiCallRetries: 0,
    });
  }
}

/** A CRM answer that will not change on retry (bad field, no permission) versus one worth retrying. */
export function crmErrorIsPermanent(e: unknown): boolean {
  const code =
    (e as { code?: number; statusCode?: number }).code ?? (e as { statusCode?: number }).statusCode;
  if (typeof code === 'number') return code >= 400 && code < 500 && code !== 408 && code !== 429;
  const sf = (e as { errorCode?: string }).errorCode;
  return (
    typeof sf === 'string' &&
    !['REQUEST_LIMIT_EXCEEDED', 'INVALID_SESSION_ID', 'SERVER_UNAVAILABLE'].includes(sf)
  );
}
