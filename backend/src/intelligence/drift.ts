import { quantileSorted } from './stats';

/**
 * Population stability index of a feature between a reference sample (training time) and a current one:
 * Σ (aᵢ − eᵢ) · ln(aᵢ / eᵢ) over bins cut at the reference's quantiles, missing values in a bin of their
 * own. Rule of thumb: < 0.1 stable, 0.1–0.25 drifting, > 0.25 shifted.
 */
export interface PsiResult {
  psi: number;
  /** Upper edges of the value bins (the last is +∞); the final bin entry is for missing values. */
  edges: number[];
  expected: number[];
  actual: number[];
}

/** Empty bins get this share so the log stays finite (a common convention). */
const FLOOR = 1e-4;

export function psi(reference: ArrayLike<number>, current: ArrayLike<number>, bins = 10): PsiResult {
  const sorted = new Float64Array(reference.length);
  let n = 0;
  for (let i = 0; i < reference.length; i++) if (!Number.isNaN(reference[i]!)) sorted[n++] = reference[i]!;
  const present = sorted.subarray(0, n).sort();
  const edges: number[] = [];
  for (let k = 1; k < bins; k++) {
    const q = quantileSorted(present, k / bins);
    if (!edges.length || q > edges[edges.length - 1]!) edges.push(q);
  }
  edges.push(Infinity);
  // Plain loops: this runs over every person of a cohort, per feature, on each "what changed" answer.
  const share = (values: ArrayLike<number>) => {
    const c = new Array<number>(edges.length + 1).fill(0);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      let b = 0;
      if (Number.isNaN(v)) b = edges.length;
      else while (v > edges[b]!) b++;
      c[b]!++;
    }
    return c.map((x) => x / Math.max(1, values.length));
  };
  const expected = share(reference);
  const actual = share(current);
  let total = 0;
  for (let b = 0; b < expected.length; b++) {
    const e = Math.max(expected[b]!, FLOOR);
    const a = Math.max(actual[b]!, FLOOR);
    if (expected[b] === 0 && actual[b] === 0) continue;
    total += (a - e) * Math.log(a / e);
  }
  return { psi: total, edges, expected, actual };
}
