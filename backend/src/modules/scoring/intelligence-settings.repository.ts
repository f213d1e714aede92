import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DEFAULT_SETTINGS, type IntelligenceSettings } from './intelligence-settings';

export interface RetrainRun {
  state: 'running' | 'finished';
  message: string;
  at: string;
}

@Injectable()
export class IntelligenceSettingsRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  /** A workspace that never changed its settings runs on the defaults. */
  async get(workspaceId: string): Promise<IntelligenceSettings> {
    const [row]: {
      stages: IntelligenceSettings['stages'];
      goal: IntelligenceSettings['goal'];
      horizon_days: number;
      min_precision: number;
      retrain_cron: string;
    }[] = await this.ds.query(`SELECT * FROM intelligence_settings WHERE workspace_id = $1`, [workspaceId]);
    if (!row) return DEFAULT_SETTINGS;
    return {
      stages: row.stages,
      goal: row.goal,
      horizonDays: row.horizon_days,
      minPrecision: row.min_precision,
      retrainCron: row.retrain_cron,
    };
  }

  async save(workspaceId: string, s: IntelligenceSettings): Promise<void> {
    await this.ds.query(
      `INSERT INTO intelligence_settings (workspace_id, stages, goal, horizon_days, min_precision, retrain_cron)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (workspace_id) DO UPDATE SET stages = $2, goal = $3, horizon_days = $4, min_precision = $5,
              retrain_cron = $6, updated_at = now()`,
      [
        workspaceId,
        JSON.stringify(s.stages),
        JSON.stringify(s.goal),
        s.horizonDays,
        s.minPrecision,
        s.retrainCron,
      ],
    );
  }

  /** How the latest retraining went; a workspace on default settings gets its row here. */
  async recordRetrain(workspaceId: string, run: RetrainRun): Promise<void> {
    const d = DEFAULT_SETTINGS;
    await this.ds.query(
      `INSERT INTO intelligence_settings (workspace_id, stages, goal, horizon_days, min_precision, retrain_cron, last_retrain)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (workspace_id) DO UPDATE SET last_retrain = EXCLUDED.last_retrain`,
      [
        workspaceId,
        JSON.stringify(d.stages),
        JSON.stringify(d.goal),
        d.horizonDays,
        d.minPrecision,
        d.retrainCron,
        run,
      ],
    );
  }

  async lastRetrain(workspaceId: string): Promise<RetrainRun | null> {
    const [row]: { last_retrain: RetrainRun | null }[] = await this.ds.query(
      `SELECT last_retrain FROM intelligence_settings WHERE workspace_id = $1`,
      [workspaceId],
    );
    return row?.last_retrain ?? null;
  }

  async workspaces(): Promise<{ workspaceId: string; retrainCron: string }[]> {
    return this.ds.query(
      `SELECT w.id AS "workspaceId", COALESCE(s.retrain_cron, $1) AS "retrainCron"
         FROM workspaces w LEFT JOIN intelligence_settings s ON s.workspace_id = w.id`,
      [DEFAULT_SETTINGS.retrainCron],
    );
  }
}
