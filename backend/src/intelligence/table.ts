import { type Matrix } from './matrix';

/**
 * A typed table as read from a file, before encoding: numeric columns keep NaN for missing,
 * categorical columns keep integer codes (−1 for missing) into levels ordered by frequency.
 */
export type Column = NumericColumn | CategoricalColumn;

export interface NumericColumn {
  readonly kind: 'numeric';
  readonly name: string;
  readonly values: Float64Array;
}

export interface CategoricalColumn {
  readonly kind: 'categorical';
  readonly name: string;
  /** Most frequent first, so the baseline of a one-hot pair is the common case. */
  readonly levels: readonly string[];
  readonly codes: Int32Array;
}

export interface Table {
  readonly rows: number;
  readonly columns: readonly Column[];
}

export function takeTableRows(t: Table, idx: ArrayLike<number>): Table {
  const columns = t.columns.map((c): Column => {
    if (c.kind === 'numeric') {
      const values = new Float64Array(idx.length);
      for (let k = 0; k < idx.length; k++) values[k] = c.values[idx[k]!]!;
      return { ...c, values };
    }
    const codes = new Int32Array(idx.length);
    for (let k = 0; k < idx.length; k++) codes[k] = c.codes[idx[k]!]!;
    return { ...c, codes };
  });
  return { rows: idx.length, columns };
}

/** Every matrix column as a numeric table column (generated data, features already numeric). */
export function tableFromMatrix(m: Matrix): Table {
  return {
    rows: m.rows,
    columns: m.names.map((name, j) => ({
      kind: 'numeric',
      name,
      values: m.values.slice(j * m.rows, (j + 1) * m.rows),
    })),
  };
}
