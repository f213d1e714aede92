import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface ProfileListRow {
  id: string;
  email: string | null;
  name: string | null;
  accountName: string | null;
  firstSeenAt: Date;
  lastSeenAt: Date;
  consent: 'unknown' | 'granted' | 'denied';
}

export interface ProfileRow extends ProfileListRow {
  traits: Record<string, unknown>;
  mergedInto: string | null;
  accountId: string | null;
  accountDomain: string | null;
}

const NAME = `COALESCE(p.traits->>'name', NULLIF(concat_ws(' ', p.traits->>'firstName', p.traits->>'lastName'), ''))`;

@Injectable()
export class ProfilesRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  /** Search by email, name or any identifier; most recently seen first. */
  list(workspaceId: string, q: string | undefined, limit: number): Promise<ProfileListRow[]> {
    const like = q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
    return this.ds.query(
      `SELECT p.id, p.email, ${NAME} AS name, a.name AS "accountName", p.first_seen_at AS "firstSeenAt",
              p.last_seen_at AS "lastSeenAt", p.consent
         FROM profiles p LEFT JOIN accounts a ON a.id = p.account_id
        WHERE p.workspace_id = $1 AND p.merged_into IS NULL
          AND ($2::text IS NULL OR p.email ILIKE $2 OR ${NAME} ILIKE $2
               OR EXISTS (SELECT 1 FROM identities i WHERE i.workspace_id = $1 AND i.profile_id = p.id AND i.value ILIKE $2))
        ORDER BY p.last_seen_at DESC LIMIT $3`,
      [workspaceId, like, limit],
    );
  }

  async get(workspaceId: string, id: string): Promise<ProfileRow | null> {
    const [row] = await this.ds.query(
      `SELECT p.id, p.email, ${NAME} AS name, p.traits, p.consent, p.first_seen_at AS "firstSeenAt",
              p.last_seen_at AS "lastSeenAt", p.merged_into AS "mergedInto", a.id AS "accountId",
              a.name AS "accountName", a.domain AS "accountDomain"
         FROM profiles p LEFT JOIN accounts a ON a.id = p.account_id
        WHERE p.workspace_id = $1 AND p.id = $2`,
      [workspaceId, id],
    );
    return row ?? null;
  }

  identities(
    workspaceId: string,
    profileId: string,
  ): Promise<{ kind: string; value: string; createdAt: Date }[]> {
    return this.ds.query(
      `SELECT kind, value, created_at AS "createdAt" FROM identities
        WHERE workspace_id = $1 AND profile_id = $2 ORDER BY created_at, kind`,
      [workspaceId, profileId],
    );
  }

  merges(workspaceId: string, profileId: string) {
    return this.ds.query(
      `SELECT from_profile_id AS "fromProfileId", into_profile_id AS "intoProfileId", reason, merged_at AS "mergedAt"
         FROM profile_merges WHERE workspace_id = $1 AND (from_profile_id = $2 OR into_profile_id = $2)
        ORDER BY merged_at`,
      [workspaceId, profileId],
    ) as Promise<{ fromProfileId: string; intoProfileId: string; reason: string; mergedAt: Date }[]>;
  }

  async findByIdentity(workspaceId: string, kind: string, value: string): Promise<string | null> {
    const [row] = await this.ds.query(
      `SELECT profile_id FROM identities WHERE workspace_id = $1 AND kind = $2 AND value = $3`,
      [workspaceId, kind, value],
    );
    return row?.profile_id ?? null;
  }
}
