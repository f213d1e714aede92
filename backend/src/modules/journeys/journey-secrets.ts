import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { SecretBox } from '../../common/crypto/secret-box';
import { SECRET_BOX } from '../../common/crypto/secret-box.provider';

/** Workspace secrets that sign webhook steps (`secretRef`); sealed at rest, shown once when made. */
@Injectable()
export class JourneySecrets {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
  ) {}

  list(workspaceId: string): Promise<{ name: string; createdAt: Date }[]> {
    return this.ds.query(
      `SELECT name, created_at AS "createdAt" FROM journey_secrets WHERE workspace_id = $1 ORDER BY name`,
      [workspaceId],
    );
  }

  /** Makes (or replaces) the secret `name` and returns its value, the only time it is shown. */
  async rotate(workspaceId: string, name: string): Promise<string> {
    const secret = `whsec_${randomBytes(24).toString('base64url')}`;
    await this.ds.query(
      `INSERT INTO journey_secrets (workspace_id, name, secret_enc) VALUES ($1, $2, $3)
       ON CONFLICT (workspace_id, name) DO UPDATE SET secret_enc = EXCLUDED.secret_enc, created_at = now()`,
      [workspaceId, name, this.box.seal(secret)],
    );
    return secret;
  }

  async reveal(workspaceId: string, name: string): Promise<string | null> {
    const [row] = await this.ds.query(
      `SELECT secret_enc AS "secretEnc" FROM journey_secrets WHERE workspace_id = $1 AND name = $2`,
      [workspaceId, name],
    );
    return row ? this.box.open(row.secretEnc) : null;
  }
}
