import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface JobRow {
  id: string;
  kind: string;
  state: 'running' | 'completed' | 'failed';
  processed: number;
  total: number;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

const COLUMNS = `id, kind, state, processed::float8 AS processed, total::float8 AS total, error,
  started_at AS "startedAt", finished_at AS "finishedAt"`;

/** Progress of long-running work whose steps run in Temporal; the UI polls it here. */
@Injectable()
export class JobsRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  async create(workspaceId: string, kind: string, total: number, requestedBy: string): Promise<JobRow> {
    const [row] = await this.ds.query(
      `INSERT INTO jobs (workspace_id, kind, total, requested_by) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
      [workspaceId, kind, total, requestedBy],
    );
    return row;
  }

  async get(workspaceId: string, id: string): Promise<JobRow | null> {
    const [row] = await this.ds.query(`SELECT ${COLUMNS} FROM jobs WHERE workspace_id = $1 AND id = $2`, [
      workspaceId,
      id,
    ]);
    return row ?? null;
  }

  /** Idempotent per step: a retried activity sets the same absolute progress, it does not add twice. */
  async progress(id: string, processed: number): Promise<void> {
    await this.ds.query(`UPDATE jobs SET processed = GREATEST(processed, $2) WHERE id = $1`, [id, processed]);
  }

  async finish(id: string, state: 'completed' | 'failed', error: string | null): Promise<void> {
    await this.ds.query(
      `UPDATE jobs SET state = $2, error = $3, finished_at = now(),
              processed = CASE WHEN $2 = 'completed' THEN GREATEST(processed, total) ELSE processed END
        WHERE id = $1`,
      [id, state, error],
    );
  }
}
