import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error';
import { IngestRepository } from '../events/ingest.repository';
import { RejectionsRepository } from '../events/rejections.repository';
import { SuppressionService } from '../privacy/suppression.service';
import { TaxonomyService } from '../taxonomy/taxonomy.service';
import { EventResolver } from './event-resolver.service';
import {
  MAX_BATCH_BYTES,
  MAX_BATCH_MESSAGES,
  parseMessage,
  type MessageType,
  type TrackedMessage,
} from './segment-message';
import type { SourceRow } from './sources.repository';
import { SourcesService } from './sources.service';

export interface TrackingResult {
  success: true;
  accepted: number;
  duplicates: number;
  rejected: { index: number; reason: string }[];
}

/**
 * Segment's tracking API semantics: 400 only for bodies that cannot be read (malformed JSON, over a limit),
 * 401 for an unknown write key; invalid messages inside a batch are recorded as rejections (visible in the
 * event debugger) and the rest are stored. 200 is sent only after they are committed to the inbox, from which
 * the resolver makes them events moments later.
 */
@Injectable()
export class TrackingService {
  constructor(
    @Inject(SourcesService) private readonly sources: SourcesService,
    @Inject(IngestRepository) private readonly ingestRepo: IngestRepository,
    @Inject(RejectionsRepository) private readonly rejections: RejectionsRepository,
    @Inject(TaxonomyService) private readonly taxonomy: TaxonomyService,
    @Inject(SuppressionService) private readonly suppression: SuppressionService,
    @Inject(EventResolver) private readonly resolver: EventResolver,
  ) {}

  async receive(
    authorization: string | undefined,
    body: Buffer,
    kind: MessageType | 'batch',
  ): Promise<TrackingResult> {
    const receivedAt = new Date();
    const payload = readBody(body);
    const source = await this.sources.authenticate(
      writeKeyFromBasic(authorization) ?? stringField(payload, 'writeKey'),
    );
    let raw: unknown[];
    if (kind === 'batch') {
      const batch = payload['batch'];
      if (!Array.isArray(batch)) throw invalid('batch must be an array of messages');
      if (batch.length > MAX_BATCH_MESSAGES) {
        throw new DomainError(
          'events.too_large',
          `batch has ${batch.length} messages; the limit is ${MAX_BATCH_MESSAGES}`,
        );
      }
      raw = batch;
    } else {
      raw = [payload];
    }
    const result = await this.store(source, raw, {
      receivedAt,
      batchSentAt: payload['sentAt'],
      impliedType: kind === 'batch' ? undefined : kind,
      bodyBytes: body.length,
    });
    if (kind !== 'batch' && result.rejected.length) throw invalid(result.rejected[0]!.reason);
    return result;
  }

  /** Segment's webhook destination: one event, an array, or `{ batch: [...] }`, signed by the source's secret. */
  async receiveWebhook(source: SourceRow, body: Buffer): Promise<TrackingResult> {
    const receivedAt = new Date();
    const parsed = parseJson(body);
    const raw = Array.isArray(parsed)
      ? parsed
      : isObject(parsed) && Array.isArray(parsed['batch'])
        ? parsed['batch']
        : [parsed];
    if (raw.length > MAX_BATCH_MESSAGES)
      throw new DomainError(
        'events.too_large',
        `delivery has ${raw.length} messages; the limit is ${MAX_BATCH_MESSAGES}`,
      );
    return this.store(source, raw, { receivedAt, bodyBytes: body.length });
  }

  private async store(
    source: SourceRow,
    raw: unknown[],
    opts: Parameters<typeof parseMessage>[1],
  ): Promise<TrackingResult> {
    const messages: TrackedMessage[] = [];
    const rejected: TrackingResult['rejected'] = [];
    raw.forEach((r, index) => {
      const parsed = parseMessage(r, opts);
      if (parsed.ok) messages.push(parsed.message);
      else rejected.push({ index, reason: parsed.reason });
    });
    if (rejected.length) {
      await this.rejections.record(
        source.workspaceId,
        source.id,
        rejected.map((r) => ({ reason: r.reason, payload: raw[r.index] })),
      );
    }
    const { kept } = await this.suppression.filter(source.workspaceId, messages);
    const matcher = await this.taxonomy.matcher(source.workspaceId);
    await this.resolver.admit(kept.length);
    const { accepted, duplicates } = await this.ingestRepo.ingest(
      source.workspaceId,
      source.id,
      kept,
      kept.map((m) => matcher.map(m)),
    );
    if (accepted) this.resolver.kick();
    return { success: true, accepted, duplicates, rejected };
  }
}

function readBody(body: Buffer): Record<string, unknown> {
  if (body.length > MAX_BATCH_BYTES) {
    throw new DomainError(
      'events.too_large',
      `request body is ${body.length} bytes; the limit is ${MAX_BATCH_BYTES} (500 KB)`,
    );
  }
  const parsed = parseJson(body);
  if (!isObject(parsed)) throw invalid('body must be a JSON object');
  return parsed;
}

function parseJson(body: Buffer): unknown {
  if (!body.length) throw new DomainError('events.invalid_json', 'request body is empty');
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw new DomainError('events.invalid_json', `request body is not valid JSON: ${(e as Error).message}`);
  }
}

/** Segment's HTTP API takes the write key as the Basic-auth user name, with an empty password. */
function writeKeyFromBasic(header: string | undefined): string | undefined {
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const user = decoded.split(':')[0];
  return user || undefined;
}

function stringField(o: Record<string, unknown>, k: string): string | undefined {
  return typeof o[k] === 'string' ? (o[k] as string) : undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function invalid(reason: string) {
  return new DomainError('events.invalid_message', reason);
}
