import { Inject, Injectable } from '@nestjs/common';
import { DEFAULT_TAXONOMY, TaxonomyMatcher, type TaxonomyRule } from './taxonomy-rules';
import { TaxonomyRepository } from './taxonomy.repository';

const CACHE_TTL_MS = 5_000;

/** A workspace's rules, or the defaults until it saves its own; compiled matchers are cached briefly. */
@Injectable()
export class TaxonomyService {
  private readonly cache = new Map<string, { matcher: TaxonomyMatcher; until: number }>();

  constructor(@Inject(TaxonomyRepository) private readonly repo: TaxonomyRepository) {}

  async rules(workspaceId: string): Promise<{ rules: TaxonomyRule[]; isDefault: boolean }> {
    const own = await this.repo.list(workspaceId);
    return own.length ? { rules: own, isDefault: false } : { rules: DEFAULT_TAXONOMY, isDefault: true };
  }

  async matcher(workspaceId: string): Promise<TaxonomyMatcher> {
    const hit = this.cache.get(workspaceId);
    if (hit && hit.until > Date.now()) return hit.matcher;
    const matcher = new TaxonomyMatcher((await this.rules(workspaceId)).rules);
    this.cache.set(workspaceId, { matcher, until: Date.now() + CACHE_TTL_MS });
    return matcher;
  }

  async replace(workspaceId: string, rules: TaxonomyRule[]): Promise<void> {
    await this.repo.replace(workspaceId, rules);
    this.cache.delete(workspaceId);
  }
}
