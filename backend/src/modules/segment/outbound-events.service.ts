import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Analytics } from '@segment/analytics-node';
import type { SecretBox } from '../../common/crypto/secret-box';
import { SECRET_BOX } from '../../common/crypto/secret-box.provider';
import { DomainError } from '../../common/errors/domain-error';
import { OutboundRepository } from './outbound.repository';

export const SEGMENT_API_HOST = 'https://api.segment.io';

/** The events Cairn itself sends, named as Segment's spec would name them. */
export type OutboundEventName =
  'Journey Stage Changed' | 'Drop-off Risk Changed' | 'Intervention Sent' | 'Cairn Test Event';

/**
 * Sends Cairn's own events through the real Segment client, one client per workspace (it batches and retries
 * on its own). People who denied consent are never sent.
 */
@Injectable()
export class OutboundEventsService implements OnApplicationShutdown {
  private readonly log = new Logger('outbound-events');
  private readonly clients = new Map<string, { client: Analytics; version: string }>();

  constructor(
    @Inject(OutboundRepository) private readonly repo: OutboundRepository,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
  ) {}

  async settings(workspaceId: string) {
    const row = await this.repo.get(workspaceId);
    return row
      ? { configured: true, host: row.host, enabled: row.enabled, writeKeyHint: row.writeKeyHint }
      : { configured: false, host: SEGMENT_API_HOST, enabled: false, writeKeyHint: null };
  }

  async configure(workspaceId: string, input: { writeKey: string; host?: string; enabled: boolean }) {
    await this.repo.upsert(workspaceId, {
      writeKeyEnc: this.box.seal(input.writeKey),
      writeKeyHint: `${input.writeKey.slice(0, 4)}…${input.writeKey.slice(-4)}`,
      host: (input.host ?? SEGMENT_API_HOST).replace(/\/+$/, ''),
      enabled: input.enabled,
    });
    await this.drop(workspaceId);
    return this.settings(workspaceId);
  }

  async remove(workspaceId: string): Promise<void> {
    await this.repo.remove(workspaceId);
    await this.drop(workspaceId);
  }

  /** Queues one event; resolves once Segment (or the configured host) has accepted it. */
  async emit(
    workspaceId: string,
    event: OutboundEventName,
    who: { profileId?: string; userId?: string; anonymousId?: string },
    properties: Record<string, unknown>,
  ): Promise<'sent' | 'not-configured' | 'no-consent'> {
    const client = await this.client(workspaceId);
    if (!client) return 'not-configured';
    if (who.profileId && (await this.repo.consentOf(workspaceId, who.profileId)) === 'denied')
      return 'no-consent';
    const identity = who.userId
      ? { userId: who.userId }
      : { anonymousId: who.anonymousId ?? who.profileId ?? 'cairn' };
    await new Promise<void>((resolve, reject) =>
      client.track(
        { ...identity, event, properties: { ...properties, cairnProfileId: who.profileId } },
        (err) => (err ? reject(err) : resolve()),
      ),
    ).catch((e: unknown) => {
      throw new DomainError(
        'validation.failed',
        `Segment did not accept the event: ${(e as Error).message ?? e}`,
      );
    });
    return 'sent';
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.clients.keys()].map((w) => this.drop(w)));
  }

  private async client(workspaceId: string): Promise<Analytics | null> {
    const row = await this.repo.get(workspaceId);
    if (!row?.enabled) return null;
    const version = `${row.updatedAt.toISOString()}`;
    const cached = this.clients.get(workspaceId);
    if (cached?.version === version) return cached.client;
    if (cached) await this.drop(workspaceId);
    const client = new Analytics({
      writeKey: this.box.open(row.writeKeyEnc),
      host: row.host,
      flushAt: 20,
      flushInterval: 500,
    });
    client.on('error', (e) =>
      this.log.warn(`delivery to ${row.host} failed: ${String((e as { reason?: unknown }).reason ?? e)}`),
    );
    this.clients.set(workspaceId, { client, version });
    return client;
  }

  private async drop(workspaceId: string): Promise<void> {
    const cached = this.clients.get(workspaceId);
    this.clients.delete(workspaceId);
    await cached?.client.closeAndFlush({ timeout: 5_000 });
  }
}
