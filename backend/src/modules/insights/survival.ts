import { kaplanMeier } from '../../insights/kaplan-meier';
import { logRankTest, type LogRankResult } from '../../insights/log-rank';

export interface SurvivalCount {
  segment: string;
  day: number;
  /** 1 dropped off at `day`, 0 still going (converted or active) at `day`. */
  event: number;
  n: number;
}

export interface SurvivalPoint {
  day: number;
  survival: number;
  lower: number | null;
  upper: number | null;
  atRisk: number;
}

export interface SurvivalSeries {
  segment: string;
  people: number;
  droppedOff: number;
  medianDays: number | null;
  points: SurvivalPoint[];
}

export const OTHER_SEGMENTS = 'Other';
const finite = (x: number) => (Number.isFinite(x) ? x : null);

function expand(rows: SurvivalCount[]): { times: Float64Array; events: Uint8Array } {
  const total = rows.reduce((s, r) => s + r.n, 0);
  const times = new Float64Array(total);
  const events = new Uint8Array(total);
  let k = 0;
  for (const r of rows) {
    times.fill(Math.max(0, r.day), k, k + r.n);
    events.fill(r.event, k, k + r.n);
    k += r.n;
  }
  return { times, events };
}

/** A Kaplan–Meier step curve starting at (0, 100%), one point per day on which someone dropped off or left. */
export function survivalSeries(segment: string, rows: SurvivalCount[]): SurvivalSeries {
  const { times, events } = expand(rows);
  const people = times.length;
  const droppedOff = events.reduce((s, e) => s + e, 0);
  if (people === 0) return { segment, people, droppedOff, medianDays: null, points: [] };
  const curve = kaplanMeier(times, events);
  const points: SurvivalPoint[] = [{ day: 0, survival: 1, lower: 1, upper: 1, atRisk: people }];
  for (let i = 0; i < curve.time.length; i++) {
    if (curve.events[i] === 0 && i !== curve.time.length - 1) continue;
    points.push({
      day: curve.time[i]!,
      survival: curve.survival[i]!,
      lower: finite(curve.lower[i]!),
      upper: finite(curve.upper[i]!),
      atRisk: curve.atRisk[i]!,
    });
  }
  return { segment, people, droppedOff, medianDays: finite(curve.median.estimate), points };
}

/**
 * Curves for the largest segments (the rest pooled as "Other") and the log-rank test that they share one curve.
 */
export function survivalBySegment(
  rows: SurvivalCount[],
  maxSegments: number,
): { overall: SurvivalSeries; segments: SurvivalSeries[]; logRank: LogRankResult | null } {
  const sizes = new Map<string, number>();
  for (const r of rows) sizes.set(r.segment, (sizes.get(r.segment) ?? 0) + r.n);
  const ranked = [...sizes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const named = new Set(
    ranked.length > maxSegments ? ranked.slice(0, maxSegments - 1).map(([s]) => s) : ranked.map(([s]) => s),
  );
  const grouped = new Map<string, SurvivalCount[]>();
  for (const r of rows) {
    const segment = named.has(r.segment) ? r.segment : OTHER_SEGMENTS;
    const list = grouped.get(segment) ?? [];
    list.push(r);
    grouped.set(segment, list);
  }
  const order = [...grouped.keys()].sort(
    (a, b) =>
      Number(a === OTHER_SEGMENTS) - Number(b === OTHER_SEGMENTS) ||
      (sizes.get(b) ?? 0) - (sizes.get(a) ?? 0),
  );
  const segments = order.map((s) => survivalSeries(s, grouped.get(s)!));
  let logRank: LogRankResult | null = null;
  if (segments.filter((s) => s.people > 0).length >= 2) {
    const all = order.flatMap((s, g) => grouped.get(s)!.map((r) => ({ ...r, g })));
    const { times, events } = expand(all);
    const groups = new Float64Array(times.length);
    let k = 0;
    for (const r of all) {
      groups.fill(r.g, k, k + r.n);
      k += r.n;
    }
    logRank = logRankTest(times, events, groups);
  }
  return { overall: survivalSeries('All prospects', rows), segments, logRank };
}
