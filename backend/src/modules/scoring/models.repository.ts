import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { ModelArtifact } from './model-training';
import type { ModelMetrics } from './model-metrics';

export type ModelStatus = 'candidate' | 'active' | 'retired' | 'rejected';

export interface ModelRow {
  id: string;
  version: number;
  status: ModelStatus;
  decision: string;
  trainedAt: Date;
  metrics: ModelMetrics;
}

@Injectable()
export class ModelsRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  async addCandidate(
    workspaceId: string,
    artifact: ModelArtifact,
    metrics: ModelMetrics,
  ): Promise<{ id: string; version: number }> {
    const [row]: { id: string; version: number }[] = await this.ds.query(
      `INSERT INTO models (workspace_id, version, status, decision, artifact, metrics)
       VALUES ($1, (SELECT COALESCE(max(version), 0) + 1 FROM models WHERE workspace_id = $1), 'candidate',
               'awaiting comparison', $2, $3)
       RETURNING id, version`,
      [workspaceId, JSON.stringify(artifact), JSON.stringify(metrics)],
    );
    return row!;
  }

  async artifact(workspaceId: string, id: string): Promise<ModelArtifact | null> {
    const [row]: { artifact: ModelArtifact }[] = await this.ds.query(
      `SELECT artifact FROM models WHERE workspace_id = $1 AND id = $2`,
      [workspaceId, id],
    );
    return row?.artifact ?? null;
  }

  async active(workspaceId: string): Promise<{ id: string; version: number } | null> {
    const [row]: { id: string; version: number }[] = await this.ds.query(
      `SELECT id, version FROM models WHERE workspace_id = $1 AND status = 'active'`,
      [workspaceId],
    );
    return row ?? null;
  }

  async list(workspaceId: string): Promise<ModelRow[]> {
    return this.ds.query(
      `SELECT id, version, status, decision, trained_at AS "trainedAt", metrics
         FROM models WHERE workspace_id = $1 ORDER BY version DESC LIMIT 50`,
      [workspaceId],
    );
  }

  /** Promotion retires the old model in the same transaction, so there is never zero or two active models. */
  async decide(
    workspaceId: string,
    id: string,
    promote: boolean,
    decision: string,
    metrics: ModelMetrics,
  ): Promise<void> {
    await this.ds.transaction(async (m: EntityManager) => {
      if (promote) {
        await m.query(`UPDATE models SET status = 'retired' WHERE workspace_id = $1 AND status = 'active'`, [
          workspaceId,
        ]);
      }
      await m.query(
        `UPDATE models SET status = $3, decision = $4, metrics = $5 WHERE workspace_id = $1 AND id = $2`,
        [workspaceId, id, promote ? 'active' : 'rejected', decision, JSON.stringify(metrics)],
      );
    });
  }
}
