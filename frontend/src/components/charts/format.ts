/** How a table cell shows a number; CSV export keeps the raw value. */
export type CellFormat = 'text' | 'int' | 'pct' | 'pct1' | 'ratio' | 'days' | 'p' | 'decimal';

const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatCell(value: unknown, format: CellFormat = 'text'): string {
  if (value === null || value === undefined || (typeof value === 'number' && !Number.isFinite(value)))
    return '—';
  if (typeof value !== 'number') return String(value);
  switch (format) {
    case 'int':
      return int.format(value);
    case 'pct':
      return `${Math.round(value * 100)}%`;
    case 'pct1':
      return `${(value * 100).toFixed(1)}%`;
    case 'ratio':
      return `${value >= 9.95 ? value.toFixed(0) : value.toFixed(2)}×`;
    case 'days':
      return `${value < 10 ? (Math.round(value * 10) / 10).toString() : Math.round(value)} d`;
    case 'p':
      return value < 0.001 ? '< 0.001' : value.toFixed(3);
    case 'decimal':
      return value.toFixed(2);
    default:
      return String(value);
  }
}

export const pct = (x: number | null | undefined) =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : `${Math.round(x * 100)}%`;
export const count = (x: number) => int.format(x);
