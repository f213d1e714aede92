import { DataError } from '../intelligence/data-error';
import { type ConversionPath } from './conversion-path';

/**
 * Reads the usual aggregated-paths export (the input of R ChannelAttribution and most attribution tools):
 *
 *   path;total_conversions;total_conversion_value;total_null
 *   Search > Email > Direct;12;840.5;230
 *
 * Semicolon-separated, or comma-separated when the header has no semicolon; columns in any order and extra
 * columns ignored; channels joined by ">". Tolerates a BOM, CRLF line ends, blank lines and quoted fields
 * (one line per record). Every problem is a DataError naming the line.
 */
const COLUMNS = ['path', 'total_conversions', 'total_conversion_value', 'total_null'] as const;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export function parsePaths(text: string, source = 'paths file'): ConversionPath[] {
  const lines = text.replace(/^\ufeff/, '').split(/\r\n|\n|\r/);
  const headerLine = lines.findIndex((line) => line.trim() !== '');
  if (headerLine < 0) throw new DataError(`${source} is empty`);
  const at = (index: number) => `${source} line ${index + 1}`;
  const delimiter = lines[headerLine]!.includes(';') ? ';' : ',';
  const header = splitFields(lines[headerLine]!, delimiter, at(headerLine)).map((h) =>
    h.trim().toLowerCase(),
  );
  const [pathAt, conversionsAt, valueAt, nullsAt] = COLUMNS.map((name) => {
    const j = header.indexOf(name);
    if (j < 0 || header.indexOf(name, j + 1) >= 0) {
      throw new DataError(
        `${at(headerLine)}: the header needs exactly one "${name}" column (expected ${COLUMNS.join(delimiter)})`,
      );
    }
    return j;
  }) as [number, number, number, number];

  const paths: ConversionPath[] = [];
  for (let i = headerLine + 1; i < lines.length; i++) {
    if (lines[i]!.trim() === '') continue;
    const where = at(i);
    const fields = splitFields(lines[i]!, delimiter, where);
    if (fields.length !== header.length) {
      throw new DataError(`${where} has ${fields.length} fields, the header has ${header.length}`);
    }
    paths.push({
      channels: channelsOf(fields[pathAt]!, where),
      conversions: count(fields[conversionsAt]!, COLUMNS[1], where),
      value: count(fields[valueAt]!, COLUMNS[2], where),
      nulls: count(fields[nullsAt]!, COLUMNS[3], where),
    });
  }
  if (paths.length === 0) throw new DataError(`${source} has no data rows`);
  return paths;
}

function channelsOf(field: string, where: string): string[] {
  const channels = field.trim().split(/\s*>\s*/);
  if (channels.some((c) => c === '')) {
    throw new DataError(`${where}: the path "${field}" has an empty channel name`);
  }
  return channels;
}

function count(field: string, column: string, where: string): number {
  const s = field.trim();
  const n = Number(s);
  if (!NUMBER.test(s) || !Number.isFinite(n))
    throw new DataError(`${where}: ${column} "${field}" is not a number`);
  if (n < 0) throw new DataError(`${where}: ${column} is negative (${s})`);
  return n;
}

/** One record's fields; a quoted field may hold the delimiter and doubled quotes. */
function splitFields(line: string, delimiter: string, where: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      for (i++; ;) {
        const quote = line.indexOf('"', i);
        if (quote < 0) throw new DataError(`${where}: a quoted field is not closed`);
        value += line.slice(i, quote);
        i = quote + 1;
        if (line[i] !== '"') break;
        value += '"';
        i++;
      }
      if (i < line.length && line[i] !== delimiter) {
        throw new DataError(`${where}: unexpected text after a closing quote`);
      }
      fields.push(value);
    } else {
      const end = line.indexOf(delimiter, i);
      const stop = end < 0 ? line.length : end;
      fields.push(line.slice(i, stop));
      i = stop;
    }
    if (i >= line.length) return fields;
    i++; // past the delimiter; a trailing one still opens an empty last field
  }
}
