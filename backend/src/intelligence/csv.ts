import { readFileSync } from 'node:fs';
import { CsvSyntaxError, parseCsv } from './csv-parse';
import { DataError } from './data-error';
import { type CategoricalColumn, type Column, type NumericColumn, type Table } from './table';

/**
 * Loads a labelled CSV for modelling: infers numeric vs categorical columns, reads blanks and the usual
 * NA spellings as missing (the Telco file has " " in TotalCharges), turns the label into 0/1 and
 * optionally parses a time column for a time-based split. Every user-fixable problem is a DataError.
 */
export interface CsvLoadOptions {
  label: string;
  /** The label value that counts as 1; inferred for yes/no, true/false and 0/1 labels when absent. */
  positive?: string;
  drop?: readonly string[];
  /** A column of numbers or dates, kept out of the features and used to split by time. */
  time?: string;
  /** Categorical columns with more distinct values than this are rejected (identifiers, free text). */
  maxLevels?: number;
}

export interface LabelledTable {
  readonly table: Table;
  readonly y: Uint8Array;
  readonly label: string;
  readonly positive: string;
  readonly negative: string;
  readonly time?: Float64Array;
  readonly warnings: readonly string[];
}

const MISSING = new Set(['', 'na', 'n/a', 'nan', 'null', 'none', '?']);
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const POSITIVE_NAMES = ['1', 'true', 'yes', 'y', 't', 'positive', 'pos'];

export function isMissing(raw: string): boolean {
  const s = raw.trim();
  return s === '' || MISSING.has(s.toLowerCase());
}

export function loadCsvFile(path: string, options: CsvLoadOptions): LabelledTable {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataError(code === 'ENOENT' ? `no such file: ${path}` : `cannot read ${path}: ${code ?? e}`);
  }
  return loadCsvText(text, options, path);
}

export function loadCsvText(text: string, options: CsvLoadOptions, source = 'CSV'): LabelledTable {
  if (text.includes('\u0000'))
    throw new DataError(`${source} is not a text CSV file (it contains NUL bytes)`);
  let rows: string[][];
  try {
    rows = parseCsv(text);
  } catch (e) {
    if (e instanceof CsvSyntaxError) throw new DataError(`${source}: ${e.message}`);
    throw e;
  }
  const header = rows[0]?.map((h) => h.trim());
  if (!header || rows.length < 2) throw new DataError(`${source} has no data rows`);
  const seen = new Set<string>();
  for (const h of header) {
    if (seen.has(h)) throw new DataError(`${source} has the column name "${h}" twice`);
    seen.add(h);
  }
  for (let r = 1; r < rows.length; r++) {
    if (rows[r]!.length !== header.length) {
      throw new DataError(
        `${source}: record ${r + 1} has ${rows[r]!.length} fields, the header has ${header.length}`,
      );
    }
  }
  const indexOf = (name: string, what: string) => {
    const j = header.indexOf(name);
    if (j < 0) throw new DataError(`unknown ${what} column "${name}" (columns: ${header.join(', ')})`);
    return j;
  };
  const labelIdx = indexOf(options.label, 'label');
  const timeIdx = options.time === undefined ? -1 : indexOf(options.time, 'time');
  if (timeIdx === labelIdx) throw new DataError('the time column cannot be the label');
  const dropIdx = new Set<number>();
  for (const d of options.drop ?? []) {
    const j = indexOf(d, '--drop');
    if (j === labelIdx) throw new DataError(`cannot drop the label column "${d}"`);
    dropIdx.add(j);
  }

  const warnings: string[] = [];
  const keep: number[] = [];
  for (let r = 1; r < rows.length; r++) if (!isMissing(rows[r]![labelIdx]!)) keep.push(r);
  if (keep.length < rows.length - 1) {
    warnings.push(`${rows.length - 1 - keep.length} rows without a label value were skipped`);
  }
  const raw = (j: number) => keep.map((r) => rows[r]![j]!);

  const { y, positive, negative } = encodeLabel(raw(labelIdx), options.label, options.positive);
  const time = timeIdx >= 0 ? parseTime(raw(timeIdx), options.time!) : undefined;

  const columns: Column[] = [];
  for (let j = 0; j < header.length; j++) {
    if (j === labelIdx || j === timeIdx || dropIdx.has(j)) continue;
    const col = inferColumn(header[j]!, raw(j), options.maxLevels ?? 255);
    if (isConstant(col)) {
      warnings.push(`column "${col.name}" has a single value and was left out`);
      continue;
    }
    columns.push(col);
  }
  if (!columns.length) throw new DataError(`${source} has no feature columns besides the label`);
  return {
    table: { rows: keep.length, columns },
    y,
    label: options.label,
    positive,
    negative,
    time,
    warnings,
  };
}

