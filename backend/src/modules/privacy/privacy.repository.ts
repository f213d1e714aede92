import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface ErasureRow {
  id: string;
  profileId: string;
  status: 'completed' | 'failed';
  deleted: { events: number; identities: number; profiles: number; crmRecordsCleared?: number };
  requestedAt: Date;
  completedAt: Date | null;
  requestedBy: string | null;
}

@Injectable()
export class PrivacyRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  /**
   * Deletes a person — the profile, every profile merged into it, their identities and events — keeps hashes of
   * their identifiers so later events for them are dropped, and logs the request; all in one transaction.
   */
  async erase(
    workspaceId: string,
    profileId: string,
    requestedBy: string,
    hashes: (values: string[]) => string[],
  ): Promise<ErasureRow & { crmRecords: { kind: string; value: string }[] }> {
    return this.ds.transaction(async (em) => {
      const profiles: { id: string }[] = await em.query(
        `WITH RECURSIVE family AS (
           SELECT id FROM profiles WHERE workspace_id = $1 AND id = $2
           UNION SELECT p.id FROM profiles p JOIN family f ON p.merged_into = f.id WHERE p.workspace_id = $1)
         SELECT id FROM family`,
        [workspaceId, profileId],
      );
      const ids = profiles.map((p) => p.id);
      const identities: { kind: string; value: string }[] = await em
        .query(
          `DELETE FROM identities WHERE workspace_id = $1 AND profile_id = ANY($2::uuid[]) RETURNING kind, value`,
          [workspaceId, ids],
        )
        .then((r: [{ kind: string; value: string }[], number]) => r[0]);
      const [, events] = await em.query(
        `DELETE FROM events WHERE workspace_id = $1 AND profile_id = ANY($2::uuid[])`,
        [workspaceId, ids],
      );
      await em.query(
        `DELETE FROM profile_merges WHERE workspace_id = $1 AND (from_profile_id = ANY($2::uuid[]) OR into_profile_id = ANY($2::uuid[]))`,
        [workspaceId, ids],
      );
      const [, deletedProfiles] = await em.query(
        `DELETE FROM profiles WHERE workspace_id = $1 AND id = ANY($2::uuid[])`,
        [workspaceId, ids],
      );
      const suppress = hashes(identities.map((i) => `${i.kind}:${i.value}`));
      if (suppress.length) {
        await em.query(
          `INSERT INTO suppressed_identities (workspace_id, value_hash) SELECT $1, h FROM unnest($2::text[]) AS h ON CONFLICT DO NOTHING`,
          [workspaceId, suppress],
        );
      }
      const deleted = {
        events: Number(events),
        identities: identities.length,
        profiles: Number(deletedProfiles),
      };
      const [row] = await em.query(
        `INSERT INTO erasure_requests (workspace_id, profile_id, requested_by, status, deleted, completed_at)
         VALUES ($1, $2, $3, 'completed', $4, now())
         RETURNING id, profile_id AS "profileId", status, deleted, requested_at AS "requestedAt",
                   completed_at AS "completedAt", (SELECT email FROM users WHERE id = $3) AS "requestedBy"`,
        [workspaceId, profileId, requestedBy, JSON.stringify(deleted)],
      );
      // The CRM records Cairn wrote to: their fields are cleared after commit, outside the transaction.
      return {
        ...row,
        crmRecords: identities.filter((i) => i.kind === 'hubspot' || i.kind === 'salesforce'),
      };
    });
  }

  async recordCrmCleared(id: string, cleared: number): Promise<void> {
    await this.ds.query(
      `UPDATE erasure_requests SET deleted = deleted || jsonb_build_object('crmRecordsCleared', $2::int) WHERE id = $1`,
      [id, cleared],
    );
  }

  list(workspaceId: string): Promise<ErasureRow[]> {
    return this.ds.query(
      `SELECT e.id, e.profile_id AS "profileId", e.status, e.deleted, e.requested_at AS "requestedAt",
              e.completed_at AS "completedAt", u.email AS "requestedBy"
         FROM erasure_requests e LEFT JOIN users u ON u.id = e.requested_by
        WHERE e.workspace_id = $1 ORDER BY e.requested_at DESC LIMIT 200`,
      [workspaceId],
    );
  }

  async suppressedAmong(workspaceId: string, hashes: string[]): Promise<Set<string>> {
    const rows: { value_hash: string }[] = await this.ds.query(
      `SELECT value_hash FROM suppressed_identities WHERE workspace_id = $1 AND value_hash = ANY($2::text[])`,
      [workspaceId, hashes],
    );
    return new Set(rows.map((r) => r.value_hash));
  }

  async hasSuppressions(workspaceId: string): Promise<boolean> {
    const rows = await this.ds.query(`SELECT 1 FROM suppressed_identities WHERE workspace_id = $1 LIMIT 1`, [
      workspaceId,
    ]);
    return rows.length > 0;
  }
}
