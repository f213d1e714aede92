import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface OutboundRow {
  writeKeyEnc: string;
  writeKeyHint: string;
  host: string;
  enabled: boolean;
  updatedAt: Date;
}

@Injectable()
export class OutboundRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  async get(workspaceId: string): Promise<OutboundRow | null> {
    const [row] = await this.ds.query(
      `SELECT write_key_enc AS "writeKeyEnc", write_key_hint AS "writeKeyHint", host, enabled, updated_at AS "updatedAt"
         FROM segment_outbound WHERE workspace_id = $1`,
      [workspaceId],
    );
    return row ?? null;
  }

  async upsert(workspaceId: string, row: Omit<OutboundRow, 'updatedAt'>): Promise<void> {
    await this.ds.query(
      `INSERT INTO segment_outbound (workspace_id, write_key_enc, write_key_hint, host, enabled) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (workspace_id) DO UPDATE SET write_key_enc = EXCLUDED.write_key_enc, write_key_hint = EXCLUDED.write_key_hint,
         host = EXCLUDED.host, enabled = EXCLUDED.enabled, updated_at = now()`,
      [workspaceId, row.writeKeyEnc, row.writeKeyHint, row.host, row.enabled],
    );
  }

  async remove(workspaceId: string): Promise<void> {
    await this.ds.query(`DELETE FROM segment_outbound WHERE workspace_id = $1`, [workspaceId]);
  }

  async consentOf(workspaceId: string, profileId: string): Promise<string | null> {
    const [row] = await this.ds.query(`SELECT consent FROM profiles WHERE workspace_id = $1 AND id = $2`, [
      workspaceId,
      profileId,
    ]);
    return row?.consent ?? null;
  }
}
