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
  stage: string | null;
  stageIndex: number | null;
  risk: number | null;
  riskTrend: number | null;
  owner: string | null;
}

export type ProspectSort = 'recent' | 'risk' | 'stage' | 'trend' | 'owner';

export interface StageHistoryRow {
  fromStage: string | null;
  toStage: string;
  reason: string;
  at: Date;
}

export interface ScoreRow {
  risk: number | null;
  conversion: number | null;
  reasons: unknown;
  scoredAt: Date;
  stage: string | null;
  stageIndex: number | null;
  enteredAt: Date | null;
  stageReason: string | null;
  riskBefore: number | null;
  trend: number | null;
}

export interface CrmRecordRow {
  provider: 'hubspot' | 'salesforce';
  objectType: string;
  externalId: string;
  name: string | null;
  stage: string | null;
  owner: string | null;
  externalAccount: string;
  instanceUrl: string | null;
  via: 'person' | 'account' | 'deal';
}

export interface ProfileRow extends ProfileListRow {
  traits: Record<string, unknown>;
  mergedInto: string | null;
  accountId: string | null;
  accountDomain: string | null;
}

const NAME = `COALESCE(p.traits->>'name', NULLIF(concat_ws(' ', p.traits->>'firstName', p.traits->>'lastName'), ''))`;
const OWNER = `(SELECT o.owner_id FROM crm_objects o
    WHERE o.profile_id = p.id AND o.owner_id IS NOT NULL AND NOT o.archived ORDER BY o.synced_at DESC LIMIT 1)`;
const LIST_COLUMNS = `p.id, p.email, ${NAME} AS name, a.name AS "accountName", p.first_seen_at AS "firstSeenAt",
       p.last_seen_at AS "lastSeenAt", p.consent, st.stage, st.stage_index AS "stageIndex",
       sc.risk, sc.risk_trend AS "riskTrend", ${OWNER} AS owner`;
const LIST_FROM = `profiles p LEFT JOIN accounts a ON a.id = p.account_id
       LEFT JOIN profile_stages st ON st.profile_id = p.id
       LEFT JOIN profile_scores sc ON sc.profile_id = p.id`;
const ORDER: Record<ProspectSort, Record<'asc' | 'desc', string>> = {
  recent: { desc: 'p.last_seen_at DESC', asc: 'p.last_seen_at ASC' },
  risk: {
    desc: 'sc.risk DESC NULLS LAST, p.last_seen_at DESC',
    asc: 'sc.risk ASC NULLS LAST, p.last_seen_at DESC',
  },
  stage: {
    desc: 'st.stage_index DESC NULLS LAST, sc.risk DESC NULLS LAST',
    asc: 'st.stage_index ASC NULLS LAST, sc.risk DESC NULLS LAST',
  },
  trend: {
    desc: 'sc.risk_trend DESC NULLS LAST, sc.risk DESC NULLS LAST',
    asc: 'sc.risk_trend ASC NULLS LAST, sc.risk DESC NULLS LAST',
  },
  owner: {
    desc: 'owner DESC NULLS LAST, p.last_seen_at DESC',
    asc: 'owner ASC NULLS LAST, p.last_seen_at DESC',
  },
};

