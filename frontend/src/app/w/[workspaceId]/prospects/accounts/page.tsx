import type { Metadata } from 'next';
import Link from 'next/link';
import { guardSection } from '@/lib/guard';
import { canAccess } from '@/lib/access';
import { serverApi, ApiRequestError } from '@/api/server';
import { toApiError } from '@/api/errors';
import type { Account } from '@/api/types';
import { accountLabel, formatCount } from '@/lib/format';
import { PageHeader } from '@/components/PageHeader';
import { EmptyState } from '@/components/EmptyState';
import { NoAccess } from '@/components/NoAccess';
import { RelativeTime } from '@/components/RelativeTime';
import { ProspectsNav } from '../ProspectsNav';

export const metadata: Metadata = { title: 'Accounts' };

const LIMIT = 50;

export default async function AccountsPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { workspaceId } = await params;
  const g = await guardSection(workspaceId, 'prospects');
  if (!g.ok) return g.node;
  const { workspace } = g;
  const base = `/w/${encodeURIComponent(workspace.id)}`;
  const canConnect = canAccess(workspace.role, 'connections');

  const client = await serverApi();
  const res = await client.GET('/api/workspaces/{workspaceId}/accounts', {
    params: { path: { workspaceId: workspace.id }, query: { limit: LIMIT } },
  });
  if (res.response.status === 403) return <NoAccess workspaceId={workspace.id} role={workspace.role} />;
  if (!res.response.ok) {
    const e = toApiError(res.error, res.response);
    throw new ApiRequestError(res.response.status, e.code, e.message);
  }
  const accounts = res.data ?? [];

  const header = (
    <PageHeader
      title="Prospects"
      description="The companies your prospects work at, most recently active first."
    />
  );
  const nav = <ProspectsNav workspaceId={workspace.id} />;

  if (accounts.length === 0) {
    return (
      <>
        {header}
        {nav}
        <EmptyState
          icon="building"
          title="Accounts appear when people are linked to a company"
          testId="accounts-empty"
          actions={
            canConnect ? (
              <Link className="btn btn--secondary" href={`${base}/connections`}>
                Go to Connections
              </Link>
            ) : null
          }
        >
          <p>
            Cairn creates an account for each company your product reports with a Segment <code>group</code>{' '}
            call, and adds the people in it. Once HubSpot or Salesforce is connected, CRM companies become
            accounts too.
          </p>
        </EmptyState>
      </>
    );
  }

  return (
    <>
      {header}
      {nav}
      <section className="panel panel--flush" aria-labelledby="accounts-title" data-testid="accounts">
        <header className="panel__header">
          <h2 id="accounts-title" className="panel__title">
            All accounts{' '}
            <span className="count">{accounts.length === LIMIT ? `${LIMIT}+` : accounts.length}</span>
          </h2>
          <p className="muted small panel__subtitle">
            Companies from Segment <code>group</code> calls, most recently active first.
          </p>
        </header>
        <div className="table-wrap">
          <table className="table" data-testid="accounts-table">
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col">Domain</th>
                <th scope="col" className="table__num">
                  People
                </th>
                <th scope="col">Last seen</th>
              </tr>
            </thead>
            <tbody>
              {accounts.map((a) => (
                <AccountRow key={a.id} account={a} base={base} />
              ))}
            </tbody>
          </table>
        </div>
        {accounts.length === LIMIT ? (
          <p className="panel__note">Showing the {LIMIT} most recently active accounts.</p>
        ) : null}
      </section>
    </>
  );
}

function AccountRow({ account: a, base }: { account: Account; base: string }) {
  const label = accountLabel(a);
  return (
    <tr data-testid="account-row" data-name={a.name ?? undefined} data-domain={a.domain ?? undefined}>
      <td>
        <div className="person">
          <span className="person__avatar person__avatar--account" aria-hidden="true">
            {label.charAt(0).toUpperCase()}
          </span>
          <span className="person__text">
            <Link
              className="person__name person__link"
              href={`${base}/prospects/accounts/${encodeURIComponent(a.id)}`}
            >
              {label}
            </Link>
            {a.groupId && a.groupId !== label ? (
              <span className="person__email">Group ID {a.groupId}</span>
            ) : null}
          </span>
        </div>
      </td>
      <td>{a.domain ?? <span className="muted">—</span>}</td>
      <td className="table__num" data-testid="account-people">
        {formatCount(a.people)}
      </td>
      <td>{a.lastSeenAt ? <RelativeTime iso={a.lastSeenAt} /> : <span className="muted">Never</span>}</td>
    </tr>
  );
}
