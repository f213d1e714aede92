import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { SecretBox } from '../../common/crypto/secret-box';
import { SECRET_BOX } from '../../common/crypto/secret-box.provider';
import { DomainError } from '../../common/errors/domain-error';
import { tokenHash } from '../auth/tokens';
import { SourcesRepository, type SourceRow } from './sources.repository';

const CACHE_TTL_MS = 5_000;

/** Segment sources: write keys (shown once, stored as a hash) and webhook secrets (encrypted). */
@Injectable()
export class SourcesService {
  // Every tracking request authenticates by write key; a short cache keeps that off the database while a
  // revoked key still stops working within seconds on every replica.
  private readonly byKey = new Map<string, { source: SourceRow | null; until: number }>();

  constructor(
    @Inject(SourcesRepository) private readonly repo: SourcesRepository,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
  ) {}

  async create(workspaceId: string, name: string) {
    const writeKey = newWriteKey();
    const source = await this.repo.create({
      workspaceId,
      name,
      writeKeyHash: tokenHash(writeKey),
      writeKeyHint: hint(writeKey),
      webhookSecretEnc: this.box.seal(randomBytes(24).toString('base64url')),
    });
    return { source, writeKey };
  }

  list(workspaceId: string) {
    return this.repo.list(workspaceId);
  }

  async webhookSecret(workspaceId: string, id: string): Promise<string> {
    const source = await this.repo.get(workspaceId, id);
    if (!source) throw notFound();
    return this.box.open(source.webhookSecretEnc);
  }

  async rotate(workspaceId: string, id: string) {
    const writeKey = newWriteKey();
    const source = await this.repo.rotate(workspaceId, id, tokenHash(writeKey), hint(writeKey));
    if (!source) throw notFound();
    this.byKey.clear();
    return { source, writeKey };
  }

  async revoke(workspaceId: string, id: string): Promise<void> {
    if (!(await this.repo.revoke(workspaceId, id))) throw notFound();
    this.byKey.clear();
  }

  async authenticate(writeKey: string | undefined): Promise<SourceRow> {
    if (!writeKey) throw unknownKey();
    const hash = tokenHash(writeKey);
    const cached = this.byKey.get(hash);
    const now = Date.now();
    let source = cached && cached.until > now ? cached.source : undefined;
    if (source === undefined) {
      source = await this.repo.findActiveByKeyHash(hash);
      if (this.byKey.size > 10_000) this.byKey.clear();
      this.byKey.set(hash, { source, until: now + CACHE_TTL_MS });
    }
    if (!source) throw unknownKey();
    return source;
  }

  /** For the webhook destination: the source named in the URL and its secret, to check the signature. */
  async webhookSource(sourceId: string): Promise<{ source: SourceRow; secret: string }> {
    const source = /^[0-9a-f-]{36}$/i.test(sourceId) ? await this.repo.findActiveById(sourceId) : null;
    if (!source) throw new DomainError('sources.not_found', 'Unknown or revoked source.');
    return { source, secret: this.box.open(source.webhookSecretEnc) };
  }
}

function newWriteKey(): string {
  return `cw_${randomBytes(24).toString('base64url')}`;
}

function hint(writeKey: string): string {
  return `${writeKey.slice(0, 7)}…${writeKey.slice(-4)}`;
}

function notFound() {
  return new DomainError('sources.not_found', 'Source not found or already revoked.');
}

function unknownKey() {
  return new DomainError('events.unknown_write_key', 'Unknown or revoked write key.');
}
