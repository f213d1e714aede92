import { Inject, Injectable } from '@nestjs/common';
import { heuristicAttribution } from '../../insights/heuristic-attribution';
import { markovAttribution } from '../../insights/markov-attribution';
import { benjaminiHochberg } from '../../insights/multiple-testing';
import { differenceInterval, twoProportionZTest } from '../../insights/rate-ratio';
import { wilsonInterval } from '../../insights/wilson';
import type { ConversionPath } from '../../insights/conversion-path';
import { psi } from '../../intelligence/drift';
import { DomainError } from '../../common/errors/domain-error';
import {
  InsightsAttributionDto,
  InsightsChangesDto,
  InsightsDropoffDto,
  InsightsFunnelDto,
  InsightsFunnelSeriesDto,
  InsightsMetaDto,
  InsightsOptionsDto,
  InsightsQuery,
  InsightsIntervalDto,
  InsightsMomentsDto,
  InsightsOverviewAnswerDto,
  InsightsOverviewDto,
  InsightsPathsDto,
  PathsQuery,
  SplitQuery,
  InsightsSurvivalSegmentDto,
  type InsightsChannelQualityDto,
  type InsightsDriftFeatureDto,
  type InsightsAnomalyDto,
  type InsightsStageMixRowDto,
} from './insights.dto';
import {
  InsightsRepository,
  type Dimension,
  type FunnelRow,
  type InsightFilters,
} from './insights.repository';
import { count, days, DIMENSION_LABELS, pct, people, pValueText, segmentPhrase } from './insights-text';
import { findMoments, FDR } from './moments';
import { DAY_MS } from './profile-summary';
import { buildSankey, OUTCOME_LABELS, type RouteCount } from './sankey';
import { SummaryService, type InsightConfig } from './summary.service';
import type { RefreshState } from './summary.repository';
import { survivalBySegment, type SurvivalSeries } from './survival';

const DEFAULT_INACTIVE_DAYS = 30;
/** "What changed" compares the last 30 days with the 30 before. */
const PERIOD_DAYS = 30;
const EARLY_DAYS = 7;
/** Splits show this many segments; the rest are pooled as "Other". */
const MAX_SEGMENTS = 6;
/** Markov attribution keeps this many channels; the rest are pooled as "other channels". */
const MAX_CHANNELS = 12;
/** A segment or channel needs this many people before it is named as best or worst. */
const MIN_SEGMENT = 20;
/** Risk at or above this counts as high risk. */
export const HIGH_RISK = 0.5;
const CONVERTED_KEY = '__converted';
const CACHE_MS = 60_000;
const CACHE_ENTRIES = 500;
const OTHER_CHANNELS = 'other channels';

interface Ctx {
  workspaceId: string;
  config: InsightConfig;
  state: RefreshState;
  filters: InsightFilters;
  asOf: Date;
  inactiveDays: number;
  dropCut: Date;
}

const daysBefore = (d: Date, n: number) => new Date(d.getTime() - n * DAY_MS);
const ratePhrase = (i: { estimate: number; lower: number; upper: number }) =>
  `${pct(i.estimate)} (95% CI ${pct(i.lower)}–${pct(i.upper)})`;

/** The insights rules: what each view computes from the per-person summary, and how it is said in words. */
@Injectable()
export class InsightsService {
  constructor(
    @Inject(InsightsRepository) private readonly repo: InsightsRepository,
    @Inject(SummaryService) private readonly summary: SummaryService,
  ) {
    // The landing page is ready before anyone asks: each new summary version gets its overview computed.
    summary.onRefreshed((workspaceId) => {
      if (this.cacheMs > 0) this.overview(workspaceId, {}).catch(() => undefined);
    });
  }

  private async context(workspaceId: string, q: InsightsQuery): Promise<Ctx> {
    const config = await this.summary.config(workspaceId);
    const state = await this.summary.ensureFresh(workspaceId, config);
    const asOf = q.asOf ? new Date(q.asOf) : new Date();
    const from = q.from ? new Date(`${q.from.slice(0, 10)}T00:00:00Z`) : null;
    const to = q.to ? new Date(new Date(`${q.to.slice(0, 10)}T00:00:00Z`).getTime() + DAY_MS) : null;
    if (from && to && from >= to)
      throw new DomainError('validation.failed', 'The start of the date range must be before its end.');
    const inactiveDays = q.inactiveDays ?? DEFAULT_INACTIVE_DAYS;
    return {
      workspaceId,
      config,
      state,
      asOf,
      inactiveDays,
      dropCut: daysBefore(asOf, inactiveDays),
      filters: {
        from,
        to,
        channel: q.channel ?? null,
        companySize: q.companySize ?? null,
        plan: q.plan ?? null,
        region: q.region ?? null,
      },
    };
  }

  /**
   * Views are pure functions of the summary, the settings and the query: an answer is kept until the summary is
   * refreshed (or for `cacheMs`, since "now" moves on), and identical requests in flight share one computation.
   * The benchmark sets `cacheMs` to 0 to time the queries themselves.
   */
  cacheMs = CACHE_MS;
  private readonly cache = new Map<string, { version: string; expires: number; value: Promise<unknown> }>();

