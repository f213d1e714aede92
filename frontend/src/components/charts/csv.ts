import type { CellFormat } from './format';

export interface TableColumn {
  key: string;
  label: string;
  format?: CellFormat;
  align?: 'left' | 'right';
}

export type TableRow = Record<string, string | number | boolean | null | undefined>;

/** RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled; numbers stay raw. */
export function toCsv(columns: TableColumn[], rows: TableRow[]): string {
  const field = (v: unknown) => {
    if (v === null || v === undefined) return '';
    const s = String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [columns.map((c) => field(c.label)).join(',')];
  for (const r of rows) lines.push(columns.map((c) => field(r[c.key])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Saves text as a file from the browser (a UTF-8 BOM so spreadsheet apps read the accents). */
export function downloadCsv(fileName: string, csv: string): void {
  const blob = new Blob(['\ufeff', csv], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName.endsWith('.csv') ? fileName : `${fileName}.csv`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
