import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Provider } from './providers';

export type ConnectionStatus = 'active' | 'syncing' | 'needs_reauth' | 'error';

export interface ConnectionRow {
  id: string;
  workspaceId: string;
  provider: Provider;
  status: ConnectionStatus;
  statusReason: string | null;
  externalAccount: string;
  instanceUrl: string | null;
  accessTokenEnc: string;
  refreshTokenEnc: string;
  expiresAt: Date | null;
  scopes: string[];
  fieldMap: Partial<Record<string, string>>;
  /** Minutes between scheduled pulls (5 – 1,440). */
  syncIntervalMinutes: number;
  /** Salesforce: the org's API requests used / allowed in 24 h, as last reported in `Sforce-Limit-Info`. */
  apiUsageUsed: number | null;
  apiUsageLimit: number | null;
  apiUsageAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `id, workspace_id AS "workspaceId", provider, status, status_reason AS "statusReason",
  external_account AS "externalAccount", instance_url AS "instanceUrl", access_token_enc AS "accessTokenEnc",
  refresh_token_enc AS "refreshTokenEnc", expires_at AS "expiresAt", scopes, field_map AS "fieldMap", created_at AS "createdAt",
  updated_at AS "updatedAt", sync_interval_minutes AS "syncIntervalMinutes", api_usage_used AS "apiUsageUsed",
  api_usage_limit AS "apiUsageLimit", api_usage_at AS "apiUsageAt"`;

@Injectable()
export class ConnectionsRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(work);
  }

  async saveState(s: {
    stateHash: string;
    workspaceId: string;
    provider: Provider;
    userId: string;
    codeVerifierEnc: string | null;
    expiresAt: Date;
  }) {
    await this.ds.query(
      `INSERT INTO oauth_states (state_hash, workspace_id, provider, user_id, code_verifier_enc, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [s.stateHash, s.workspaceId, s.provider, s.userId, s.codeVerifierEnc, s.expiresAt],
    );
  }

  /** Single use: the state is deleted as it is read. */
  async takeState(stateHash: string, provider: Provider) {
    const [rows] = await this.ds.query(
      `DELETE FROM oauth_states WHERE state_hash = $1 AND provider = $2
       RETURNING workspace_id AS "workspaceId", user_id AS "userId", code_verifier_enc AS "codeVerifierEnc", expires_at AS "expiresAt"`,
      [stateHash, provider],
    );
    return (rows[0] ?? null) as {
      workspaceId: string;
      userId: string;
      codeVerifierEnc: string | null;
      expiresAt: Date;
    } | null;
  }

  async upsert(
    c: Omit<
      ConnectionRow,
      | 'id'
      | 'createdAt'
      | 'updatedAt'
      | 'statusReason'
      | 'status'
      | 'fieldMap'
      | 'syncIntervalMinutes'
      | 'apiUsageUsed'
      | 'apiUsageLimit'
      | 'apiUsageAt'
    > & {
      connectedBy: string;
    },
  ): Promise<ConnectionRow> {
    const [row] = await this.ds.query(
      `INSERT INTO crm_connections (workspace_id, provider, status, external_account, instance_url, access_token_enc,
                                    refresh_token_enc, expires_at, scopes, connected_by)
       VALUES ($1, $2, 'active', $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (workspace_id, provider) DO UPDATE SET status = 'active', status_reason = NULL,
         external_account = EXCLUDED.external_account, instance_url = EXCLUDED.instance_url,
         access_token_enc = EXCLUDED.access_token_enc, refresh_token_enc = EXCLUDED.refresh_token_enc,
         expires_at = EXCLUDED.expires_at, scopes = EXCLUDED.scopes, connected_by = EXCLUDED.connected_by, updated_at = now()
       RETURNING ${COLUMNS}`,
      [
        c.workspaceId,
        c.provider,
        c.externalAccount,
        c.instanceUrl,
        c.accessTokenEnc,
        c.refreshTokenEnc,
        c.expiresAt,
        c.scopes,
        c.connectedBy,
      ],
    );
    return row;
  }

  list(workspaceId: string): Promise<ConnectionRow[]> {
    return this.ds.query(`SELECT ${COLUMNS} FROM crm_connections WHERE workspace_id = $1 ORDER BY provider`, [
      workspaceId,
    ]);
  }

  async get(
    workspaceId: string,
    id: string,
    em: EntityManager = this.ds.manager,
    lock = false,
  ): Promise<ConnectionRow | null> {
    const [row] = await em.query(
      `SELECT ${COLUMNS} FROM crm_connections WHERE workspace_id = $1 AND id = $2 ${lock ? 'FOR UPDATE' : ''}`,
      [workspaceId, id],
    );
    return row ?? null;
  }

  async setTokens(
    id: string,
    t: {
      accessTokenEnc: string;
      refreshTokenEnc: string;
      expiresAt: Date | null;
      instanceUrl?: string | null;
    },
    em: EntityManager,
  ) {
    await em.query(
      `UPDATE crm_connections SET access_token_enc = $2, refresh_token_enc = $3, expires_at = $4,
              instance_url = COALESCE($5, instance_url), status = 'active', status_reason = NULL, updated_at = now()
        WHERE id = $1`,
      [id, t.accessTokenEnc, t.refreshTokenEnc, t.expiresAt, t.instanceUrl ?? null],
    );
  }

  async setStatus(id: string, status: ConnectionStatus, reason: string | null): Promise<void> {
    await this.ds.query(
      `UPDATE crm_connections SET status = $2, status_reason = $3, updated_at = now() WHERE id = $1`,
      [id, status, reason],
    );
  }

  async setFieldMap(workspaceId: string, id: string, map: Record<string, string>): Promise<void> {
    await this.ds.query(
      `UPDATE crm_connections SET field_map = $3, updated_at = now() WHERE workspace_id = $1 AND id = $2`,
      [workspaceId, id, JSON.stringify(map)],
    );
  }

  async setSyncInterval(workspaceId: string, id: string, minutes: number): Promise<void> {
    await this.ds.query(
      `UPDATE crm_connections SET sync_interval_minutes = $3, updated_at = now() WHERE workspace_id = $1 AND id = $2`,
      [workspaceId, id, minutes],
    );
  }

  /** What the CRM last said about the org's API allowance (Salesforce `Sforce-Limit-Info`). */
  async setApiUsage(id: string, used: number, limit: number): Promise<void> {
    await this.ds.query(
      `UPDATE crm_connections SET api_usage_used = $2, api_usage_limit = $3, api_usage_at = now() WHERE id = $1`,
      [id, used, limit],
    );
  }

  async remove(workspaceId: string, id: string): Promise<void> {
    await this.ds.query(`DELETE FROM crm_connections WHERE workspace_id = $1 AND id = $2`, [workspaceId, id]);
  }
}
