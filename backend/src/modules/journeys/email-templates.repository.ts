import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface EmailTemplateRow {
  id: string;
  name: string;
  subject: string;
  body: string;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `id, name, subject, body, created_at AS "createdAt", updated_at AS "updatedAt"`;

@Injectable()
export class EmailTemplatesRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  list(workspaceId: string): Promise<EmailTemplateRow[]> {
    return this.ds.query(
      `SELECT ${COLUMNS} FROM email_templates WHERE workspace_id = $1 ORDER BY name, created_at`,
      [workspaceId],
    );
  }

  async get(workspaceId: string, id: string): Promise<EmailTemplateRow | null> {
    if (!UUID.test(id)) return null;
    const [row] = await this.ds.query(
      `SELECT ${COLUMNS} FROM email_templates WHERE workspace_id = $1 AND id = $2`,
      [workspaceId, id],
    );
    return row ?? null;
  }

  async create(
    workspaceId: string,
    userId: string,
    t: { name: string; subject: string; body: string },
  ): Promise<EmailTemplateRow> {
    const [row] = await this.ds.query(
      `INSERT INTO email_templates (workspace_id, name, subject, body, created_by) VALUES ($1, $2, $3, $4, $5)
       RETURNING ${COLUMNS}`,
      [workspaceId, t.name, t.subject, t.body, userId],
    );
    return row;
  }

  async update(
    workspaceId: string,
    id: string,
    t: { name: string; subject: string; body: string },
  ): Promise<EmailTemplateRow | null> {
    const [rows] = await this.ds.query(
      `UPDATE email_templates SET name = $3, subject = $4, body = $5, updated_at = now()
        WHERE workspace_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
      [workspaceId, id, t.name, t.subject, t.body],
    );
    return rows[0] ?? null;
  }

  async remove(workspaceId: string, id: string): Promise<boolean> {
    const [, count] = await this.ds.query(`DELETE FROM email_templates WHERE workspace_id = $1 AND id = $2`, [
      workspaceId,
      id,
    ]);
    return count > 0;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