  private async cached<T>(
    workspaceId: string,
    view: string,
    q: object,
    compute: (ctx: Ctx) => Promise<T>,
  ): Promise<T> {
    const ctx = await this.context(workspaceId, q as InsightsQuery);
    if (this.cacheMs <= 0) return compute(ctx);
    const query = Object.entries(q)
      .filter(([, v]) => v !== undefined && v !== null && v !== '')
      .sort(([a], [b]) => (a < b ? -1 : 1));
    const key = `${workspaceId}|${view}|${JSON.stringify(query)}`;
    const version = `${ctx.config.hash}@${new Date(ctx.state.refreshedAt).getTime()}`;
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && hit.version === version && hit.expires > now) return hit.value as Promise<T>;
    const value = compute(ctx);
    this.cache.delete(key);
    this.cache.set(key, { version, expires: now + this.cacheMs, value });
    // A failure is not remembered.
    value.catch(() => this.cache.get(key)?.value === value && this.cache.delete(key));
    for (const k of this.cache.keys()) {
      if (this.cache.size <= CACHE_ENTRIES) break;
      this.cache.delete(k);
    }
    return value;
  }

  private meta(ctx: Ctx, population: number): InsightsMetaDto {
    const f = ctx.filters;
    const day = (d: Date | null, shift = 0) =>
      d ? new Date(d.getTime() - shift).toISOString().slice(0, 10) : null;
    return {
      asOf: ctx.asOf.toISOString(),
      refreshedAt: ctx.state.refreshedAt ? new Date(ctx.state.refreshedAt).toISOString() : null,
      people: population,
      goal: ctx.config.goalLabel,
      horizonDays: ctx.config.settings.horizonDays,
      inactiveDays: ctx.inactiveDays,
      stages: ctx.config.stages,
      filters: {
        from: day(f.from),
        to: day(f.to, DAY_MS),
        channel: f.channel,
        companySize: f.companySize,
        plan: f.plan,
        region: f.region,
      },
    };
  }

  // ---------------------------------------------------------------- options

  /** Filter options only change when the summary does: kept per workspace and summary version. */
  private readonly optionsCache = new Map<string, { version: string; value: InsightsOptionsDto }>();

  async options(workspaceId: string): Promise<InsightsOptionsDto> {
    const config = await this.summary.config(workspaceId);
    const state = await this.summary.ensureFresh(workspaceId, config);
    const version = `${config.hash}@${new Date(state.refreshedAt).getTime()}`;
    const cached = this.optionsCache.get(workspaceId);
    if (cached?.version === version) return cached.value;
    const o = await this.repo.options(workspaceId);
    const value: InsightsOptionsDto = {
      ...o.values,
      stages: config.stages,
      goal: config.goalLabel,
      horizonDays: config.settings.horizonDays,
      people: o.people,
      staged: o.staged,
      converted: o.converted,
      scored: o.scored,
      firstSeen: o.firstSeen
        ? { from: o.firstSeen.from.toISOString(), to: o.firstSeen.to.toISOString() }
        : null,
      refreshedAt: state.refreshedAt ? new Date(state.refreshedAt).toISOString() : null,
    };
    this.optionsCache.set(workspaceId, { version, value });
    return value;
  }

  // ---------------------------------------------------------------- funnel

  funnel(workspaceId: string, q: SplitQuery): Promise<InsightsFunnelDto> {
    return this.cached(workspaceId, 'funnel', q, (ctx) => this.funnelOf(ctx, q.split ?? null));
  }

  private async funnelOf(ctx: Ctx, split: Dimension | null, medians = true): Promise<InsightsFunnelDto> {
    const stages = ctx.config.stages;
    if (stages.length === 0) {
      return {
        meta: this.meta(ctx, 0),
        headline:
          'No journey stages yet. Stages appear once Cairn has scored your prospects; define them under Settings or let Cairn suggest them.',
        split,
        overall: null,
        segments: [],
      };
    }
    const rows = await this.repo.funnel(
      ctx.workspaceId,
      ctx.filters,
      ctx.asOf,
      stages.length,
      ctx.dropCut,
      split,
      medians,
    );
    const overallRow = rows.find((r) => r.segment === null);
    const overall =
      overallRow && overallRow.profiles > 0 ? this.funnelSeries(ctx, 'All prospects', overallRow) : null;
    const segmentRows = rows.filter((r) => r.segment !== null).sort((a, b) => b.profiles - a.profiles);
    const segments: InsightsFunnelSeriesDto[] = [];
    if (segmentRows.length > MAX_SEGMENTS) {
      const rest = segmentRows.slice(MAX_SEGMENTS - 1);
      const sum = (pick: (r: FunnelRow) => number[]) =>
        stages.map((_, i) => rest.reduce((s, r) => s + pick(r)[i]!, 0));
      segmentRows.splice(MAX_SEGMENTS - 1, rest.length, {
        segment: 'Other',
        profiles: rest.reduce((s, r) => s + r.profiles, 0),
        reached: sum((r) => r.reached),
        dropped: sum((r) => r.dropped),
        still: sum((r) => r.still),
        medians: stages.map(() => null),
        converted: rest.reduce((s, r) => s + r.converted, 0),
        convertedAtEnd: rest.reduce((s, r) => s + r.convertedAtEnd, 0),
      });
    }
    for (const r of segmentRows) segments.push(this.funnelSeries(ctx, r.segment!, r));
    return {
      meta: this.meta(ctx, overall?.people ?? 0),
      headline: this.funnelHeadline(overall),
      split,
      overall,
      segments,
    };
  }

  private funnelSeries(ctx: Ctx, segment: string, r: FunnelRow): InsightsFunnelSeriesDto {
    const stages = ctx.config.stages;
    const steps = stages.map((s, i) => ({
      key: s.key,
      label: s.label,
      reached: r.reached[i]!,
      conversion: i === 0 ? null : InsightsIntervalDto.from(wilsonInterval(r.reached[i]!, r.reached[i - 1]!)),
      fromStart: r.reached[0] ? r.reached[i]! / r.reached[0] : 0,
      droppedHere: r.dropped[i]!,
      stillHere: r.still[i]!,
      medianDays: r.medians[i] ?? null,
    }));
    if (ctx.config.goal?.kind === 'event') {
      const last = r.reached[stages.length - 1]!;
      steps.push({
        key: CONVERTED_KEY,
        label: `Converted (${ctx.config.goal.event})`,
        reached: r.convertedAtEnd,
        conversion: InsightsIntervalDto.from(wilsonInterval(r.convertedAtEnd, last)),
        fromStart: r.reached[0] ? r.convertedAtEnd / r.reached[0] : 0,
        droppedHere: 0,
        stillHere: 0,
        medianDays: null,
      });
    }
    return { segment, people: r.profiles, converted: r.converted, steps };
  }

  private funnelHeadline(overall: InsightsFunnelSeriesDto | null): string {
    if (!overall) return 'No one with a journey stage matches these filters yet.';
    const transitions = overall.steps
      .map((s, i) => ({ s, prev: overall.steps[i - 1] }))
      .filter((t) => t.prev && t.prev.reached > 0 && t.s.conversion?.estimate !== null && t.s.conversion);
    if (transitions.length === 0) return `${people(overall.people)} are at ${overall.steps[0]!.label}.`;
    const worst = transitions.reduce((a, b) =>
      b.s.conversion!.estimate! < a.s.conversion!.estimate! ? b : a,
    );
    const c = worst.s.conversion!;
    const lost = worst.prev!.reached - worst.s.reached;
    return `The biggest drop is from ${worst.prev!.label} to ${worst.s.label}: ${ratePhrase({
      estimate: c.estimate!,
      lower: c.lower ?? 0,
      upper: c.upper ?? 1,
    })} move on, so ${people(lost)} stop there.`;
  }

  // ---------------------------------------------------------------- paths

  paths(workspaceId: string, q: PathsQuery): Promise<InsightsPathsDto> {
    return this.cached(workspaceId, 'paths', q, (ctx) => this.pathsOf(ctx, q));
  }

  private async pathsOf(ctx: Ctx, q: PathsQuery): Promise<InsightsPathsDto> {
    const by = q.by ?? 'stage';
    const top = q.top ?? 10;
    const rows = await this.repo.paths(ctx.workspaceId, ctx.filters, ctx.asOf, by, ctx.dropCut, top);
    const labels = new Map(ctx.config.stages.map((s) => [s.key, s.label]));
    const routes: RouteCount[] = rows.map((r) => ({
      steps:
        r.channel === null
          ? null
          : [r.channel, ...(r.path ?? []).map((s) => (by === 'stage' ? (labels.get(s) ?? s) : s))],
      outcome: r.outcome,
      n: r.n,
    }));
    const sankey = buildSankey(routes, top);
    const first = sankey.paths[0];
    const toConversion = sankey.paths.find((p) => p.outcome === 'converted');
    const route = (p: { steps: string[]; outcome: keyof typeof OUTCOME_LABELS }) =>
      [...p.steps, OUTCOME_LABELS[p.outcome]].join(' → ');
    const headline = !first
      ? 'No journeys match these filters yet.'
      : `The most common path is ${route(first)} (${people(first.people)}, ${pct(first.share)}).` +
        (toConversion && toConversion !== first
          ? ` The most common path to conversion is ${route(toConversion)} (${people(toConversion.people)}).`
          : '');
    return {
      meta: this.meta(ctx, sankey.total),
      headline,
      by,
      nodes: sankey.nodes.map((n) => ({ ...n, label: n.state })),
      links: sankey.links,
      paths: sankey.paths,
      otherPeople: sankey.otherPeople,
    };
  }

  // ---------------------------------------------------------------- moments

  moments(workspaceId: string, q: InsightsQuery): Promise<InsightsMomentsDto> {
    return this.cached(workspaceId, 'moments', q, (ctx) => this.momentsOf(ctx));
  }

  private async momentsOf(ctx: Ctx): Promise<InsightsMomentsDto> {
    const horizon = ctx.config.settings.horizonDays;
    const groups = await this.repo.masks(ctx.workspaceId, ctx.filters, ctx.asOf, horizon);
    const result = findMoments(groups, ctx.state.vocabulary);
    const significant = result.moments.filter((m) => m.significant);
    let headline: string;
    if (!ctx.config.goal) headline = 'Set a conversion goal (or journey stages) to see which moments matter.';
    else if (result.people === 0)
      headline = `No one here has been around for the full ${horizon}-day horizon yet; moments appear once people have had ${horizon} days to convert.`;
    else if (result.converted === 0)
      headline = `None of the ${people(result.people)} first seen at least ${horizon} days ago converted within ${horizon} days yet.`;
    else if (significant.length === 0)
      headline = `No touchpoint stands out yet: ${result.tested} tested on ${people(result.people)}, none passes the ${pct(FDR)} false-discovery threshold.`;
    else headline = `${significant[0]!.sentence}.`;
    return {
      meta: this.meta(ctx, result.people),
      headline,
      eligible: result.people,
      converted: result.converted,
      baselineRate: result.people ? result.converted / result.people : null,
      tested: result.tested,
      findings: significant.slice(0, 8).map((m) => `${m.sentence}.`),
      moments: result.moments.map((m) => ({
        id: m.id,
        kind: m.kind,
        label: m.label,
        sentence: m.sentence,
        withPeople: m.withPeople,
        withConverted: m.withConverted,
        withoutPeople: m.withoutPeople,
        withoutConverted: m.withoutConverted,
        lift: InsightsIntervalDto.from(m.lift),
        pValue: m.pValue,
        qValue: m.qValue,
        significant: m.significant,
      })),
    };
  }

  // ---------------------------------------------------------------- attribution

  attribution(workspaceId: string, q: InsightsQuery): Promise<InsightsAttributionDto> {
    return this.cached(workspaceId, 'attribution', q, (ctx) => this.attributionOf(ctx));
  }

  private async attributionOf(ctx: Ctx): Promise<InsightsAttributionDto> {
    const [paths, quality] = await this.repo.together(() =>
      Promise.all([this.repo.touchPaths(ctx.workspaceId, ctx.filters, ctx.asOf), this.channelQuality(ctx)]),
    );
    // Keep the most-touched channels; the exact solve is per channel and the long tail says little.
    const touches = new Map<string, number>();
    for (const p of paths)
      for (const c of new Set(p.path)) touches.set(c, (touches.get(c) ?? 0) + p.conversions + p.nulls);
    const kept = new Set(
      [...touches]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, MAX_CHANNELS)
        .map(([c]) => c),
    );
    const conversionPaths: ConversionPath[] = paths.map((p) => ({
      channels: p.path
        .map((c) => (kept.has(c) ? c : OTHER_CHANNELS))
        .filter((c, i, all) => i === 0 || c !== all[i - 1]),
      conversions: p.conversions,
      nulls: p.nulls,
      value: p.conversions,
    }));
    const journeys = paths.reduce((s, p) => s + p.conversions + p.nulls, 0);
    const conversions = paths.reduce((s, p) => s + p.conversions, 0);
    let channels: InsightsAttributionDto['channels'] = [];
    let baseline = 0;
    if (conversions > 0) {
      const markov = markovAttribution(conversionPaths);
      const heuristic = heuristicAttribution(conversionPaths);
      const h = new Map(heuristic.channels.map((c, i) => [c, i]));
      baseline = markov.baseline;
      channels = markov.channels
        .map((channel, i) => {
          const j = h.get(channel)!;
          return {
            channel,
            removalEffect: markov.removalEffects[i]!,
            markov: markov.conversions[i]!,
            firstTouch: heuristic.firstTouch[j]!,
            lastTouch: heuristic.lastTouch[j]!,
            linear: heuristic.linear[j]!,
          };
        })
        .sort((a, b) => b.markov - a.markov || a.channel.localeCompare(b.channel));
    }
    const meta = this.meta(ctx, journeys);
    let headline: string;
    if (!ctx.config.goal) headline = 'Set a conversion goal (or journey stages) to attribute conversions.';
    else if (journeys === 0) headline = 'No journeys match these filters yet.';
    else if (conversions === 0) headline = `None of the ${people(journeys)} here has converted yet.`;
    else {
      const top = channels[0]!;
      headline =
        `${top.channel} matters most: without it, ${pct(top.removalEffect)} of conversions would be lost (Markov removal effect).` +
        this.qualityHeadline(quality);
    }
    return { meta, headline, journeys, conversions, baseline, channels, quality };
  }

  private async channelQuality(ctx: Ctx, medians = true): Promise<InsightsChannelQualityDto[]> {
    const rows = await this.repo.channelQuality(ctx.workspaceId, ctx.filters, ctx.asOf, medians);
    const total = rows.reduce((s, r) => s + r.people, 0);
    const converted = rows.reduce((s, r) => s + r.conversions, 0);
    const tested = rows.map((r) => {
      const rest = { successes: converted - r.conversions, trials: total - r.people };
      const test = twoProportionZTest({ successes: r.conversions, trials: r.people }, rest);
      return { r, p: Number.isFinite(test.pValue) ? test.pValue : 1, z: test.z };
    });
    const q = tested.length ? benjaminiHochberg(tested.map((t) => t.p)).qValues : new Float64Array();
    return tested
      .map(({ r, z }, i) => ({
        channel: r.channel,
        people: r.people,
        conversions: r.conversions,
        conversionRate: InsightsIntervalDto.from(wilsonInterval(r.conversions, r.people)),
        medianDaysToConvert: r.medianDays,
        quality: (q[i]! <= FDR && r.people >= MIN_SEGMENT ? (z > 0 ? 'above' : 'below') : 'average') as
          'above' | 'below' | 'average',
      }))
      .sort((a, b) => b.people - a.people || a.channel.localeCompare(b.channel));
  }

  private qualityHeadline(quality: InsightsChannelQualityDto[]): string {
    const big = quality.filter((c) => c.people >= MIN_SEGMENT && c.conversionRate.estimate !== null);
    if (big.length < 2) return '';
    const best = big.reduce((a, b) => (b.conversionRate.estimate! > a.conversionRate.estimate! ? b : a));
    const largest = big[0]!;
    const total = quality.reduce((s, c) => s + c.people, 0);
    if (best.channel === largest.channel)
      return ` ${best.channel} brings the most prospects (${pct(largest.people / total)}) and converts best (${pct(best.conversionRate.estimate!)}).`;
    return ` ${best.channel} brings ${pct(best.people / total)} of prospects but converts best (${pct(best.conversionRate.estimate!)}); ${largest.channel} brings the most (${pct(largest.people / total)}) and converts at ${pct(largest.conversionRate.estimate!)}.`;
  }

  // ---------------------------------------------------------------- time to drop-off

  dropoff(workspaceId: string, q: SplitQuery): Promise<InsightsDropoffDto> {
    return this.cached(workspaceId, 'dropoff', q, (ctx) => this.dropoffOf(ctx, q));
  }

  private async dropoffOf(ctx: Ctx, q: SplitQuery): Promise<InsightsDropoffDto> {
    const split = q.split ?? 'channel';
    const rows = await this.repo.survival(ctx.workspaceId, ctx.filters, ctx.asOf, ctx.dropCut, split);
    const { overall, segments, logRank } = survivalBySegment(rows, MAX_SEGMENTS);
    const toDto = (s: SurvivalSeries): InsightsSurvivalSegmentDto => s;
    let headline: string;
    if (overall.people === 0) headline = 'No journeys match these filters yet.';
    else {
      headline =
        overall.medianDays !== null
          ? `Half of prospects have dropped off by day ${overall.medianDays} after their first touch (gone quiet for ${ctx.inactiveDays}+ days without converting).`
          : `Fewer than half of prospects have dropped off so far: ${pct(1 - overall.points[overall.points.length - 1]!.survival)} by day ${overall.points[overall.points.length - 1]!.day}.`;
      const named = segments.filter((s) => s.people >= MIN_SEGMENT && s.segment !== 'Other');
      if (logRank && Number.isFinite(logRank.pValue) && logRank.pValue < 0.05 && named.length >= 2) {
        const hold = (s: SurvivalSeries) => s.medianDays ?? Infinity;
        const longest = named.reduce((a, b) => (hold(b) > hold(a) ? b : a));
        const shortest = named.reduce((a, b) => (hold(b) < hold(a) ? b : a));
        const m = (s: SurvivalSeries) =>
          s.medianDays === null ? 'no median yet' : `median ${days(s.medianDays)}`;
        headline += ` Timing differs by ${DIMENSION_LABELS[split]} (log-rank ${pValueText(logRank.pValue)}): ${shortest.segment} drops off soonest (${m(shortest)}), ${longest.segment} holds on longest (${m(longest)}).`;
      } else if (logRank)
        headline += ` Timing does not differ clearly by ${DIMENSION_LABELS[split]} (log-rank ${pValueText(logRank.pValue)}).`;
    }
    return {
      meta: this.meta(ctx, overall.people),
      headline,
      split,
      overall: overall.people ? toDto(overall) : null,
      segments: segments.map(toDto),
      logRank: logRank
        ? {
            chiSquare: logRank.chiSquare,
            df: logRank.df,
            pValue: Number.isFinite(logRank.pValue) ? logRank.pValue : null,
          }
        : null,
    };
  }

  // ---------------------------------------------------------------- what changed

  changes(workspaceId: string, q: InsightsQuery): Promise<InsightsChangesDto> {
    return this.cached(workspaceId, 'changes', q, (ctx) => this.changesOf(ctx));
  }

  private async changesOf(ctx: Ctx): Promise<InsightsChangesDto> {
    const { asOf } = ctx;
    const curFrom = daysBefore(asOf, PERIOD_DAYS);
    const prevFrom = daysBefore(asOf, 2 * PERIOD_DAYS);
    // Cohorts whose first week is complete.
    const cohortTo = daysBefore(asOf, EARLY_DAYS);
    const cohortCur = daysBefore(cohortTo, PERIOD_DAYS);
    const cohortPrev = daysBefore(cohortTo, 2 * PERIOD_DAYS);
    // Drop-offs can only be seen once people have been quiet for inactiveDays.
    const dropTo = ctx.dropCut;
    const dropCur = daysBefore(dropTo, PERIOD_DAYS);
    const dropPrev = daysBefore(dropTo, 2 * PERIOD_DAYS);
    const [entries, early, drops] = await this.repo.together(() =>
      Promise.all([
        this.repo.stageEntries(ctx.workspaceId, ctx.filters, asOf, prevFrom, curFrom),
        this.repo.earlyBehaviour(ctx.workspaceId, ctx.filters, asOf, cohortPrev, cohortCur, cohortTo),
        this.repo.dropoffsByPeriod(ctx.workspaceId, ctx.filters, asOf, {
          previousFrom: dropPrev,
          currentFrom: dropCur,
          currentTo: dropTo,
        }),
      ]),
    );
    const period = (from: Date, to: Date) => ({ from: from.toISOString(), to: to.toISOString() });
    const stages = ctx.config.stages;
    const labelOf = new Map(stages.map((s) => [s.key, s.label]));
    const findings: string[] = [];

    // Stage mix: entries into each stage, as shares of all entries in the period.
    const keys = [...new Set([...stages.map((s) => s.key), ...entries.map((e) => e.stage)])];
    const n = (stage: string, current: boolean) =>
      entries.find((e) => e.stage === stage && e.current === current)?.n ?? 0;
    const curTotal = entries.filter((e) => e.current).reduce((s, e) => s + e.n, 0);
    const prevTotal = entries.filter((e) => !e.current).reduce((s, e) => s + e.n, 0);
    const mixRows: InsightsStageMixRowDto[] = keys
      .map((stage) => {
        const current = n(stage, true);
        const previous = n(stage, false);
        const currentShare = curTotal ? current / curTotal : 0;
        const previousShare = prevTotal ? previous / prevTotal : 0;
        return {
          stage,
          label: labelOf.get(stage) ?? stage,
          current,
          previous,
          currentShare,
          previousShare,
          changePoints: (currentShare - previousShare) * 100,
        };
      })
      .filter((r) => r.current + r.previous > 0 || labelOf.has(r.stage));
    const mixPsi =
      curTotal && prevTotal ? categoricalPsi(mixRows.map((r) => [r.previousShare, r.currentShare])) : null;
    const biggestShift = [...mixRows].sort((a, b) => Math.abs(b.changePoints) - Math.abs(a.changePoints))[0];
    if (biggestShift && curTotal && prevTotal && Math.abs(biggestShift.changePoints) >= 5)
      findings.push(
        `${biggestShift.label} made up ${pct(biggestShift.currentShare)} of stage entries in the last ${PERIOD_DAYS} days, ${biggestShift.changePoints > 0 ? 'up' : 'down'} from ${pct(biggestShift.previousShare)}.`,
      );
    if (curTotal && prevTotal && Math.abs(curTotal - prevTotal) / prevTotal >= 0.2)
      findings.push(
        `Stage entries ${curTotal > prevTotal ? 'rose' : 'fell'} ${pct(Math.abs(curTotal - prevTotal) / prevTotal)} (${count(prevTotal)} → ${count(curTotal)}).`,
      );

    // Feature drift: the first week of new prospects now against the cohort before.
    const FEATURES = [
      ['events', 'Events in the first week'],
      ['days', 'Active days in the first week'],
      ['categories', 'Content categories seen in the first week'],
      ['evaluation', 'Evaluation-intent events in the first week'],
    ] as const;
    const values = (current: boolean, feature: (typeof FEATURES)[number][0]) => {
      const rows = early.filter((r) => r.current === current);
      const out = new Float64Array(rows.reduce((s, r) => s + r.n, 0));
      let at = 0;
      for (const r of rows) {
        out.fill(Number(r[feature]), at, at + r.n);
        at += r.n;
      }
      return out;
    };
    const curPeople = early.filter((r) => r.current).reduce((s, r) => s + r.n, 0);
    const prevPeople = early.filter((r) => !r.current).reduce((s, r) => s + r.n, 0);
    const mean = (xs: Float64Array) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null);
    const features: InsightsDriftFeatureDto[] = FEATURES.map(([feature, label]) => {
      const cur = values(true, feature);
      const prev = values(false, feature);
      const value = cur.length >= MIN_SEGMENT && prev.length >= MIN_SEGMENT ? psi(prev, cur).psi : null;
      return {
        feature,
        label,
        psi: value,
        status: value === null ? 'unknown' : value < 0.1 ? 'stable' : value < 0.25 ? 'drifting' : 'shifted',
        currentMean: mean(cur),
        previousMean: mean(prev),
      };
    });
    for (const f of features.filter((f) => f.status === 'shifted' || f.status === 'drifting'))
      findings.push(
        `${f.label} ${f.status === 'shifted' ? 'shifted' : 'is drifting'} (PSI ${f.psi!.toFixed(2)}): new prospects average ${f.currentMean!.toFixed(1)}, against ${f.previousMean!.toFixed(1)} before.`,
      );

    // Drop-off anomalies: each stage's drop-off rate against the previous period, BH across stages.
    const tested = drops.map((d) => {
      const cur = { successes: d.droppedCurrent, trials: d.activeCurrent };
      const prev = { successes: d.droppedPrevious, trials: d.activePrevious };
      const ok = cur.trials > 0 && prev.trials > 0;
      const test = ok ? twoProportionZTest(cur, prev) : { z: NaN, pValue: NaN };
      return {
        d,
        difference: ok ? differenceInterval(cur, prev) : { estimate: NaN, lower: NaN, upper: NaN },
        p: test.pValue,
      };
    });
    const finiteP = tested.filter((t) => Number.isFinite(t.p));
    const qs = finiteP.length ? benjaminiHochberg(finiteP.map((t) => t.p)).qValues : new Float64Array();
    const anomalies: InsightsAnomalyDto[] = tested.map((t) => {
      const k = finiteP.indexOf(t);
      const q = k >= 0 ? qs[k]! : null;
      const stage = stages[t.d.stage];
      return {
        stage: stage?.key ?? String(t.d.stage),
        label: stage?.label ?? `Stage ${t.d.stage + 1}`,
        currentDropped: t.d.droppedCurrent,
        currentActive: t.d.activeCurrent,
        previousDropped: t.d.droppedPrevious,
        previousActive: t.d.activePrevious,
        difference: InsightsIntervalDto.from(t.difference),
        pValue: Number.isFinite(t.p) ? t.p : null,
        qValue: q,
        flagged: q !== null && q <= FDR,
      };
    });
    for (const a of anomalies.filter((a) => a.flagged)) {
      const cur = a.currentDropped / a.currentActive;
      const prev = a.previousDropped / a.previousActive;
      findings.push(
        `Drop-offs at ${a.label} ${cur > prev ? 'rose' : 'fell'} from ${pct(prev)} to ${pct(cur)} of active people (q = ${a.qValue!.toFixed(3)}).`,
      );
    }

    const headline = findings.length
      ? findings[0]!
      : curTotal + prevTotal + curPeople + prevPeople === 0
        ? `Not enough history yet: what changed compares the last ${PERIOD_DAYS} days with the ${PERIOD_DAYS} before.`
        : `Nothing notable changed in the last ${PERIOD_DAYS} days: stage mix, early behaviour and drop-off rates are in line with the period before.`;
    return {
      meta: this.meta(ctx, curPeople + prevPeople),
      headline,
      findings,
      stageMix: {
        current: period(curFrom, asOf),
        previous: period(prevFrom, curFrom),
        psi: mixPsi,
        rows: mixRows,
      },
      drift: {
        current: period(cohortCur, cohortTo),
        previous: period(cohortPrev, cohortCur),
        currentPeople: curPeople,
        previousPeople: prevPeople,
        features,
      },
      anomalies: { current: period(dropCur, dropTo), previous: period(dropPrev, dropCur), stages: anomalies },
    };
  }

  // ---------------------------------------------------------------- overview

  overview(workspaceId: string, q: InsightsQuery): Promise<InsightsOverviewDto> {
    return this.cached(workspaceId, 'overview', q, (ctx) => this.overviewOf(ctx));
  }

  private async overviewOf(ctx: Ctx): Promise<InsightsOverviewDto> {
    const [funnel, moments, quality, changes, risk] = await this.repo.together(() =>
      Promise.all([
        this.funnelOf(ctx, null, false),
        this.momentsOf(ctx),
        this.channelQuality(ctx, false),
        this.changesOf(ctx),
        this.repo.segmentRisk(ctx.workspaceId, ctx.filters, ctx.asOf, ctx.dropCut, HIGH_RISK),
      ]),
    );
    const answers: InsightsOverviewAnswerDto[] = [
      this.dropoffAnswer(funnel),
      this.behaviourAnswer(moments),
      this.channelAnswer(quality),
      {
        id: 'changes',
        question: `What changed in the last ${PERIOD_DAYS} days?`,
        answer: changes.headline,
        detail: changes.findings.length > 1 ? changes.findings.slice(1, 3).join(' ') : null,
        status: changes.findings.length || changes.meta.people ? 'answer' : 'no-data',
        evidence: { view: 'changes', label: 'See what changed', query: {} },
      },
      this.segmentAnswer(risk),
    ];
    return {
      // Channel quality counts everyone matching the filters, converted or not.
      meta: this.meta(
        ctx,
        quality.reduce((n, c) => n + c.people, 0),
      ),
      answers,
    };
  }

  private dropoffAnswer(funnel: InsightsFunnelDto): InsightsOverviewAnswerDto {
    const o = funnel.overall;
    const base = {
      id: 'dropoff' as const,
      question: 'Where are people dropping off?',
      evidence: { view: 'funnel' as const, label: 'See the funnel', query: {} },
    };
    if (!o) return { ...base, answer: funnel.headline, detail: null, status: 'no-data' };
    const most = [...o.steps].sort((a, b) => b.droppedHere - a.droppedHere)[0]!;
    return {
      ...base,
      answer: funnel.headline,
      detail:
        most.droppedHere > 0
          ? `Most drop-offs happen at ${most.label}: ${people(most.droppedHere)} went quiet there without moving on.`
          : null,
      status: 'answer',
    };
  }

  private behaviourAnswer(m: InsightsMomentsDto): InsightsOverviewAnswerDto {
    const positive = m.moments.filter((x) => x.significant && (x.lift.estimate ?? 0) > 1);
    return {
      id: 'behaviours',
      question: 'Which behaviours increase progression?',
      answer: positive.length ? `${positive[0]!.sentence}.` : m.headline,
      detail: positive.length > 1 ? `${positive[1]!.sentence}.` : null,
      status: positive.length ? 'answer' : 'no-data',
      evidence: { view: 'moments', label: 'See moments that matter', query: {} },
    };
  }

  private channelAnswer(quality: InsightsChannelQualityDto[]): InsightsOverviewAnswerDto {
    const base = {
      id: 'channels' as const,
      question: 'Which channels bring high-quality journeys, not just volume?',
      evidence: { view: 'attribution' as const, label: 'See channels and attribution', query: {} },
    };
    const big = quality.filter((c) => c.people >= MIN_SEGMENT && c.conversionRate.estimate !== null);
    const converted = quality.reduce((s, c) => s + c.conversions, 0);
    if (big.length === 0 || converted === 0)
      return {
        ...base,
        answer: 'Not enough conversions yet to compare channels.',
        detail: null,
        status: 'no-data',
      };
    const total = quality.reduce((s, c) => s + c.people, 0);
    const best = big.reduce((a, b) => (b.conversionRate.estimate! > a.conversionRate.estimate! ? b : a));
    const largest = big[0]!;
    const rate = (c: InsightsChannelQualityDto) =>
      ratePhrase({
        estimate: c.conversionRate.estimate!,
        lower: c.conversionRate.lower ?? 0,
        upper: c.conversionRate.upper ?? 1,
      });
    const answer =
      best.channel === largest.channel
        ? `${best.channel} brings the most prospects (${pct(best.people / total)}) and the best journeys: ${rate(best)} convert.`
        : `${best.channel} brings the best journeys: ${rate(best)} convert, from ${pct(best.people / total)} of prospects. ${largest.channel} brings the most (${pct(largest.people / total)}), and ${pct(largest.conversionRate.estimate!)} of them convert.`;
    const below = big.filter((c) => c.quality === 'below').map((c) => c.channel);
    return {
      ...base,
      answer,
      detail: below.length ? `Converting below average: ${below.slice(0, 3).join(', ')}.` : null,
      status: 'answer',
    };
  }

  private segmentAnswer(
    rows: Awaited<ReturnType<InsightsRepository['segmentRisk']>>,
  ): InsightsOverviewAnswerDto {
    const base = { id: 'segment' as const, question: 'Which segment needs action now?' };
    const all = rows.find((r) => r.dimension === null);
    const segments = rows.filter((r) => r.dimension !== null);
    if (!all || all.people === 0)
      return {
        ...base,
        answer: 'No open journeys match these filters.',
        detail: null,
        status: 'no-data',
        evidence: { view: 'prospects', label: 'See prospects by risk', query: { sort: 'risk' } },
      };
    if (all.scored >= MIN_SEGMENT) {
      // Forward-looking: share of active, unconverted people the model puts at high risk.
      const best = pickSegment(
        segments.filter((s) => s.scored >= MIN_SEGMENT),
        all,
        (r) => ({ successes: r.highRisk, trials: r.scored }),
      );
      const overall = all.highRisk / all.scored;
      if (best)
        return {
          ...base,
          answer: `${segmentPhrase(best.row.dimension!, best.row.value!)}: ${pct(best.rate)} are at high risk of dropping off, against ${pct(best.restRate)} of everyone else (${people(best.row.scored)}, ${pValueText(best.p)}).`,
          detail: `${pct(overall)} of all active prospects are at high risk (risk ≥ ${pct(HIGH_RISK)}).`,
          status: 'answer',
          evidence: {
            view: 'dropoff',
            label: `See drop-off timing by ${DIMENSION_LABELS[best.row.dimension!]}`,
            query: { split: best.row.dimension! },
          },
        };
      return {
        ...base,
        answer: `No segment stands out: ${pct(overall)} of active prospects are at high risk, evenly across channels, company sizes, plans and regions.`,
        detail: null,
        status: 'answer',
        evidence: { view: 'prospects', label: 'See prospects by risk', query: { sort: 'risk' } },
      };
    }
    // Without scores: the segment where the most people who did not convert went quiet.
    const best = pickSegment(
      segments.filter((s) => s.people >= MIN_SEGMENT),
      all,
      (r) => ({ successes: r.dropped, trials: r.people }),
    );
    if (!best)
      return {
        ...base,
        answer:
          'No segment stands out: drop-off rates are similar across channels, company sizes, plans and regions.',
        detail: 'Risk scores will sharpen this once the scoring model has run.',
        status: 'answer',
        evidence: { view: 'dropoff', label: 'See drop-off timing', query: {} },
      };
    return {
      ...base,
      answer: `${segmentPhrase(best.row.dimension!, best.row.value!)}: ${pct(best.rate)} of those who have not converted went quiet, against ${pct(best.restRate)} of everyone else (${people(best.row.people)}, ${pValueText(best.p)}).`,
      detail: 'Risk scores will sharpen this once the scoring model has run.',
      status: 'answer',
      evidence: {
        view: 'dropoff',
        label: `See drop-off timing by ${DIMENSION_LABELS[best.row.dimension!]}`,
        query: { split: best.row.dimension! },
      },
    };
  }
}

