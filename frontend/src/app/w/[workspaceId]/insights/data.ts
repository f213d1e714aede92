import { serverApi, ApiRequestError } from '@/api/server';
import { toApiError } from '@/api/errors';
import { guardSection } from '@/lib/guard';
import { FILTER_KEYS, type Options, type View, type ViewData } from './types';

type SearchParams = Record<string, string | string[] | undefined>;

/** The filters (and the given view-specific keys) from the page's query string, as the API takes them. */
export function insightQuery(sp: SearchParams, extra: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of [...FILTER_KEYS, ...extra]) {
    const raw = sp[key];
    const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    if (value) out[key] = value;
  }
  return out;
}

export interface InsightsPageProps {
  params: Promise<{ workspaceId: string }>;
  searchParams: Promise<SearchParams>;
}

/** What every insights page starts with: the role check, the filters from the query string, then the view. */
export async function openView<V extends View>(props: InsightsPageProps, view: V, extra: string[] = []) {
  const { workspaceId } = await props.params;
  const g = await guardSection(workspaceId, 'insights');
  if (!g.ok) return { ok: false as const, node: g.node };
  const query = insightQuery(await props.searchParams, extra);
  return {
    ok: true as const,
    workspace: g.workspace,
    query,
    loaded: await loadView(g.workspace.id, view, query),
  };
}

export type Loaded<T> = { ok: true; options: Options; data: T } | { ok: false; status: number };

/**
 * Filter options and one view, fetched in parallel. A 403 comes back as a status for the page to explain;
 * a bad filter (400) as well, so the page can say what to fix; anything else is thrown.
 */
export async function loadView<V extends View>(
  workspaceId: string,
  view: V,
  query: Record<string, string>,
): Promise<Loaded<ViewData<V>>> {
  const client = await serverApi();
  const path = { workspaceId };
  const [options, data] = await Promise.all([
    client.GET('/api/workspaces/{workspaceId}/insights/options', { params: { path } }),
    // One typed path per view; the query object is the same shape for all of them.
    client.GET(
      `/api/workspaces/{workspaceId}/insights/${view}` as '/api/workspaces/{workspaceId}/insights/funnel',
      {
        params: { path, query: query as never },
      },
    ),
  ]);
  for (const r of [options, data]) {
    if (r.response.status === 403 || r.response.status === 400)
      return { ok: false, status: r.response.status };
    if (!r.response.ok) {
      const e = toApiError(r.error, r.response);
      throw new ApiRequestError(r.response.status, e.code, e.message);
    }
  }
  return { ok: true, options: options.data!, data: data.data as unknown as ViewData<V> };
}

/** The link to a view keeping the current filters (and adding the given parameters). */
export function viewHref(
  base: string,
  view: string,
  query: Record<string, string>,
  add: Record<string, string> = {},
) {
  const qs = new URLSearchParams({ ...query, ...add }).toString();
  return `${base}/insights${view === 'overview' ? '' : `/${view}`}${qs ? `?${qs}` : ''}`;
}
