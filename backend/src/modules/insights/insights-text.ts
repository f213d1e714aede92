/** Numbers and segments in the words the insights pages use. */
import type { Dimension } from './insights.repository';

/** Code-point order: deterministic, unlike locale collation (which ignores punctuation). */
export const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export const count = (n: number) => n.toLocaleString('en-US');
export const pct = (x: number) => (x < 0.1 && x > 0 ? `${(x * 100).toFixed(1)}%` : `${Math.round(x * 100)}%`);
export const people = (n: number) => `${count(n)} ${n === 1 ? 'person' : 'people'}`;
export const days = (d: number) => {
  const r = d < 10 ? Math.round(d * 10) / 10 : Math.round(d);
  return `${r} ${r === 1 ? 'day' : 'days'}`;
};
export function pValueText(p: number): string {
  if (!Number.isFinite(p)) return 'p n/a';
  return p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`;
}

export const DIMENSION_LABELS: Record<Dimension, string> = {
  channel: 'first-touch channel',
  companySize: 'company size',
  plan: 'plan',
  region: 'region',
};

/** "Prospects from google / organic", "Prospects at 51–200 companies", … */
export function segmentPhrase(dimension: Dimension, value: string): string {
  switch (dimension) {
    case 'channel':
      return `Prospects from ${value}`;
    case 'companySize':
      return /^\d/.test(value) ? `Prospects at companies of ${value} people` : `${value} prospects`;
    case 'plan':
      return `Prospects on the ${value} plan`;
    case 'region':
      return `Prospects in ${value}`;
  }
}
