import { AsyncLocalStorage } from 'node:async_hooks';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { parseMaskGroups, type MaskGroups } from './moments';
import { DAY_MS } from './profile-summary';

/** The segment dimensions every view filters and splits by, and their summary columns. */
export const DIMENSION_COLUMNS = {
  channel: 'channel',
  companySize: 'company_size',
  plan: 'plan',
  region: 'region',
} as const;
export type Dimension = keyof typeof DIMENSION_COLUMNS;
export const DIMENSIONS = Object.keys(DIMENSION_COLUMNS) as Dimension[];
export const NOT_SET = '(not set)';

export interface InsightFilters {
  /** Cohort: people first seen in [from, to). */
  from: Date | null;
  to: Date | null;
  channel: string | null;
  companySize: string | null;
  plan: string | null;
  region: string | null;
}

/** Positional parameters collected while a statement is written. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

const segmentExpr = (d: Dimension, alias = '') => `COALESCE(${alias}${DIMENSION_COLUMNS[d]}, '${NOT_SET}')`;

/**
 * The WHERE clause shared by every view: the workspace, the cohort dates (unless the view sets its own periods),
 * the segment filters, and nobody first seen after the as-of time.
 */
function where(
  workspaceId: string,
  f: InsightFilters,
  p: Params,
  asOf: Date,
  dates = true,
  alias = '',
): string {
  const clauses = [`${alias}workspace_id = ${p.add(workspaceId)}`, `${alias}first_at < ${p.add(asOf)}`];
  if (dates && f.from) clauses.push(`${alias}first_at >= ${p.add(f.from)}`);
  if (dates && f.to) clauses.push(`${alias}first_at < ${p.add(f.to)}`);
  for (const d of DIMENSIONS) {
    const v = f[d];
    if (v === null) continue;
    clauses.push(
      v === NOT_SET
        ? `${alias}${DIMENSION_COLUMNS[d]} IS NULL`
        : `${alias}${DIMENSION_COLUMNS[d]} = ${p.add(v)}`,
    );
  }
  return clauses.join(' AND ');
}

export interface FunnelRow {
  /** null for the row over everyone. */
  segment: string | null;
  profiles: number;
  reached: number[];
  dropped: number[];
  still: number[];
  medians: (number | null)[];
  converted: number;
  convertedAtEnd: number;
}

export interface PathRow {
  /** null (with path) for the pooled rest. */
  channel: string | null;
  path: string[] | null;
  outcome: 'converted' | 'dropped' | 'active';
  n: number;
}

export interface SurvivalRow {
  segment: string;
  day: number;
  event: number;
  n: number;
}

export interface SegmentRiskRow {
  dimension: Dimension | null;
  value: string | null;
  people: number;
  dropped: number;
  active: number;
  scored: number;
  highRisk: number;
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** Set while a view runs several statements at once. */
const sideBySide = new AsyncLocalStorage<true>();

/** Every insights view reads the per-person summary; nothing here touches the events table. */
@Injectable()
export class InsightsRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  /**
   * Runs statements that a view starts together. They already share the cores between them, so none of them
   * brings parallel workers along: those would only add start-up and hand-over work (measured on the overview:
   * ~380 → ~315 ms for its seven statements on two cores).
   */
  together<T>(work: () => Promise<T>): Promise<T> {
    return sideBySide.run(true, work);
  }

  /**
   * One analytic statement with room to hash and sort in memory (the default 4 MB spills 100k-row group-bys to
   * disk) and without JIT, whose compile time costs more than these sub-second scans gain.
   */
  private run<T = Record<string, unknown>[]>(sql: string, params: unknown[]): Promise<T> {
    const settings = `SET LOCAL work_mem = '64MB'; SET LOCAL jit = off${
      sideBySide.getStore() ? '; SET LOCAL max_parallel_workers_per_gather = 0' : ''
    }`;
    return this.ds.transaction(async (em) => {
      await em.query(settings);
      return em.query(sql, params) as Promise<T>;
    });
  }

