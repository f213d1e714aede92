import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { SqlRunner } from '../identity/profile-merge';

const PAYLOAD_EXCERPT = 2048;

@Injectable()
export class RejectionsRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  /** Records rejected messages; `db` runs it inside the caller's transaction instead. */
  async record(
    workspaceId: string,
    sourceId: string | null,
    items: { reason: string; payload: unknown }[],
    db: SqlRunner = this.ds,
  ): Promise<void> {
    await db.query(
      `INSERT INTO event_rejections (workspace_id, source_id, reason, payload)
       SELECT $1, $2, r, p FROM unnest($3::text[], $4::text[]) AS u(r, p)`,
      [workspaceId, sourceId, items.map((i) => i.reason), items.map((i) => payloadExcerpt(i.payload))],
    );
  }

  latest(workspaceId: string, limit: number) {
    return this.ds.query(
      `SELECT id::text, source_id AS "sourceId", received_at AS "receivedAt", reason, payload
         FROM event_rejections WHERE workspace_id = $1 ORDER BY received_at DESC, id DESC LIMIT $2`,
      [workspaceId, limit],
    );
  }
}

/** Rejections keep the start of what was sent: enough to recognise it in the debugger, bounded in size. */
function payloadExcerpt(payload: unknown): string {
  const text = JSON.stringify(payload) ?? 'undefined';
  return text.length > PAYLOAD_EXCERPT ? `${text.slice(0, PAYLOAD_EXCERPT)}…` : text;
}
