import { type GbdtModel } from './gbdt';
import { assertColumns } from './logistic-regression';
import { type Matrix } from './matrix';

/**
 * Scoring and path contributions for boosted trees on raw values (column-major matrix). The batch loop
 * runs tree by tree so each tree's arrays stay in cache while every row walks it.
 */
export function gbdtMargins(model: GbdtModel, x: Matrix): Float64Array {
  assertColumns(model.names, x);
  const n = x.rows;
  const v = x.values;
  const out = new Float64Array(n).fill(model.baseScore);
  for (const t of model.trees) {
    const { feature, threshold, left, right, missingLeft, value } = t;
    for (let i = 0; i < n; i++) {
      let node = 0;
      while (left[node]! >= 0) {
        const xv = v[feature[node]! * n + i]!;
        const th = threshold[node]!;
        node =
          xv <= th ? left[node]! : xv > th ? right[node]! : missingLeft[node] ? left[node]! : right[node]!;
      }
      out[i] = out[i]! + value[node]!;
    }
  }
  return out;
}

/**
 * Saabas path contributions: walking a row down a tree, each split moves the node value from parent to
 * child, and that change is credited to the split's feature. Per tree the changes telescope to
 * leaf − root, so bias (base score + Σ root values) + Σ contributions is the row's margin, exactly.
 */
export function gbdtContributions(model: GbdtModel, x: Matrix, rowIndex: number) {
  assertColumns(model.names, x);
  const n = x.rows;
  const contributions = new Float64Array(x.cols);
  let bias = model.baseScore;
  for (const t of model.trees) {
    let node = 0;
    bias += t.value[0]!;
    while (t.left[node]! >= 0) {
      const f = t.feature[node]!;
      const xv = x.values[f * n + rowIndex]!;
      const th = t.threshold[node]!;
      const next =
        xv <= th
          ? t.left[node]!
          : xv > th
            ? t.right[node]!
            : t.missingLeft[node]
              ? t.left[node]!
              : t.right[node]!;
      contributions[f] = contributions[f]! + (t.value[next]! - t.value[node]!);
      node = next;
    }
  }
  return { bias, contributions };
}