  /** Counts per stage (reached, dropped off there, still there) and the median days spent in each. */
  async funnel(
    workspaceId: string,
    f: InsightFilters,
    asOf: Date,
    stageCount: number,
    dropCut: Date,
    split: Dimension | null,
    medians = true,
  ): Promise<FunnelRow[]> {
    const p = new Params();
    const cut = p.add(dropCut);
    const cols: string[] = [];
    for (let i = 0; i < stageCount; i++) {
      cols.push(
        `count(*) FILTER (WHERE max_stage >= ${i})::int AS r${i}`,
        `count(*) FILTER (WHERE max_stage = ${i} AND converted_at IS NULL AND last_at < ${cut})::int AS d${i}`,
        `count(*) FILTER (WHERE max_stage = ${i} AND converted_at IS NULL AND last_at >= ${cut})::int AS s${i}`,
        medians
          ? `percentile_cont(0.5) WITHIN GROUP (ORDER BY stage_days[${i + 1}]) AS m${i}`
          : `NULL AS m${i}`,
      );
    }
    const seg = split ? segmentExpr(split) : null;
    const rows: Record<string, unknown>[] = await this.run(
      `SELECT ${seg ? `${seg} AS segment, GROUPING(${seg}) AS overall` : 'NULL AS segment, 1 AS overall'},
              count(*)::int AS profiles, ${cols.join(', ')},
              count(*) FILTER (WHERE converted_at IS NOT NULL)::int AS converted,
              count(*) FILTER (WHERE converted_at IS NOT NULL AND max_stage >= ${stageCount - 1})::int AS converted_end
         FROM insights_profiles
        WHERE ${where(workspaceId, f, p, asOf)} AND max_stage IS NOT NULL
        ${seg ? `GROUP BY GROUPING SETS ((), (${seg}))` : ''}`,
      p.values,
    );
    const range = [...Array(stageCount).keys()];
    return rows.map((r) => ({
      segment: Number(r['overall']) === 1 ? null : (r['segment'] as string),
      profiles: Number(r['profiles']),
      reached: range.map((i) => Number(r[`r${i}`])),
      dropped: range.map((i) => Number(r[`d${i}`])),
      still: range.map((i) => Number(r[`s${i}`])),
      medians: range.map((i) => num(r[`m${i}`])),
      converted: Number(r['converted']),
      convertedAtEnd: Number(r['converted_end']),
    }));
  }

  /**
   * The `top` most common routes (first-touch channel, steps, outcome), then one row per outcome pooling every
   * other route (channel and path null).
   */
  async paths(
    workspaceId: string,
    f: InsightFilters,
    asOf: Date,
    by: 'stage' | 'touchpoint',
    dropCut: Date,
    top: number,
  ): Promise<PathRow[]> {
    const p = new Params();
    const cut = p.add(dropCut);
    const column = by === 'stage' ? 'stage_path' : 'category_path';
    return this.run<PathRow[]>(
      `WITH routes AS MATERIALIZED (
         SELECT channel, ${column} AS path,
                CASE WHEN converted_at IS NOT NULL THEN 'converted' WHEN last_at < ${cut} THEN 'dropped' ELSE 'active' END
                  AS outcome,
                count(*)::int AS n
           FROM insights_profiles WHERE ${where(workspaceId, f, p, asOf)}
          GROUP BY 1, 2, 3),
       kept AS (SELECT * FROM routes ORDER BY n DESC, channel, path, outcome LIMIT ${p.add(top)})
       SELECT channel, path, outcome, n FROM kept
       UNION ALL
       SELECT NULL, NULL, r.outcome,
              (sum(r.n) - COALESCE((SELECT sum(k.n) FROM kept k WHERE k.outcome = r.outcome), 0))::int
         FROM routes r GROUP BY r.outcome`,
      p.values,
    ).then((rows) => rows.filter((r) => r.n > 0));
  }

