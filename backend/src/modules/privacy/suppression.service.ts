import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { TrackedMessage } from '../segment/segment-message';
import { PrivacyRepository } from './privacy.repository';

const CACHE_TTL_MS = 5_000;

export function suppressionHash(workspaceId: string, identifier: string): string {
  return createHash('sha256').update(`${workspaceId}:${identifier}`).digest('hex');
}

/** Drops incoming events of erased people. Workspaces that never erased anyone pay one cached lookup. */
@Injectable()
export class SuppressionService {
  private readonly any = new Map<string, { value: boolean; until: number }>();

  constructor(@Inject(PrivacyRepository) private readonly repo: PrivacyRepository) {}

  forget(workspaceId: string): void {
    this.any.delete(workspaceId);
  }

  async filter(
    workspaceId: string,
    messages: TrackedMessage[],
  ): Promise<{ kept: TrackedMessage[]; dropped: number }> {
    const cached = this.any.get(workspaceId);
    let any = cached && cached.until > Date.now() ? cached.value : undefined;
    if (any === undefined) {
      any = await this.repo.hasSuppressions(workspaceId);
      this.any.set(workspaceId, { value: any, until: Date.now() + CACHE_TTL_MS });
    }
    if (!any) return { kept: messages, dropped: 0 };
    const hashesOf = messages.map((m) => identifiersOf(m).map((i) => suppressionHash(workspaceId, i)));
    const suppressed = await this.repo.suppressedAmong(workspaceId, [...new Set(hashesOf.flat())]);
    const kept = messages.filter((_, i) => !hashesOf[i]!.some((h) => suppressed.has(h)));
    return { kept, dropped: messages.length - kept.length };
  }
}

function identifiersOf(m: TrackedMessage): string[] {
  const ids: string[] = [];
  if (m.userId) ids.push(`user_id:${m.userId}`);
  if (m.anonymousId) ids.push(`anonymous_id:${m.anonymousId}`);
  if (m.email) ids.push(`email:${m.email}`);
  return ids;
}
