/**
 * RFC 4180 CSV to rows of strings: quoted fields with embedded commas, newlines and doubled quotes,
 * CRLF or LF line ends, a leading BOM. Blank lines are skipped. Throws CsvSyntaxError with a line number.
 */
export class CsvSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

const QUOTE = 34;
const CR = 13;
const LF = 10;

export function parseCsv(text: string, delimiter = ','): string[][] {
  const delim = delimiter.charCodeAt(0);
  const rows: string[][] = [];
  let rowFields: string[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const n = text.length;
  const endRow = () => {
    if (!(rowFields.length === 1 && rowFields[0] === '')) rows.push(rowFields);
    rowFields = [];
  };
  while (i < n) {
    let c = text.charCodeAt(i);
    if (c === QUOTE) {
      const startLine = line;
      let value = '';
      let chunk = ++i;
      for (;;) {
        if (i >= n) throw new CsvSyntaxError(`unterminated quoted field starting on line ${startLine}`);
        c = text.charCodeAt(i);
        if (c === QUOTE) {
          if (text.charCodeAt(i + 1) === QUOTE) {
            value += text.slice(chunk, i + 1);
            i += 2;
            chunk = i;
            continue;
          }
          value += text.slice(chunk, i);
          i++;
          break;
        }
        if (c === LF) line++;
        i++;
      }
      c = text.charCodeAt(i);
      if (i < n && c !== delim && c !== CR && c !== LF) {
        throw new CsvSyntaxError(`unexpected text after a closing quote on line ${line}`);
      }
      rowFields.push(value);
    } else {
      const start = i;
      while (i < n) {
        c = text.charCodeAt(i);
        if (c === delim || c === CR || c === LF) break;
        if (c === QUOTE) throw new CsvSyntaxError(`stray quote inside an unquoted field on line ${line}`);
        i++;
      }
      rowFields.push(text.slice(start, i));
    }
    if (i >= n) break;
    c = text.charCodeAt(i);
    if (c === delim) {
      i++;
      // A delimiter at the very end of the text still opens one last, empty field.
      if (i >= n) rowFields.push('');
    } else {
      if (c === CR && text.charCodeAt(i + 1) === LF) i++;
      i++;
      line++;
      endRow();
    }
  }
  if (rowFields.length) endRow();
  return rows;
}
