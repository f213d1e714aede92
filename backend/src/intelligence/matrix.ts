/**
 * The one dataset representation: a dense column-major Float64Array with feature names, NaN for missing.
 * Column-major because every trainer here sweeps one feature at a time (binning, standardisation, XᵀWX).
 */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly names: readonly string[];
  /** values[j * rows + i] is row i, feature j. */
  readonly values: Float64Array;
}

export function createMatrix(rows: number, names: readonly string[], values?: Float64Array): Matrix {
  const size = rows * names.length;
  if (values && values.length !== size) {
    throw new Error(`matrix of ${rows}×${names.length} needs ${size} values, got ${values.length}`);
  }
  return { rows, cols: names.length, names, values: values ?? new Float64Array(size) };
}

export function matrixFromColumns(names: readonly string[], columns: readonly ArrayLike<number>[]): Matrix {
  if (names.length !== columns.length) throw new Error('one name per column');
  const rows = columns[0]?.length ?? 0;
  const m = createMatrix(rows, names);
  columns.forEach((c, j) => {
    if (c.length !== rows) throw new Error(`column ${names[j]} has ${c.length} rows, expected ${rows}`);
    m.values.set(c, j * rows);
  });
  return m;
}

/** Row-major input (tests, small literals). */
export function matrixFromRows(names: readonly string[], rows: readonly (readonly number[])[]): Matrix {
  const m = createMatrix(rows.length, names);
  rows.forEach((r, i) => {
    if (r.length !== names.length)
      throw new Error(`row ${i} has ${r.length} values, expected ${names.length}`);
    r.forEach((v, j) => (m.values[j * rows.length + i] = v));
  });
  return m;
}

/** A view, not a copy. */
export function column(m: Matrix, j: number): Float64Array {
  return m.values.subarray(j * m.rows, (j + 1) * m.rows);
}

export function row(m: Matrix, i: number): Float64Array {
  const out = new Float64Array(m.cols);
  for (let j = 0; j < m.cols; j++) out[j] = m.values[j * m.rows + i]!;
  return out;
}

export function takeRows(m: Matrix, idx: ArrayLike<number>): Matrix {
  const n = idx.length;
  const out = createMatrix(n, m.names);
  for (let j = 0; j < m.cols; j++) {
    const src = j * m.rows;
    const dst = j * n;
    for (let k = 0; k < n; k++) out.values[dst + k] = m.values[src + idx[k]!]!;
  }
  return out;
}

export function takeColumns(m: Matrix, cols: readonly number[]): Matrix {
  return matrixFromColumns(
    cols.map((j) => m.names[j]!),
    cols.map((j) => column(m, j)),
  );
}

export function take<T extends Float64Array | Uint8Array | Int32Array>(a: T, idx: ArrayLike<number>): T {
  const out = new (a.constructor as new (n: number) => T)(idx.length);
  for (let k = 0; k < idx.length; k++) out[k] = a[idx[k]!]!;
  return out;
}
