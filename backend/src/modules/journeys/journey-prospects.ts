import { Inject, Injectable } from '@nestjs/common';
import type { ProspectSnapshot } from '@cairn/workflows';
import { DataSource } from 'typeorm';

export interface ProspectRecord {
  id: string;
  email: string | null;
  consent: 'unknown' | 'granted' | 'denied';
  traits: Record<string, unknown>;
  stage: string | null;
  risk: number | null;
  account: { id: string; name: string | null; domain: string | null; traits: Record<string, unknown> } | null;
}

/** A prospect as journeys read them: profile traits, account, current stage and drop-off risk. */
@Injectable()
export class JourneyProspects {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  async get(workspaceId: string, profileId: string): Promise<ProspectRecord | null> {
    const [row] = await this.ds.query(
      `SELECT p.id, p.email, p.consent, p.traits, st.stage, sc.risk,
              CASE WHEN a.id IS NULL THEN NULL
                   ELSE jsonb_build_object('id', a.id, 'name', a.name, 'domain', a.domain, 'traits', a.traits) END AS account
         FROM profiles p
         LEFT JOIN accounts a ON a.id = p.account_id
         LEFT JOIN profile_stages st ON st.profile_id = p.id
         LEFT JOIN profile_scores sc ON sc.profile_id = p.id
        WHERE p.workspace_id = $1 AND p.id = $2`,
      [workspaceId, profileId],
    );
    if (!row) return null;
    return { ...row, risk: row.risk === null ? null : Number(row.risk) };
  }

  /**
   * Traits and account of many people at once, shaped as in `snapshot` (stage and risk are the caller's: the
   * scoring round that asks knows them before they are committed).
   */
  async traitsAndAccounts(
    workspaceId: string,
    profileIds: string[],
  ): Promise<Map<string, Pick<ProspectSnapshot, 'traits' | 'account'>>> {
    if (!profileIds.length) return new Map();
    const rows: { id: string; traits: Record<string, unknown>; account: Record<string, unknown> | null }[] =
      await this.ds.query(
        `SELECT p.id, p.traits,
                CASE WHEN a.id IS NULL THEN NULL
                     ELSE a.traits || jsonb_build_object('name', a.name, 'domain', a.domain) END AS account
           FROM profiles p
           LEFT JOIN accounts a ON a.id = p.account_id
          WHERE p.workspace_id = $1 AND p.id = ANY($2::uuid[])`,
        [workspaceId, profileIds],
      );
    return new Map(rows.map((r) => [r.id, { traits: r.traits, account: r.account }]));
  }

  async snapshot(workspaceId: string, profileId: string): Promise<ProspectSnapshot> {
    const p = await this.get(workspaceId, profileId);
    if (!p) return { stage: null, risk: null, traits: {}, account: null };
    return {
      stage: p.stage,
      risk: p.risk,
      traits: p.traits,
      account: p.account ? { ...p.account.traits, name: p.account.name, domain: p.account.domain } : null,
    };
  }
}

const snake = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/**
 * What merge fields read: every trait under its own name and in snake_case (`firstName` is also `first_name`),
 * `email`, `name`, and `account.*` with the account's name, domain and traits.
 */
export function mergeData(p: ProspectRecord): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p.traits)) {
    data[k] = v;
    if (!(snake(k) in p.traits)) data[snake(k)] = v;
  }
  data['email'] ??= p.email;
  const first = data['first_name'];
  const last = data['last_name'];
  data['name'] ??= [first, last].filter((x) => typeof x === 'string' && x).join(' ') || undefined;
  if (p.account) {
    const account: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(p.account.traits)) {
      account[k] = v;
      if (!(snake(k) in p.account.traits)) account[snake(k)] = v;
    }
    account['name'] = p.account.name ?? account['name'];
    account['domain'] = p.account.domain ?? account['domain'];
    data['account'] = account;
  }
  data['stage'] ??= p.stage;
  return data;
}
