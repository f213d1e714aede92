import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface SourceRow {
  id: string;
  workspaceId: string;
  name: string;
  writeKeyHint: string;
  webhookSecretEnc: string;
  createdAt: Date;
  rotatedAt: Date | null;
  revokedAt: Date | null;
}

const COLUMNS = `id, workspace_id AS "workspaceId", name, write_key_hint AS "writeKeyHint",
  webhook_secret_enc AS "webhookSecretEnc", created_at AS "createdAt", rotated_at AS "rotatedAt", revoked_at AS "revokedAt"`;

@Injectable()
export class SourcesRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  async create(input: {
    workspaceId: string;
    name: string;
    writeKeyHash: string;
    writeKeyHint: string;
    webhookSecretEnc: string;
  }): Promise<SourceRow> {
    const [row] = await this.ds.query(
      `INSERT INTO segment_sources (workspace_id, name, write_key_hash, write_key_hint, webhook_secret_enc)
       VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      [input.workspaceId, input.name, input.writeKeyHash, input.writeKeyHint, input.webhookSecretEnc],
    );
    return row;
  }

  list(workspaceId: string): Promise<SourceRow[]> {
    return this.ds.query(
      `SELECT ${COLUMNS} FROM segment_sources WHERE workspace_id = $1 ORDER BY created_at`,
      [workspaceId],
    );
  }

  async get(workspaceId: string, id: string): Promise<SourceRow | null> {
    const [row] = await this.ds.query(
      `SELECT ${COLUMNS} FROM segment_sources WHERE workspace_id = $1 AND id = $2`,
      [workspaceId, id],
    );
    return row ?? null;
  }

  /** The write key is the credential: it alone finds its source, and only while not revoked. */
  async findActiveByKeyHash(hash: string): Promise<SourceRow | null> {
    const [row] = await this.ds.query(
      `SELECT ${COLUMNS} FROM segment_sources WHERE write_key_hash = $1 AND revoked_at IS NULL`,
      [hash],
    );
    return row ?? null;
  }

  async findActiveById(id: string): Promise<SourceRow | null> {
    const [row] = await this.ds.query(
      `SELECT ${COLUMNS} FROM segment_sources WHERE id = $1 AND revoked_at IS NULL`,
      [id],
    );
    return row ?? null;
  }

  async rotate(
    workspaceId: string,
    id: string,
    writeKeyHash: string,
    writeKeyHint: string,
  ): Promise<SourceRow | null> {
    const [rows] = await this.ds.query(
      `UPDATE segment_sources SET write_key_hash = $3, write_key_hint = $4, rotated_at = now()
        WHERE workspace_id = $1 AND id = $2 AND revoked_at IS NULL RETURNING ${COLUMNS}`,
      [workspaceId, id, writeKeyHash, writeKeyHint],
    );
    return rows[0] ?? null;
  }

  async revoke(workspaceId: string, id: string): Promise<boolean> {
    const [, count] = await this.ds.query(
      `UPDATE segment_sources SET revoked_at = now() WHERE workspace_id = $1 AND id = $2 AND revoked_at IS NULL`,
      [workspaceId, id],
    );
    return count > 0;
  }
}
