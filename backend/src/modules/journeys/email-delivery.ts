import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** One email as the outbox holds it, ready for an adapter. */
export interface OutgoingEmail {
  id: string;
  workspaceId: string;
  to: string;
  from: string;
  subject: string;
  html: string;
  /** Stable per journey action: a provider that accepts one can refuse a duplicate. */
  idempotencyKey: string | null;
}

/**
 * Hands an email to whatever delivers it. Cairn ships the sandbox mailbox (the default, nothing leaves the
 * server); a real provider (SMTP through nodemailer, an HTTP API) implements this and is bound to
 * `EMAIL_DELIVERY`. `deliver` must be safe to call twice with the same email: pass the idempotency key on.
 */
export interface EmailDeliveryAdapter {
  readonly name: string;
  deliver(email: OutgoingEmail): Promise<{ providerMessageId: string }>;
}

export const EMAIL_DELIVERY = Symbol('EMAIL_DELIVERY');
export const DEFAULT_FROM = 'Cairn journeys <journeys@sandbox.cairn.local>';

/** The sandbox mailbox: the outbox row is the message, shown at `GET …/mailbox`; delivery only marks it. */
export class SandboxMailboxAdapter implements EmailDeliveryAdapter {
  readonly name = 'sandbox';
  async deliver(email: OutgoingEmail): Promise<{ providerMessageId: string }> {
    return { providerMessageId: `sandbox-${email.id}` };
  }
}

export interface SendEmail {
  workspaceId: string;
  profileId: string | null;
  journeyId: string | null;
  nodeId: string | null;
  templateId: string | null;
  kind: 'journey' | 'test';
  idempotencyKey: string | null;
  to: string;
  subject: string;
  html: string;
}

export interface SentEmailRow {
  id: string;
  profileId: string | null;
  journeyId: string | null;
  nodeId: string | null;
  templateId: string | null;
  kind: 'journey' | 'test';
  to: string;
  from: string;
  subject: string;
  html: string;
  adapter: string;
  status: 'queued' | 'delivered' | 'failed';
  error: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

const COLUMNS = `id, profile_id AS "profileId", journey_id AS "journeyId", node_id AS "nodeId", template_id AS "templateId",
  kind, to_address AS "to", from_address AS "from", subject, html, adapter, status, error, created_at AS "createdAt",
  delivered_at AS "deliveredAt"`;

/**
 * Every email goes through `sent_emails`, the outbox of record: the row is written first under the action's
 * idempotency key (unique), then the adapter delivers it. A second send with the same key finds the row and
 * never makes a second email.
 */
@Injectable()
export class Mailer {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(EMAIL_DELIVERY) private readonly adapter: EmailDeliveryAdapter,
  ) {}

  async send(e: SendEmail): Promise<{ id: string; replayed: boolean }> {
    const [inserted] = await this.ds.query(
      `INSERT INTO sent_emails (workspace_id, profile_id, journey_id, node_id, template_id, kind, idempotency_key,
                                to_address, from_address, subject, html, adapter)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
      [
        e.workspaceId,
        e.profileId,
        e.journeyId,
        e.nodeId,
        e.templateId,
        e.kind,
        e.idempotencyKey,
        e.to,
        DEFAULT_FROM,
        e.subject,
        e.html,
        this.adapter.name,
      ],
    );
    let id: string = inserted?.id;
    let replayed = false;
    if (!id) {
      const [existing] = await this.ds.query(
        `SELECT id, status FROM sent_emails WHERE idempotency_key = $1`,
        [e.idempotencyKey],
      );
      id = existing.id;
      replayed = true;
      if (existing.status === 'delivered') return { id, replayed };
    }
    try {
      const { providerMessageId } = await this.adapter.deliver({
        id,
        workspaceId: e.workspaceId,
        to: e.to,
        from: DEFAULT_FROM,
        subject: e.subject,
        html: e.html,
        idempotencyKey: e.idempotencyKey,
      });
      await this.ds.query(
        `UPDATE sent_emails SET status = 'delivered', provider_message_id = $2, delivered_at = now(), error = NULL
          WHERE id = $1`,
        [id, providerMessageId],
      );
    } catch (err) {
      await this.ds.query(`UPDATE sent_emails SET error = $2 WHERE id = $1`, [id, (err as Error).message]);
      throw err;
    }
    return { id, replayed };
  }

  list(workspaceId: string, limit: number, profileId?: string): Promise<SentEmailRow[]> {
    return this.ds.query(
      `SELECT ${COLUMNS} FROM sent_emails WHERE workspace_id = $1 AND ($3::uuid IS NULL OR profile_id = $3)
        ORDER BY created_at DESC LIMIT $2`,
      [workspaceId, limit, profileId ?? null],
    );
  }

  async get(workspaceId: string, id: string): Promise<SentEmailRow | null> {
    const [row] = await this.ds.query(
      `SELECT ${COLUMNS} FROM sent_emails WHERE workspace_id = $1 AND id = $2`,
      [workspaceId, id],
    );
    return row ?? null;
  }
}
