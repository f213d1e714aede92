import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

@Injectable()
export class IntelligenceRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  /** Current risk scores by a model (a sample), to compare with its evaluation window for drift. */
  async currentRisks(workspaceId: string, modelId: string): Promise<number[]> {
    const rows: { risk: number }[] = await this.ds.query(
      `SELECT risk FROM profile_scores WHERE workspace_id = $1 AND model_id = $2 AND risk IS NOT NULL LIMIT 5000`,
      [workspaceId, modelId],
    );
    return rows.map((r) => r.risk);
  }

  async stageCounts(workspaceId: string): Promise<{ key: string; people: number }[]> {
    return this.ds.query(
      `SELECT stage AS key, count(*)::int AS people FROM profile_stages WHERE workspace_id = $1 GROUP BY stage`,
      [workspaceId],
    );
  }
}