  /** People whose fixed horizon has passed, grouped by their touchpoint masks and whether they converted in it. */
  async masks(workspaceId: string, f: InsightFilters, asOf: Date, horizonDays: number): Promise<MaskGroups> {
    const p = new Params();
    const horizon = p.add(`${horizonDays} days`);
    const settled = p.add(new Date(asOf.getTime() - horizonDays * DAY_MS));
    // Tens of thousands of groups come back as one text of numbers (see MaskGroups): it parses several times
    // faster than as many result rows. The horizon is compared as a difference, not added to each row's time:
    // adding days to a timestamptz consults the time zone, per row.
    const [row] = await this.run<{ groups: string | null }[]>(
      `SELECT string_agg(concat_ws(' ', kind, mask & 2147483647, mask >> 31, converted::int, n), ' ') AS groups
         FROM (SELECT GROUPING(moments) AS kind, COALESCE(moments, pairs) AS mask, converted, count(*) AS n
                 FROM (SELECT moments, pairs, (converted_at - first_at < ${horizon}::interval) IS TRUE AS converted
                         FROM insights_profiles
                        WHERE ${where(workspaceId, f, p, asOf)} AND first_at <= ${settled}) AS person
                GROUP BY GROUPING SETS ((moments, converted), (pairs, converted))) AS g`,
      p.values,
    );
    return parseMaskGroups(row?.groups ?? null);
  }

  /** Touch paths with how many journeys along each converted and how many did not. */
  touchPaths(
    workspaceId: string,
    f: InsightFilters,
    asOf: Date,
  ): Promise<{ path: string[]; conversions: number; nulls: number }[]> {
    const p = new Params();
    return this.run(
      `SELECT touch_path AS path, count(*) FILTER (WHERE converted_at IS NOT NULL)::int AS conversions,
              count(*) FILTER (WHERE converted_at IS NULL)::int AS nulls
         FROM insights_profiles WHERE ${where(workspaceId, f, p, asOf)} AND cardinality(touch_path) > 0
        GROUP BY 1`,
      p.values,
    );
  }

  /** Volume and conversion per first-touch channel, with the median days from first touch to converting. */
  async channelQuality(
    workspaceId: string,
    f: InsightFilters,
    asOf: Date,
    medians = true,
  ): Promise<{ channel: string; people: number; conversions: number; medianDays: number | null }[]> {
    const p = new Params();
    const rows: Record<string, unknown>[] = await this.run(
      `SELECT channel, count(*)::int AS people, count(*) FILTER (WHERE converted_at IS NOT NULL)::int AS conversions,
              ${medians ? 'percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM converted_at - first_at) / 86400)' : 'NULL'}
                AS median_days
         FROM insights_profiles WHERE ${where(workspaceId, f, p, asOf)}
        GROUP BY 1`,
      p.values,
    );
    return rows.map((r) => ({
      channel: r['channel'] as string,
      people: Number(r['people']),
      conversions: Number(r['conversions']),
      medianDays: num(r['median_days']),
    }));
  }

  /**
   * Whole days from first touch to dropping off (last activity, for people silent since `dropCut`) or to
   * censoring (converting, or still active at the as-of time), per segment.
   */
  survival(
    workspaceId: string,
    f: InsightFilters,
    asOf: Date,
    dropCut: Date,
    split: Dimension,
  ): Promise<SurvivalRow[]> {
    const p = new Params();
    const cut = p.add(dropCut);
    const at = p.add(asOf);
    const dropped = `(converted_at IS NULL AND last_at < ${cut})`;
    return this.run(
      `SELECT ${segmentExpr(split)} AS segment,
              floor(extract(epoch FROM (CASE WHEN ${dropped} THEN last_at
                                             WHEN converted_at IS NOT NULL THEN LEAST(converted_at, ${at}::timestamptz)
                                             ELSE ${at}::timestamptz END) - first_at) / 86400)::int AS day,
              ${dropped}::int AS event, count(*)::int AS n
         FROM insights_profiles WHERE ${where(workspaceId, f, p, asOf)}
        GROUP BY 1, 2, 3`,
      p.values,
    );
  }

