import { Inject, Injectable } from '@nestjs/common';
import { WORKFLOW_TYPES } from '@cairn/workflows';
import { DomainError } from '../../common/errors/domain-error';
import { EventsRepository } from '../events/events.repository';
import { JobsRepository } from '../jobs/jobs.repository';
import { TemporalService } from '../temporal/temporal.module';
import { DEFAULT_TAXONOMY, globToRegExp, TaxonomyMatcher, type TaxonomyRule } from './taxonomy-rules';
import { TaxonomyRepository } from './taxonomy.repository';

const PREVIEW_EVENTS = 50;
const REAPPLY_PAGE = 5_000;

const CACHE_TTL_MS = 5_000;

/** A workspace's rules, or the defaults until it saves its own; compiled matchers are cached briefly. */
@Injectable()
export class TaxonomyService {
  private readonly cache = new Map<string, { matcher: TaxonomyMatcher; until: number }>();

  constructor(
    @Inject(TaxonomyRepository) private readonly repo: TaxonomyRepository,
    @Inject(EventsRepository) private readonly events: EventsRepository,
    @Inject(JobsRepository) private readonly jobs: JobsRepository,
    @Inject(TemporalService) private readonly temporal: TemporalService,
  ) {}

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
    assertValid(rules);
    await this.repo.replace(workspaceId, rules);
    this.cache.delete(workspaceId);
  }

  /** How the latest events map now and how they would map under draft rules, without saving anything. */
  async preview(workspaceId: string, draft: TaxonomyRule[]) {
    assertValid(draft);
    const proposed = new TaxonomyMatcher(draft);
    const recent = await this.events.recent(workspaceId, PREVIEW_EVENTS);
    return recent.map((e) => ({
      messageId: e.messageId,
      timestamp: new Date(e.timestamp).toISOString(),
      type: e.type,
      event: e.event,
      url: e.url,
      current: {
        canonicalEvent: e.canonicalEvent,
        category: e.category,
        intent: e.intent as TaxonomyRule['intent'] | null,
      },
      proposed: proposed.map(e),
    }));
  }

  /** Starts re-mapping the whole history as a Temporal workflow; progress is kept on the job. */
  async startReapply(workspaceId: string, userId: string) {
    const temporal = this.temporal;
    const job = await this.jobs.create(
      workspaceId,
      'taxonomy.reapply',
      await this.events.count(workspaceId),
      userId,
    );
    await temporal.client.workflow.start(WORKFLOW_TYPES.reapplyTaxonomy, {
      taskQueue: temporal.config.temporal.taskQueue,
      workflowId: `reapply-taxonomy-${job.id}`,
      args: [{ jobId: job.id, workspaceId }],
    });
    return job;
  }

  async job(workspaceId: string, jobId: string) {
    const job = await this.jobs.get(workspaceId, jobId);
    if (!job) throw new DomainError('route.not_found', 'No such job in this workspace.');
    return job;
  }

  /** One page of the re-apply job (an activity): maps, writes only changed rows, records absolute progress. */
  async reapplyPage(
    jobId: string,
    workspaceId: string,
    after: { timestamp: string; messageId: string; done: number } | null,
  ) {
    this.cache.delete(workspaceId);
    const matcher = await this.matcher(workspaceId);
    const page = await this.events.page(workspaceId, after, REAPPLY_PAGE);
    await this.events.setMappings(
      workspaceId,
      page.map((e) => ({ timestamp: e.timestamp, messageId: e.messageId, ...matcher.map(e) })),
    );
    const done = (after?.done ?? 0) + page.length;
    await this.jobs.progress(jobId, done);
    const last = page.at(-1);
    return page.length < REAPPLY_PAGE || !last
      ? null
      : { timestamp: new Date(last.timestamp).toISOString(), messageId: last.messageId, done };
  }

  finishJob(jobId: string, state: 'completed' | 'failed', error: string | null) {
    return this.jobs.finish(jobId, state, error);
  }
}

function assertValid(rules: TaxonomyRule[]): void {
  const problems: string[] = [];
  rules.forEach((r, i) => {
    try {
      globToRegExp(r.pattern);
    } catch {
      problems.push(`rule ${i + 1}: pattern ${JSON.stringify(r.pattern)} is not valid`);
    }
  });
  if (problems.length) throw new DomainError('taxonomy.invalid_rule', 'Some rules are not valid.', problems);
}