type RiskRow = Awaited<ReturnType<InsightsRepository['segmentRisk']>>[number];

/**
 * The segment whose rate is highest above everyone else's with the evidence to say so (BH over all segments of
 * all dimensions), or null when none stands out.
 */
function pickSegment(
  rows: RiskRow[],
  all: RiskRow,
  cell: (r: RiskRow) => { successes: number; trials: number },
): { row: RiskRow; rate: number; restRate: number; p: number } | null {
  const total = cell(all);
  const tested = rows
    .map((row) => {
      const c = cell(row);
      const rest = { successes: total.successes - c.successes, trials: total.trials - c.trials };
      if (c.trials === 0 || rest.trials === 0) return null;
      const t = twoProportionZTest(c, rest);
      return {
        row,
        rate: c.successes / c.trials,
        restRate: rest.successes / rest.trials,
        p: t.pValue,
        z: t.z,
      };
    })
    .filter((t): t is NonNullable<typeof t> => t !== null && Number.isFinite(t.p));
  if (tested.length === 0) return null;
  const { qValues } = benjaminiHochberg(tested.map((t) => t.p));
  const significant = tested.filter((t, i) => qValues[i]! <= FDR && t.z > 0);
  if (significant.length === 0) return null;
  return significant.reduce((a, b) => (b.rate - b.restRate > a.rate - a.restRate ? b : a));
}

/** PSI over category shares (expected, actual), with the same floor as the numeric PSI. */
export function categoricalPsi(shares: [number, number][]): number {
  const FLOOR = 1e-4;
  let total = 0;
  for (const [e0, a0] of shares) {
    if (e0 === 0 && a0 === 0) continue;
    const e = Math.max(e0, FLOOR);
    const a = Math.max(a0, FLOOR);
    total += (a - e) * Math.log(a / e);
  }
  return total;
}
