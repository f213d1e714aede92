import { cmp } from './insights-text';

export type Outcome = 'converted' | 'dropped' | 'active';

export const OUTCOME_LABELS: Record<Outcome, string> = {
  converted: 'Converted',
  dropped: 'Dropped off',
  active: 'Still active',
};
export const OTHER_PATHS = 'Other paths';

export interface RouteCount {
  /** First-touch channel, then the steps taken (stages or content categories); null for routes pooled already. */
  steps: string[] | null;
  outcome: Outcome;
  n: number;
}

export interface SankeyNode {
  id: string;
  /** Column: 0 is the first touch; outcomes sit in the last column. */
  step: number;
  state: string;
  kind: 'channel' | 'step' | 'outcome' | 'other';
  value: number;
}

export interface SankeyLink {
  source: number;
  target: number;
  value: number;
}

export interface TopPath {
  steps: string[];
  outcome: Outcome;
  people: number;
  share: number;
}

/**
 * The top-N routes from first touch to an outcome as a Sankey of (step, state) nodes; every other route is
 * grouped into one "Other paths" node per outcome so the totals still add up.
 */
export function buildSankey(
  routes: RouteCount[],
  top: number,
): { nodes: SankeyNode[]; links: SankeyLink[]; paths: TopPath[]; total: number; otherPeople: number } {
  const merged = new Map<string, { steps: string[]; outcome: Outcome; n: number }>();
  const pooled: RouteCount[] = [];
  for (const r of routes) {
    if (!r.steps) {
      pooled.push(r);
      continue;
    }
    const key = JSON.stringify([r.steps, r.outcome]);
    const m = merged.get(key);
    if (m) m.n += r.n;
    else merged.set(key, { ...r, steps: [...r.steps] });
  }
  const sorted = [...merged.values()].sort((a, b) => b.n - a.n || cmp(JSON.stringify(a), JSON.stringify(b)));
  const kept = sorted.slice(0, top);
  const rest: RouteCount[] = [...sorted.slice(top), ...pooled];
  const total = [...sorted, ...pooled].reduce((s, r) => s + r.n, 0);
  const lastStep = Math.max(1, ...kept.map((r) => r.steps.length));

  const nodes: SankeyNode[] = [];
  const index = new Map<string, number>();
  const node = (step: number, state: string, kind: SankeyNode['kind']) => {
    const id = `${step}|${state}`;
    let i = index.get(id);
    if (i === undefined) {
      i = nodes.length;
      index.set(id, i);
      nodes.push({ id, step, state, kind, value: 0 });
    }
    return i;
  };
  const linkValues = new Map<string, number>();
  const flow = (route: number[], n: number) => {
    for (let k = 0; k + 1 < route.length; k++) {
      const key = `${route[k]}>${route[k + 1]}`;
      linkValues.set(key, (linkValues.get(key) ?? 0) + n);
    }
    for (const i of route) nodes[i]!.value += n;
  };
  for (const r of kept) {
    const route = r.steps.map((s, k) => node(k, s, k === 0 ? 'channel' : 'step'));
    route.push(node(lastStep, OUTCOME_LABELS[r.outcome], 'outcome'));
    flow(route, r.n);
  }
  const otherByOutcome = new Map<Outcome, number>();
  for (const r of rest) otherByOutcome.set(r.outcome, (otherByOutcome.get(r.outcome) ?? 0) + r.n);
  for (const [outcome, n] of otherByOutcome)
    flow([node(0, OTHER_PATHS, 'other'), node(lastStep, OUTCOME_LABELS[outcome], 'outcome')], n);

  const links = [...linkValues].map(([key, value]) => {
    const [source, target] = key.split('>').map(Number) as [number, number];
    return { source, target, value };
  });
  const paths = kept.map((r) => ({
    steps: r.steps,
    outcome: r.outcome,
    people: r.n,
    share: total ? r.n / total : 0,
  }));
  return { nodes, links, paths, total, otherPeople: rest.reduce((s, r) => s + r.n, 0) };
}
