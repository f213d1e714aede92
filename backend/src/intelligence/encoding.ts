import { type Matrix, createMatrix } from './matrix';
import { type Table } from './table';

/**
 * Turns a typed table into model matrices. Trees take each categorical as one ordinal column of level
 * codes (each level gets its own bin); linear models take one-hot indicators, a single indicator for a
 * two-level column so the pair is not collinear. A missing category is all-zero indicators: its own state.
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
      names.push(c.name);
      fill.push((out) => out.set(c.values));
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

/**
 * Which original column each encoded feature came from, so importances and explanations can be
 * reported per column ("Contract") as well as per indicator ("Contract=Month-to-month").
 */
export function sourceColumn(encodedName: string, t: Table): string {
  const exact = t.columns.find((c) => c.name === encodedName);
  if (exact) return exact.name;
  const eq = t.columns.find((c) => c.kind === 'categorical' && encodedName.startsWith(`${c.name}=`));
  return eq?.name ?? encodedName;
}
