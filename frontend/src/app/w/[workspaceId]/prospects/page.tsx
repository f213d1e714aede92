import type { Metadata } from 'next';
import Link from 'next/link';
import { guardSection } from '@/lib/guard';
import { canAccess } from '@/lib/access';
import { serverApi, ApiRequestError } from '@/api/server';
import { toApiError } from '@/api/errors';
import type { ProfileSummary } from '@/api/types';
import { formatDate, initials } from '@/lib/format';
import { PageHeader } from '@/components/PageHeader';
import { EmptyState } from '@/components/EmptyState';
import { NoAccess } from '@/components/NoAccess';
import { ConsentBadge } from '@/components/ConsentBadge';
import { RelativeTime } from '@/components/RelativeTime';
import { ProspectSearch } from './ProspectSearch';
import { ProspectSort } from './ProspectSort';
import { SORTS } from './sorts';
import { ProspectsNav } from './ProspectsNav';
import { RiskMeter, RiskTrend } from './Risk';
import styles from './prospects.module.css';

export const metadata: Metadata = { title: 'Prospects' };

const LIMIT = 50;

export default async function ProspectsPage({
  params,
  searchParams,
}: {
  params: Promise<{ workspaceId: string }>;
  searchParams: Promise<{ q?: string | string[]; sort?: string | string[] }>;
}) {
  const { workspaceId } = await params;
  const g = await guardSection(workspaceId, 'prospects');
  if (!g.ok) return g.node;
  const { workspace } = g;
  const base = `/w/${encodeURIComponent(workspace.id)}`;
  const canConnect = canAccess(workspace.role, 'connections');
  const sp = await searchParams;
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() ?? '';
  const q = first(sp.q);
  const sortParam = first(sp.sort);
  const sort = (SORTS.find((s) => s.value === sortParam)?.value ??
    'recent') as (typeof SORTS)[number]['value'];

  const client = await serverApi();
  const res = await client.GET('/api/workspaces/{workspaceId}/profiles', {
    params: {
      path: { workspaceId: workspace.id },
      query: { limit: LIMIT, ...(q ? { q } : {}), ...(sort !== 'recent' ? { sort } : {}) },
    },
  });
  if (res.response.status === 403) return <NoAccess workspaceId={workspace.id} role={workspace.role} />;
  if (!res.response.ok) {
    const e = toApiError(res.error, res.response);
    throw new ApiRequestError(res.response.status, e.code, e.message);
  }
  const profiles = res.data ?? [];

  const header = (
    <PageHeader
      title="Prospects"
      description="Everyone Cairn has seen, with their journey stage, drop-off risk and how it moved this week."
    />
  );
  const nav = <ProspectsNav workspaceId={workspace.id} />;

  if (profiles.length === 0 && !q) {
    return (
      <>
        {header}
        {nav}
        <EmptyState
          icon="prospects"
          title="Prospects appear once a CRM is connected or events arrive"
          testId="prospects-empty"
          actions={
            canConnect ? (
              <Link className="btn btn--secondary" href={`${base}/connections`}>
                Go to Connections
              </Link>
            ) : null
          }
        >
          <p>
            {canConnect
              ? 'Connect HubSpot or Salesforce, or send events from Segment, and Cairn places each prospect on a stage.'
              : 'Once a workspace admin connects HubSpot or Salesforce, your prospects show up here with their stage and risk — the same values you’ll see on records in your CRM.'}
          </p>
        </EmptyState>
      </>
    );
  }

  return (
    <>
      {header}
      {nav}
      <section className="panel panel--flush" aria-labelledby="prospects-title" data-testid="prospects">
        <header className="panel__header panel__header--split">
          <h2 id="prospects-title" className="panel__title">
            {q ? 'Matching prospects' : 'All prospects'}{' '}
            <span className="count">{profiles.length === LIMIT ? `${LIMIT}+` : profiles.length}</span>
          </h2>
          <div className={styles.listHead}>
            <ProspectSort sort={sort} />
            <ProspectSearch initialQuery={q} />
          </div>
        </header>
        {profiles.length === 0 ? (
          <p className="panel__empty" data-testid="prospects-no-match" role="status">
            No prospect matches “{q}”. Search by email, user ID or name.
          </p>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="prospects-table">
              <thead>
                <tr>
                  <th scope="col">Person</th>
                  <th scope="col">Account</th>
                  <th scope="col" aria-sort={sort === 'stage' ? 'descending' : undefined}>
                    Stage
                  </th>
                  <th scope="col" aria-sort={sort === 'risk' ? 'descending' : undefined}>
                    Risk
                  </th>
                  <th scope="col" aria-sort={sort === 'trend' ? 'descending' : undefined}>
                    7-day trend
                  </th>
                  <th scope="col" aria-sort={sort === 'owner' ? 'ascending' : undefined}>
                    Owner
                  </th>
                  <th scope="col" aria-sort={sort === 'recent' ? 'descending' : undefined}>
                    Last seen
                  </th>
                  <th scope="col">Consent</th>
                </tr>
              </thead>
              <tbody>
                {profiles.map((p) => (
                  <ProspectRow key={p.id} profile={p} base={base} />
                ))}
              </tbody>
            </table>
          </div>
        )}
        {profiles.length === LIMIT ? (
          <p className="panel__note">
            Showing the first {LIMIT}
            {q ? ' matches' : ''} by “{SORTS.find((s) => s.value === sort)?.label.toLowerCase()}”. Search to
            find someone else.
          </p>
        ) : null}
      </section>
    </>
  );
}

function ProspectRow({ profile: p, base }: { profile: ProfileSummary; base: string }) {
  const label = p.name || p.email || 'Anonymous visitor';
  const anonymous = !p.name && !p.email;
  return (
    <tr data-testid="prospect-row" data-email={p.email ?? undefined}>
      <td>
        <div className="person">
          <span className={`person__avatar${anonymous ? ' person__avatar--anon' : ''}`} aria-hidden="true">
            {anonymous ? '?' : initials(p.name ?? '', p.email ?? '')}
          </span>
          <span className="person__text">
            <Link
              className="person__name person__link"
              href={`${base}/prospects/${encodeURIComponent(p.id)}`}
            >
              {label}
            </Link>
            {p.name && p.email ? <span className="person__email">{p.email}</span> : null}
          </span>
        </div>
      </td>
      <td>{p.accountName ?? <span className="muted">—</span>}</td>
      <td data-testid="prospect-stage">{p.stageLabel ?? p.stage ?? <span className="muted">—</span>}</td>
      <td data-testid="prospect-risk">
        <RiskMeter risk={p.risk} />
      </td>
      <td>
        <RiskTrend trend={p.riskTrend} />
      </td>
      <td>{p.owner ? <code>{p.owner}</code> : <span className="muted">—</span>}</td>
      <td title={`First seen ${formatDate(p.firstSeenAt)}`}>
        <RelativeTime iso={p.lastSeenAt} />
      </td>
      <td>
        <ConsentBadge consent={p.consent} />
      </td>
    </tr>
  );
}