function encodeLabel(values: string[], label: string, positiveOpt: string | undefined) {
  const distinct = [...new Set(values.map((v) => v.trim()))].sort();
  if (distinct.length < 2) {
    throw new DataError(`label "${label}" has a single class (${distinct[0] ?? 'none'}): nothing to learn`);
  }
  let positive = positiveOpt;
  if (positive === undefined) {
    if (distinct.length > 2) {
      throw new DataError(
        `label "${label}" has ${distinct.length} values: pass --positive VALUE to say which one is the positive class`,
      );
    }
    positive = distinct.find((v) => POSITIVE_NAMES.includes(v.toLowerCase()));
    if (positive === undefined) {
      throw new DataError(`label "${label}" has values ${distinct.join(' and ')}: pass --positive VALUE`);
    }
  } else if (!distinct.includes(positive)) {
    throw new DataError(
      `--positive "${positive}" never occurs in label "${label}" (values: ${distinct.slice(0, 10).join(', ')})`,
    );
  }
  const y = new Uint8Array(values.length);
  values.forEach((v, i) => (y[i] = v.trim() === positive ? 1 : 0));
  const negatives = distinct.filter((v) => v !== positive);
  return { y, positive, negative: negatives.length === 1 ? negatives[0]! : `not ${positive}` };
}

function parseTime(values: string[], name: string): Float64Array {
  const out = new Float64Array(values.length);
  values.forEach((v, i) => {
    const s = v.trim();
    const t = NUMBER.test(s) ? Number(s) : Date.parse(s);
    if (!Number.isFinite(t))
      throw new DataError(`time column "${name}" has "${v}", which is neither a number nor a date`);
    out[i] = t;
  });
  return out;
}

/** Numeric if every present value is a number; mostly-numeric columns with stray text are an error. */
function inferColumn(name: string, values: string[], maxLevels: number): Column {
  let present = 0;
  let numeric = 0;
  let firstBad = -1;
  for (let i = 0; i < values.length; i++) {
    const s = values[i]!.trim();
    if (isMissing(s)) continue;
    present++;
    if (NUMBER.test(s)) numeric++;
    else if (firstBad < 0) firstBad = i;
  }
  if (present > 0 && numeric === present) {
    const out = new Float64Array(values.length);
    values.forEach((v, i) => (out[i] = isMissing(v) ? NaN : Number(v.trim())));
    return { kind: 'numeric', name, values: out } satisfies NumericColumn;
  }
  if (numeric >= 20 && numeric >= 0.95 * present) {
    throw new DataError(
      `column "${name}" is numeric except for "${values[firstBad]}" (data row ${firstBad + 1}): fix the value or --drop ${name}`,
    );
  }
  const counts = new Map<string, number>();
  for (const v of values) {
    if (isMissing(v)) continue;
    const s = v.trim();
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  if (counts.size > maxLevels) {
    throw new DataError(
      `column "${name}" has ${counts.size} distinct text values (an identifier or free text?): --drop ${name}`,
    );
  }
  const levels = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([level]) => level);
  const codeOf = new Map(levels.map((l, k) => [l, k]));
  const codes = new Int32Array(values.length);
  values.forEach((v, i) => (codes[i] = isMissing(v) ? -1 : codeOf.get(v.trim())!));
  return { kind: 'categorical', name, levels, codes } satisfies CategoricalColumn;
}

function isConstant(c: Column): boolean {
  if (c.kind === 'categorical')
    return c.levels.length === 0 || (c.levels.length === 1 && !c.codes.includes(-1));
  let first = NaN;
  let sawNaN = false;
  for (const v of c.values) {
    if (Number.isNaN(v)) sawNaN = true;
    else if (Number.isNaN(first)) first = v;
    else if (v !== first) return false;
  }
  return !sawNaN || Number.isNaN(first);
}
