import type { Metadata } from 'next';
import Link from 'next/link';
import { guardSection } from '@/lib/guard';
import { serverApi, ApiRequestError } from '@/api/server';
import { toApiError } from '@/api/errors';
import type { AccountDetail, AccountMember } from '@/api/types';
import { accountLabel, formatCount, initials } from '@/lib/format';
import { PageHeader } from '@/components/PageHeader';
import { EmptyState } from '@/components/EmptyState';
import { NoAccess } from '@/components/NoAccess';
import { RelativeTime } from '@/components/RelativeTime';
import { Icon } from '@/components/Icon';

export const metadata: Metadata = { title: 'Account' };

export default async function AccountPage({
  params,
}: {
  params: Promise<{ workspaceId: string; accountId: string }>;
}) {
  const { workspaceId, accountId } = await params;
  const g = await guardSection(workspaceId, 'prospects');
  if (!g.ok) return g.node;
  const { workspace } = g;
  const base = `/w/${encodeURIComponent(workspace.id)}`;

  const client = await serverApi();
  const res = await client.GET('/api/workspaces/{workspaceId}/accounts/{accountId}', {
    params: { path: { workspaceId: workspace.id, accountId } },
  });
  const breadcrumb = (label: string) => (
    <ol>
      <li>
        <Link href={`${base}/prospects`}>Prospects</Link>
      </li>
      <li>
        <Link href={`${base}/prospects/accounts`}>Accounts</Link>
      </li>
      <li aria-current="page">{label}</li>
    </ol>
  );

  if (res.response.status === 404 || res.response.status === 400) {
    return (
      <>
        <PageHeader title="Account not found" breadcrumb={breadcrumb('Not found')} />
        <EmptyState
          icon="building"
          title="This account doesn’t exist"
          testId="account-not-found"
          actions={
            <Link className="btn btn--secondary" href={`${base}/prospects/accounts`}>
              Back to Accounts
            </Link>
          }
        >
          <p>The link may be wrong, or the account belongs to another workspace.</p>
        </EmptyState>
      </>
    );
  }
  if (res.response.status === 403) return <NoAccess workspaceId={workspace.id} role={workspace.role} />;
  if (!res.response.ok) {
    const e = toApiError(res.error, res.response);
    throw new ApiRequestError(res.response.status, e.code, e.message);
  }
  const a = res.data as AccountDetail;
  const label = accountLabel(a);

  return (
    <>
      <PageHeader
        title={label}
        breadcrumb={breadcrumb(label)}
        description={
          <span className="profile-sub" data-testid="account-summary">
            {a.domain && a.domain !== label ? <span>{a.domain}</span> : null}
            <span>
              <Icon name="users" size={14} /> {formatCount(a.people)} {a.people === 1 ? 'person' : 'people'}
            </span>
            {a.lastSeenAt ? (
              <span>
                Last seen <RelativeTime iso={a.lastSeenAt} />
              </span>
            ) : null}
          </span>
        }
      />

      <div className="profile-layout">
        <section
          className="panel panel--flush"
          aria-labelledby="account-people-title"
          data-testid="account-people"
        >
          <header className="panel__header">
            <h2 id="account-people-title" className="panel__title">
              People <span className="count">{a.members.length}</span>
            </h2>
            <p className="muted small panel__subtitle">
              Everyone Cairn linked to this account, most recently active first.
            </p>
          </header>
          {a.members.length === 0 ? (
            <p className="panel__empty" data-testid="account-people-empty">
              No one is linked to this account yet. People join it when a <code>group</code> call names them.
            </p>
          ) : (
            <div className="table-wrap">
              <table className="table" data-testid="account-people-table">
                <thead>
                  <tr>
                    <th scope="col">Person</th>
                    <th scope="col">Last seen</th>
                  </tr>
                </thead>
                <tbody>
                  {a.members.map((m) => (
                    <MemberRow key={m.id} member={m} base={base} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {a.members.length < a.people ? (
            <p className="panel__note">
              Showing {formatCount(a.members.length)} of {formatCount(a.people)} people.
            </p>
          ) : null}
        </section>

        <aside className="profile-aside" aria-label="About this account">
          <section className="panel" aria-labelledby="account-details-title">
            <h2 id="account-details-title" className="panel__title">
              Details
            </h2>
            <dl className="facts">
              <div>
                <dt>Name</dt>
                <dd>{a.name ?? <span className="muted">Unknown</span>}</dd>
              </div>
              <div>
                <dt>Domain</dt>
                <dd>{a.domain ?? <span className="muted">Unknown</span>}</dd>
              </div>
              <div>
                <dt>Group ID</dt>
                <dd>
                  {a.groupId ? (
                    <code className="break">{a.groupId}</code>
                  ) : (
                    <span className="muted">None</span>
                  )}
                </dd>
              </div>
              <div>
                <dt>Last seen</dt>
                <dd>
                  {a.lastSeenAt ? <RelativeTime iso={a.lastSeenAt} /> : <span className="muted">Never</span>}
                </dd>
              </div>
              <div>
                <dt>Account ID</dt>
                <dd>
                  <code className="break">{a.id}</code>
                </dd>
              </div>
            </dl>
          </section>
        </aside>
      </div>
    </>
  );
}

function MemberRow({ member: m, base }: { member: AccountMember; base: string }) {
  const label = m.name || m.email || 'Anonymous visitor';
  const anonymous = !m.name && !m.email;
  return (
    <tr data-testid="account-person-row" data-email={m.email ?? undefined}>
      <td>
        <div className="person">
          <span className={`person__avatar${anonymous ? ' person__avatar--anon' : ''}`} aria-hidden="true">
            {anonymous ? '?' : initials(m.name ?? '', m.email ?? '')}
          </span>
          <span className="person__text">
            <Link
              className="person__name person__link"
              href={`${base}/prospects/${encodeURIComponent(m.id)}`}
            >
              {label}
            </Link>
            {m.name && m.email ? <span className="person__email">{m.email}</span> : null}
          </span>
        </div>
      </td>
      <td>
        <RelativeTime iso={m.lastSeenAt} />
      </td>
    </tr>
  );
}
