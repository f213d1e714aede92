import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { TaxonomyRule } from './taxonomy-rules';

@Injectable()
export class TaxonomyRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  list(workspaceId: string): Promise<TaxonomyRule[]> {
    return this.ds.query(
      `SELECT match_kind AS "matchKind", pattern, canonical_event AS "canonicalEvent", category, intent
         FROM taxonomy_rules WHERE workspace_id = $1 ORDER BY position`,
      [workspaceId],
    );
  }

  /** Replaces the workspace's ordered rule list in one transaction. */
  async replace(workspaceId: string, rules: TaxonomyRule[]): Promise<void> {
    await this.ds.transaction(async (em) => {
      await em.query(`DELETE FROM taxonomy_rules WHERE workspace_id = $1`, [workspaceId]);
      if (!rules.length) return;
      await em.query(
        `INSERT INTO taxonomy_rules (workspace_id, position, match_kind, pattern, canonical_event, category, intent)
         SELECT $1, ord, k, p, c, cat, i FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
           WITH ORDINALITY AS u(k, p, c, cat, i, ord)`,
        [
          workspaceId,
          rules.map((r) => r.matchKind),
          rules.map((r) => r.pattern),
          rules.map((r) => r.canonicalEvent),
          rules.map((r) => r.category),
          rules.map((r) => r.intent),
        ],
      );
    });
  }
}