@Injectable()
export class ProfilesRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  /**
   * Search by email, name or any identifier, with stage, risk, its 7-day trend and CRM owner; sorted by recency
   * (default), risk, stage, trend or owner.
   */
  async list(
    workspaceId: string,
    q: string | undefined,
    limit: number,
    sort: ProspectSort = 'recent',
    order?: 'asc' | 'desc',
  ): Promise<ProfileListRow[]> {
    const like = q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
    const dir = order ?? (sort === 'owner' ? 'asc' : 'desc');
    const rows: ProfileListRow[] = await this.ds.query(
      `SELECT ${LIST_COLUMNS}
         FROM ${LIST_FROM}
        WHERE p.workspace_id = $1 AND p.merged_into IS NULL
          AND ($2::text IS NULL OR p.email ILIKE $2 OR ${NAME} ILIKE $2
               OR EXISTS (SELECT 1 FROM identities i WHERE i.workspace_id = $1 AND i.profile_id = p.id AND i.value ILIKE $2))
        ORDER BY ${ORDER[sort][dir]}, p.id LIMIT $3`,
      [workspaceId, like, limit],
    );
    return rows.map(numbers);
  }

  async get(workspaceId: string, id: string): Promise<ProfileRow | null> {
    const [row] = await this.ds.query(
      `SELECT ${LIST_COLUMNS}, p.traits, p.merged_into AS "mergedInto", a.id AS "accountId",
              a.domain AS "accountDomain"
         FROM ${LIST_FROM}
        WHERE p.workspace_id = $1 AND p.id = $2`,
      [workspaceId, id],
    );
    return row ? numbers(row) : null;
  }

  /** Current stage and score, with the risk of a week ago for the trend. */
  async score(workspaceId: string, profileId: string): Promise<ScoreRow | null> {
    const [row] = await this.ds.query(
      `SELECT sc.risk, sc.conversion, sc.reasons, sc.scored_at AS "scoredAt", st.stage,
              st.stage_index AS "stageIndex", st.entered_at AS "enteredAt",
              st.reason AS "stageReason",
              sc.risk_week_before AS "riskBefore", sc.risk_trend AS trend
         FROM profiles p LEFT JOIN profile_scores sc ON sc.profile_id = p.id
              LEFT JOIN profile_stages st ON st.profile_id = p.id
        WHERE p.workspace_id = $1 AND p.id = $2 AND (sc.profile_id IS NOT NULL OR st.profile_id IS NOT NULL)`,
      [workspaceId, profileId],
    );
    return row ?? null;
  }

  stageHistory(workspaceId: string, profileId: string): Promise<StageHistoryRow[]> {
    return this.ds.query(
      `SELECT t.from_stage AS "fromStage", t.to_stage AS "toStage", t.reason, t.at
         FROM stage_transitions t
        WHERE t.workspace_id = $1 AND t.profile_id = $2
        ORDER BY t.at DESC, t.id DESC LIMIT 100`,
      [workspaceId, profileId],
    );
  }

  /** Scores of the last 90 days, oldest first (at most 200). */
  scoreHistory(
    workspaceId: string,
    profileId: string,
  ): Promise<{ scoredAt: Date; risk: number | null; conversion: number | null; stage: string }[]> {
    return this.ds.query(
      `SELECT * FROM (
         SELECT scored_at AS "scoredAt", risk, conversion, stage FROM score_history
          WHERE workspace_id = $1 AND profile_id = $2 AND scored_at > now() - interval '90 days'
          ORDER BY scored_at DESC LIMIT 200) h
        ORDER BY "scoredAt"`,
      [workspaceId, profileId],
    );
  }

  /** The person's CRM records: their contact or lead, their company, and the deals they are on. */
  crmRecords(workspaceId: string, profileId: string): Promise<CrmRecordRow[]> {
    return this.ds.query(
      `WITH mine AS (
         SELECT o.*, 'person' AS via FROM crm_objects o WHERE o.workspace_id = $1 AND o.profile_id = $2 AND NOT o.archived
         UNION ALL
         SELECT o.*, 'account' FROM crm_objects o JOIN profiles p ON p.account_id = o.account_id
          WHERE o.workspace_id = $1 AND p.id = $2 AND o.profile_id IS NULL AND NOT o.archived
            AND o.object_type IN ('companies', 'Account')
       ), deals AS (
         SELECT DISTINCT ON (d.connection_id, d.object_type, d.external_id) d.*, 'deal' AS via
           FROM mine m
           JOIN crm_associations a ON a.connection_id = m.connection_id AND a.to_type = m.object_type
                                  AND a.to_id = m.external_id AND a.from_type IN ('deals', 'Opportunity')
           JOIN crm_objects d ON d.connection_id = a.connection_id AND d.object_type = a.from_type
                             AND d.external_id = a.from_id AND NOT d.archived
          WHERE m.via = 'person'
       )
       SELECT c.provider, r.object_type AS "objectType", r.external_id AS "externalId",
              COALESCE(r.properties->>'dealname', r.properties->>'Name', r.properties->>'name',
                       NULLIF(concat_ws(' ', COALESCE(r.properties->>'firstname', r.properties->>'FirstName'),
                                             COALESCE(r.properties->>'lastname', r.properties->>'LastName')), '')) AS name,
              r.stage, r.owner_id AS owner, c.external_account AS "externalAccount", c.instance_url AS "instanceUrl", r.via
         FROM (SELECT * FROM mine UNION ALL SELECT * FROM deals) r
         JOIN crm_connections c ON c.id = r.connection_id AND c.workspace_id = $1
        ORDER BY CASE r.via WHEN 'person' THEN 0 WHEN 'deal' THEN 1 ELSE 2 END, r.remote_updated_at DESC NULLS LAST
        LIMIT 50`,
      [workspaceId, profileId],
    );
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

function numbers<T extends { risk: unknown; riskTrend: unknown; stageIndex: unknown }>(r: T): T {
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return { ...r, risk: n(r.risk), riskTrend: n(r.riskTrend), stageIndex: n(r.stageIndex) };
}
