import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface RecentEventRow {
  messageId: string;
  receivedAt: Date;
  timestamp: Date;
  type: string;
  event: string | null;
  canonicalEvent: string | null;
  category: string | null;
  intent: string | null;
  profileId: string;
  userId: string | null;
  anonymousId: string | null;
  url: string | null;
  sourceId: string | null;
  properties?: Record<string, unknown>;
}

const COLUMNS = `message_id AS "messageId", received_at AS "receivedAt", "timestamp", type, event,
  canonical_event AS "canonicalEvent", category, intent, profile_id AS "profileId", user_id AS "userId",
  anonymous_id AS "anonymousId", url, source_id AS "sourceId"`;

/** Reads of the event store; every query names its workspace. */
@Injectable()
export class EventsRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  /** The newest by event time over the last day: received order would need an index every insert pays for. */
  recent(workspaceId: string, limit: number): Promise<RecentEventRow[]> {
    return this.ds.query(
      `SELECT ${COLUMNS} FROM events
        WHERE workspace_id = $1 AND "timestamp" > now() - interval '30 days'
        ORDER BY "timestamp" DESC, message_id DESC LIMIT $2`,
      [workspaceId, limit],
    );
  }

  timeline(
    workspaceId: string,
    profileId: string,
    before: Date | undefined,
    limit: number,
  ): Promise<RecentEventRow[]> {
    return this.ds.query(
      `SELECT ${COLUMNS}, properties FROM events
        WHERE workspace_id = $1 AND profile_id = $2 AND ($3::timestamptz IS NULL OR "timestamp" < $3)
        ORDER BY "timestamp" DESC, message_id DESC LIMIT $4`,
      [workspaceId, profileId, before ?? null, limit],
    );
  }

  count(workspaceId: string): Promise<number> {
    return this.ds
      .query(`SELECT count(*)::bigint AS n FROM events WHERE workspace_id = $1`, [workspaceId])
      .then((r: { n: string }[]) => Number(r[0]!.n));
  }

  /** A page of events after a (timestamp, messageId) cursor, for jobs that walk the whole history. */
  page(workspaceId: string, after: { timestamp: string; messageId: string } | null, limit: number) {
    return this.ds.query(
      `SELECT "timestamp", message_id AS "messageId", type, event, url FROM events
        WHERE workspace_id = $1 AND ($2::timestamptz IS NULL OR ("timestamp", message_id) > ($2::timestamptz, $3::text))
        ORDER BY "timestamp", message_id LIMIT $4`,
      [workspaceId, after?.timestamp ?? null, after?.messageId ?? '', limit],
    ) as Promise<
      { timestamp: Date; messageId: string; type: string; event: string | null; url: string | null }[]
    >;
  }

  async setMappings(
    workspaceId: string,
    rows: {
      timestamp: Date;
      messageId: string;
      canonicalEvent: string | null;
      category: string | null;
      intent: string | null;
    }[],
  ): Promise<void> {
    if (!rows.length) return;
    await this.ds.query(
      `UPDATE events e SET canonical_event = u.canonical_event, category = u.category, intent = u.intent
         FROM jsonb_to_recordset($2::jsonb) AS u(ts timestamptz, message_id text, canonical_event text, category text, intent text)
        WHERE e.workspace_id = $1 AND e."timestamp" = u.ts AND e.message_id = u.message_id
          AND (e.canonical_event, e.category, e.intent) IS DISTINCT FROM (u.canonical_event, u.category, u.intent)`,
      [
        workspaceId,
        JSON.stringify(
          rows.map((r) => ({
            ts: r.timestamp,
            message_id: r.messageId,
            canonical_event: r.canonicalEvent,
            category: r.category,
            intent: r.intent,
          })),
        ),
      ],
    );
  }
}
