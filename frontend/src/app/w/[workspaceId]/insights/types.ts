import type { paths } from '@/api/schema';

type JsonOf<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type Ws = '/api/workspaces/{workspaceId}/insights';

export const VIEWS = ['overview', 'funnel', 'paths', 'moments', 'attribution', 'dropoff', 'changes'] as const;
export type View = (typeof VIEWS)[number];
export type ViewData<V extends View> = JsonOf<paths[`${Ws}/${V}`]['get']['responses'][200]>;

export type Options = JsonOf<paths[`${Ws}/options`]['get']['responses'][200]>;
export type Overview = ViewData<'overview'>;
export type Funnel = ViewData<'funnel'>;
export type Paths = ViewData<'paths'>;
export type Moments = ViewData<'moments'>;
export type Attribution = ViewData<'attribution'>;
export type Dropoff = ViewData<'dropoff'>;
export type Changes = ViewData<'changes'>;
export type Meta = Funnel['meta'];

/** Query parameters every view understands (the segment filters, dates, drop-off definition). */
export const FILTER_KEYS = [
  'from',
  'to',
  'channel',
  'companySize',
  'plan',
  'region',
  'inactiveDays',
] as const;

export const DIMENSION_LABELS: Record<string, string> = {
  channel: 'First-touch channel',
  companySize: 'Company size',
  plan: 'Plan',
  region: 'Region',
};