  /**
   * Entries into each stage in the current and the previous period: every transition in the workspace, or with a
   * segment filter those of the segment's people (whose segment the summary knows). Unfiltered, the summary is
   * not joined at all, which halves the cost; it also counts people known only from the CRM, who moved through
   * stages too.
   */
  stageEntries(
    workspaceId: string,
    f: InsightFilters,
    asOf: Date,
    previousFrom: Date,
    currentFrom: Date,
  ): Promise<{ stage: string; current: boolean; n: number }[]> {
    const p = new Params();
    const segment = DIMENSIONS.some((d) => f[d] !== null)
      ? `AND EXISTS (SELECT 1 FROM insights_profiles s
                      WHERE s.profile_id = t.profile_id AND ${where(workspaceId, f, p, asOf, false, 's.')})`
      : '';
    return this.run(
      `SELECT t.to_stage AS stage, t.at >= ${p.add(currentFrom)} AS current, count(*)::int AS n
         FROM stage_transitions t
        WHERE t.workspace_id = ${p.add(workspaceId)} AND t.at >= ${p.add(previousFrom)} AND t.at < ${p.add(asOf)}
          ${segment}
        GROUP BY 1, 2`,
      p.values,
    );
  }

  /** Early behaviour of the people first seen in each of two periods, grouped by value. */
  earlyBehaviour(
    workspaceId: string,
    f: InsightFilters,
    asOf: Date,
    previousFrom: Date,
    currentFrom: Date,
    currentTo: Date,
  ): Promise<
    {
      current: boolean;
      events: number;
      days: number;
      categories: number;
      evaluation: number;
      n: number;
    }[]
  > {
    const p = new Params();
    return this.run(
      `SELECT first_at >= ${p.add(currentFrom)} AS current, early_events AS events, early_days AS days,
              early_categories AS categories, early_evaluation AS evaluation, count(*)::int AS n
         FROM insights_profiles
        WHERE ${where(workspaceId, f, p, asOf, false)} AND first_at >= ${p.add(previousFrom)}
          AND first_at < ${p.add(currentTo)}
        GROUP BY 1, 2, 3, 4, 5`,
      p.values,
    );
  }

  /**
   * Per current stage: people active in each period and those of them whose last activity fell in it and who
   * have been silent since (drop-offs), for the current and the previous period.
   */
  async dropoffsByPeriod(
    workspaceId: string,
    f: InsightFilters,
    asOf: Date,
    periods: { previousFrom: Date; currentFrom: Date; currentTo: Date },
  ): Promise<
    {
      stage: number;
      activeCurrent: number;
      droppedCurrent: number;
      activePrevious: number;
      droppedPrevious: number;
    }[]
  > {
    const p = new Params();
    const pf = p.add(periods.previousFrom);
    const cf = p.add(periods.currentFrom);
    const ct = p.add(periods.currentTo);
    const rows: Record<string, unknown>[] = await this.run(
      `SELECT cur_stage AS stage,
              count(*) FILTER (WHERE first_at < ${ct} AND last_at >= ${cf})::int AS active_current,
              count(*) FILTER (WHERE converted_at IS NULL AND last_at >= ${cf} AND last_at < ${ct})::int AS dropped_current,
              count(*) FILTER (WHERE first_at < ${cf} AND last_at >= ${pf})::int AS active_previous,
              count(*) FILTER (WHERE converted_at IS NULL AND last_at >= ${pf} AND last_at < ${cf})::int AS dropped_previous
         FROM insights_profiles
        WHERE ${where(workspaceId, f, p, asOf, false)} AND cur_stage IS NOT NULL AND last_at >= ${pf}
        GROUP BY 1 ORDER BY 1`,
      p.values,
    );
    return rows.map((r) => ({
      stage: Number(r['stage']),
      activeCurrent: Number(r['active_current']),
      droppedCurrent: Number(r['dropped_current']),
      activePrevious: Number(r['active_previous']),
      droppedPrevious: Number(r['dropped_previous']),
    }));
  }

