import { type Matrix, createMatrix } from './matrix';
import { type Table } from './table';

/**
 * Turns a typed table into model matrices. Trees take each categorical as one ordinal column of level
 * codes (each level gets its own bin); linear models take one-hot indicators, a single indicator for a
 * two-level column so the pair is not collinear. A missing category is all-zero indicators: its own state.
 *
 * Linear models also take a right-skewed amount or count on the log scale (see prefersLog): a charge
 * total, a duration or a page count often acts on the log-odds more like its logarithm than linearly, and a
 * long tail otherwise lets a few extreme rows set the coefficient. Trees are unaffected by the
 * transform (it keeps the order), so they keep the raw values.
 */
export function encodeForTrees(t: Table): Matrix {
  const m = createMatrix(
    t.rows,
    t.columns.map((c) => c.name),
  );
  t.columns.forEach((c, j) => {
    const out = m.values.subarray(j * t.rows, (j + 1) * t.rows);
    if (c.kind === 'numeric') out.set(c.values);
    else for (let i = 0; i < t.rows; i++) out[i] = c.codes[i]! < 0 ? NaN : c.codes[i]!;
  });
  return m;
}

export function encodeForLinear(t: Table): Matrix {
  const names: string[] = [];
  const fill: ((out: Float64Array) => void)[] = [];
  for (const c of t.columns) {
    if (c.kind === 'numeric') {
      if (prefersLog(c.values)) {
        names.push(logName(c.name));
        fill.push((out) => {
          for (let i = 0; i < t.rows; i++) out[i] = Math.log1p(c.values[i]!);
        });
      } else {
        names.push(c.name);
        fill.push((out) => out.set(c.values));
      }
      continue;
    }
    const levels = c.levels.length === 2 ? [1] : c.levels.map((_, k) => k);
    for (const k of levels) {
      names.push(`${c.name}=${c.levels[k]}`);
      fill.push((out) => {
        for (let i = 0; i < t.rows; i++) out[i] = c.codes[i] === k ? 1 : 0;
      });
    }
  }
  const m = createMatrix(t.rows, names);
  fill.forEach((f, j) => f(m.values.subarray(j * t.rows, (j + 1) * t.rows)));
  return m;
}

const logName = (name: string) => `log1p(${name})`;

/**
 * Whether a linear model should see log(1 + x) rather than x: for a column with no negative values and
 * more than two distinct ones (a monotone transform of a binary column changes nothing), whichever of
 * the two scales is the more symmetric, i.e. has the smaller absolute skewness. No threshold to tune and
 * no labels involved; missing values stay missing (NaN) on either scale.
 */
export function prefersLog(values: Float64Array): boolean {
  let n = 0;
  let sum = 0;
  let logSum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    if (!(v >= 0 && v < Infinity)) return false;
    n++;
    sum += v;
    logSum += Math.log1p(v);
  }
  if (countDistinct(values, 3) < 3) return false;
  return Math.abs(skewness(values, sum / n, (v) => v)) > Math.abs(skewness(values, logSum / n, Math.log1p));
}

/** Distinct non-missing values, counting stops at limit. */
function countDistinct(values: Float64Array, limit: number): number {
  const seen = new Set<number>();
  for (let i = 0; i < values.length && seen.size < limit; i++)
    if (!Number.isNaN(values[i]!)) seen.add(values[i]!);
  return seen.size;
}

/** Population skewness of f(v) over the non-missing values, given their mean; 0 for a constant. */
function skewness(values: Float64Array, mean: number, f: (v: number) => number): number {
  let m2 = 0;
  let m3 = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    const d = f(v) - mean;
    m2 += d * d;
    m3 += d * d * d;
    n++;
  }
  m2 /= n;
  m3 /= n;
  return m2 > 0 ? m3 / m2 ** 1.5 : 0;
}

/**
 * Which original column each encoded feature came from, so importances and explanations can be
 * reported per column ("Contract") as well as per indicator ("Contract=Month-to-month").
 */
export function sourceColumn(encodedName: string, t: Table): string {
  const exact = t.columns.find((c) => c.name === encodedName || logName(c.name) === encodedName);
  if (exact) return exact.name;
  const eq = t.columns.find((c) => c.kind === 'categorical' && encodedName.startsWith(`${c.name}=`));
  return eq?.name ?? encodedName;
}
