import { selectGmmByBic, gmmAssign } from '../../intelligence/gaussian-mixture';
import { matrixFromColumns } from '../../intelligence/matrix';
import { describeFeature } from './feature-phrases';
import { FEATURE_NAMES, type FeatureName, type FeatureRow } from './features';
import type { StageCondition, StageDefinition } from './stage-rules';

/** Counts only: recencies are missing for people who never did the thing, and counts say what people do. */
const CLUSTER_FEATURES = FEATURE_NAMES.filter(
  (f) =>
    f.startsWith('intent_') || f.startsWith('category_') || f === 'events_30d' || f === 'email_clicks_30d',
);

const LABELS: Record<number, string[]> = {
  3: ['Aware', 'Evaluation', 'Purchase intent'],
  4: ['Aware', 'Engaged', 'Evaluation', 'Purchase intent'],
  5: ['Aware', 'Engaged', 'Evaluation', 'Purchase intent', 'Ready to buy'],
};

export interface StageSuggestion extends StageDefinition {
  size: number;
  share: number;
  conversionRate: number;
  typical: string[];
}

/**
 * "Discover stages": clusters people by what they do (log counts, a diagonal Gaussian mixture with 3–5
 * components chosen by BIC), orders the clusters by how often their members went on to convert, and turns
 * each into a stage rule on the behaviours that set it apart — a draft the marketer accepts or edits.
 */
export function discoverStages(rows: FeatureRow[], converted: Uint8Array, seed = 7): StageSuggestion[] {
  const n = rows.length;
  const columns = CLUSTER_FEATURES.map((f) =>
    Float64Array.from(rows, (r) => Math.log1p(Math.max(0, r[f] ?? 0))),
  );
  const { best } = selectGmmByBic(matrixFromColumns(CLUSTER_FEATURES, columns), 3, Math.min(5, n), { seed });
  const assignment = gmmAssign(best, matrixFromColumns(CLUSTER_FEATURES, columns));

  const clusters = Array.from({ length: best.k }, (_, c) => {
    const members: number[] = [];
    assignment.forEach((a, i) => a === c && members.push(i));
    return members;
  }).filter((m) => m.length > 0);
  const overall = CLUSTER_FEATURES.map((f) => mean(rows.map((r) => r[f] ?? 0)));
  const ranked = clusters
    .map((members) => ({
      members,
      conversionRate: members.reduce((a, i) => a + converted[i]!, 0) / members.length,
      means: CLUSTER_FEATURES.map((f) => mean(members.map((i) => rows[i]![f] ?? 0))),
    }))
    .sort((a, b) => a.conversionRate - b.conversionRate);
  const labels = LABELS[ranked.length] ?? ranked.map((_, i) => `Stage ${i + 1}`);

  return ranked.map((c, rank) => {
    // What sets the cluster apart: features most above the population's average.
    const distinct = CLUSTER_FEATURES.map((f, j) => ({ f, mine: c.means[j]!, all: overall[j]! }))
      .filter((d) => d.mine > d.all && d.mine >= 1)
      .sort((a, b) => b.mine / (b.all + 0.5) - a.mine / (a.all + 0.5))
      .slice(0, 2);
    const conditions: StageCondition[] =
      rank === 0
        ? []
        : distinct.map((d) => ({
            feature: d.f,
            op: 'gte',
            value: Math.max(1, Math.round((d.mine + d.all) / 2)),
          }));
    return {
      key: labels[rank]!.toLowerCase().replace(/[^a-z0-9]+/g, '_'),
      label: labels[rank]!,
      conditions:
        rank > 0 && !conditions.length ? [{ feature: 'events_30d', op: 'gte', value: rank + 1 }] : conditions,
      match: 'any' as const,
      size: c.members.length,
      share: c.members.length / n,
      conversionRate: c.conversionRate,
      typical: distinct.length
        ? distinct.map((d) => describeFeature(d.f as FeatureName, d.mine))
        : ['Little activity in the last 30 days'],
    };
  });
}

function mean(values: number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
}