  /**
   * For people who have not converted, per value of every dimension (and overall): how many dropped off, how many
   * are still active, and how many of the active ones the model puts at high risk.
   */
  async segmentRisk(
    workspaceId: string,
    f: InsightFilters,
    asOf: Date,
    dropCut: Date,
    riskThreshold: number,
  ): Promise<SegmentRiskRow[]> {
    const p = new Params();
    const cut = p.add(dropCut);
    const threshold = p.add(riskThreshold);
    const cols = DIMENSIONS.map((d) => `s.${DIMENSION_COLUMNS[d]}`);
    // One group per combination of the dimensions (a few hundred at most), added up per value below: one
    // grouping costs PostgreSQL half of what five grouping sets over the same rows did, and the raw columns
    // group faster than their COALESCE.
    const rows: Record<string, unknown>[] = await this.run(
      `SELECT ${cols.map((c, i) => `${c} AS v${i}`).join(', ')},
              count(*)::int AS people,
              count(*) FILTER (WHERE s.last_at < ${cut})::int AS dropped,
              count(*) FILTER (WHERE s.last_at >= ${cut})::int AS active,
              count(*) FILTER (WHERE s.last_at >= ${cut} AND ps.risk IS NOT NULL)::int AS scored,
              count(*) FILTER (WHERE s.last_at >= ${cut} AND ps.risk >= ${threshold})::int AS high_risk
         FROM insights_profiles s LEFT JOIN profile_scores ps ON ps.profile_id = s.profile_id
        WHERE ${where(workspaceId, f, p, asOf, true, 's.')} AND s.converted_at IS NULL
        GROUP BY ${cols.map((_, i) => i + 1).join(', ')}`,
      p.values,
    );
    const totals = new Map<string, SegmentRiskRow>();
    const add = (dimension: Dimension | null, value: string | null, r: Record<string, unknown>) => {
      const key = `${dimension}\u0000${value}`;
      let t = totals.get(key);
      if (!t)
        totals.set(key, (t = { dimension, value, people: 0, dropped: 0, active: 0, scored: 0, highRisk: 0 }));
      t.people += Number(r['people']);
      t.dropped += Number(r['dropped']);
      t.active += Number(r['active']);
      t.scored += Number(r['scored']);
      t.highRisk += Number(r['high_risk']);
    };
    add(null, null, { people: 0, dropped: 0, active: 0, scored: 0, high_risk: 0 });
    for (const r of rows) {
      add(null, null, r);
      DIMENSIONS.forEach((d, i) => add(d, (r[`v${i}`] as string | null) ?? NOT_SET, r));
    }
    return [...totals.values()];
  }

  /** What the filters can be set to, most common first, and what data there is. */
  async options(workspaceId: string): Promise<{
    values: Record<Dimension, { value: string; people: number }[]>;
    people: number;
    staged: number;
    converted: number;
    firstSeen: { from: Date; to: Date } | null;
    scored: number;
  }> {
    const cols = DIMENSIONS.map((d) => segmentExpr(d));
    const [groups, totals, scores] = await Promise.all([
      this.run(
        `SELECT ${cols.map((c, i) => `${c} AS v${i}, GROUPING(${c}) AS g${i}`).join(', ')}, count(*)::int AS people
           FROM insights_profiles WHERE workspace_id = $1
          GROUP BY GROUPING SETS (${cols.map((c) => `(${c})`).join(', ')})`,
        [workspaceId],
      ) as Promise<Record<string, unknown>[]>,
      this.run(
        `SELECT count(*)::int AS people, count(*) FILTER (WHERE max_stage IS NOT NULL)::int AS staged,
                count(*) FILTER (WHERE converted_at IS NOT NULL)::int AS converted,
                min(first_at) AS "from", max(first_at) AS "to"
           FROM insights_profiles WHERE workspace_id = $1`,
        [workspaceId],
      ) as Promise<
        { people: number; staged: number; converted: number; from: Date | null; to: Date | null }[]
      >,
      this.run(`SELECT count(*)::int AS scored FROM profile_scores WHERE workspace_id = $1`, [
        workspaceId,
      ]) as Promise<{ scored: number }[]>,
    ]);
    const values = Object.fromEntries(DIMENSIONS.map((d) => [d, []])) as unknown as Record<
      Dimension,
      { value: string; people: number }[]
    >;
    for (const r of groups) {
      const i = DIMENSIONS.findIndex((_, k) => Number(r[`g${k}`]) === 0);
      if (i >= 0) values[DIMENSIONS[i]!].push({ value: r[`v${i}`] as string, people: Number(r['people']) });
    }
    for (const d of DIMENSIONS)
      values[d].sort((a, b) => b.people - a.people || a.value.localeCompare(b.value));
    const t = totals[0]!;
    return {
      values,
      people: t.people,
      staged: t.staged,
      converted: t.converted,
      firstSeen: t.from && t.to ? { from: new Date(t.from), to: new Date(t.to) } : null,
      scored: scores[0]!.scored,
    };
  }
}
