import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface AccountRow {
  id: string;
  name: string | null;
  domain: string | null;
  groupId: string | null;
  people: number;
  lastSeenAt: Date | null;
}

const AGGREGATE = `SELECT a.id, a.name, a.domain, a.group_id AS "groupId", count(p.id)::int AS people,
       max(p.last_seen_at) AS "lastSeenAt"
  FROM accounts a LEFT JOIN profiles p ON p.account_id = a.id AND p.merged_into IS NULL`;

/** Accounts with their people rolled up: the company-level view of the same profiles. */
@Injectable()
export class AccountsRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  list(workspaceId: string, limit: number): Promise<AccountRow[]> {
    return this.ds.query(
      `${AGGREGATE} WHERE a.workspace_id = $1 GROUP BY a.id ORDER BY max(p.last_seen_at) DESC NULLS LAST LIMIT $2`,
      [workspaceId, limit],
    );
  }

  async get(workspaceId: string, id: string): Promise<AccountRow | null> {
    const [row] = await this.ds.query(`${AGGREGATE} WHERE a.workspace_id = $1 AND a.id = $2 GROUP BY a.id`, [
      workspaceId,
      id,
    ]);
    return row ?? null;
  }

  people(workspaceId: string, accountId: string) {
    return this.ds.query(
      `SELECT p.id, p.email, COALESCE(p.traits->>'name', p.email) AS name, p.last_seen_at AS "lastSeenAt"
         FROM profiles p WHERE p.workspace_id = $1 AND p.account_id = $2 AND p.merged_into IS NULL
        ORDER BY p.last_seen_at DESC LIMIT 500`,
      [workspaceId, accountId],
    ) as Promise<{ id: string; email: string | null; name: string | null; lastSeenAt: Date }[]>;
  }
}
