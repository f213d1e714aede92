import type { Metadata } from 'next';
import Link from 'next/link';
import { guardSection } from '@/lib/guard';
import { serverApi, ApiRequestError } from '@/api/server';
import { toApiError } from '@/api/errors';
import type { Profile } from '@/api/types';
import { accountLabel, formatDate, shortId } from '@/lib/format';
import { PageHeader } from '@/components/PageHeader';
import { EmptyState } from '@/components/EmptyState';
import { NoAccess } from '@/components/NoAccess';
import { ConsentBadge } from '@/components/ConsentBadge';
import { RelativeTime } from '@/components/RelativeTime';
import { Icon } from '@/components/Icon';
import { ProfileTimeline } from './ProfileTimeline';
import { ProspectCrm, ProspectJourney } from './ProspectJourney';

const TIMELINE_PAGE = 50;

export const metadata: Metadata = { title: 'Prospect' };

const IDENTITY_LABELS: Record<string, string> = {
  email: 'Email',
  user_id: 'User ID',
  anonymous_id: 'Anonymous ID',
  hubspot: 'HubSpot',
  salesforce: 'Salesforce',
};

function identityLabel(kind: string): string {
  return IDENTITY_LABELS[kind] ?? kind.replace(/[_-]+/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

function profileLabel(p: { name: string | null; email: string | null }): string {
  return p.name || p.email || 'Anonymous visitor';
}

export default async function ProfilePage({
  params,
}: {
  params: Promise<{ workspaceId: string; profileId: string }>;
}) {
  const { workspaceId, profileId } = await params;
  const g = await guardSection(workspaceId, 'prospects');
  if (!g.ok) return g.node;
  const { workspace } = g;
  const base = `/w/${encodeURIComponent(workspace.id)}`;

  const client = await serverApi();
  const path = { workspaceId: workspace.id, profileId };
  const [profile, events, journey] = await Promise.all([
    client.GET('/api/workspaces/{workspaceId}/profiles/{profileId}', { params: { path } }),
    client.GET('/api/workspaces/{workspaceId}/profiles/{profileId}/events', {
      params: { path, query: { limit: TIMELINE_PAGE } },
    }),
    client.GET('/api/workspaces/{workspaceId}/profiles/{profileId}/journey', { params: { path } }),
  ]);
  const breadcrumb = (label: string) => (
    <ol>
      <li>
        <Link href={`${base}/prospects`}>Prospects</Link>
      </li>
      <li aria-current="page">{label}</li>
    </ol>
  );

  if (profile.response.status === 404 || profile.response.status === 400) {
    return (
      <>
        <PageHeader title="Prospect not found" breadcrumb={breadcrumb('Not found')} />
        <EmptyState
          icon="prospects"
          title="This prospect doesn’t exist"
          testId="profile-not-found"
          actions={
            <Link className="btn btn--secondary" href={`${base}/prospects`}>
              Back to Prospects
            </Link>
          }
        >
          <p>It may have been erased in a privacy request, or the link is wrong.</p>
        </EmptyState>
      </>
    );
  }
  for (const r of [profile, events, journey]) {
    if (r.response.status === 403) return <NoAccess workspaceId={workspace.id} role={workspace.role} />;
    if (!r.response.ok) {
      const e = toApiError(r.error, r.response);
      throw new ApiRequestError(r.response.status, e.code, e.message);
    }
  }
  const p = profile.data as Profile;
  const label = profileLabel(p);
  const accountHref = p.account ? `${base}/prospects/accounts/${encodeURIComponent(p.account.id)}` : '';

  return (
    <>
      <PageHeader
        title={label}
        breadcrumb={breadcrumb(label)}
        description={
          <span className="profile-sub" data-testid="profile-summary">
            {p.name && p.email ? <span>{p.email}</span> : null}
            {p.account ? (
              <span>
                <Icon name="building" size={14} />{' '}
                <Link href={accountHref} data-testid="profile-account-link">
                  {accountLabel(p.account)}
                </Link>
              </span>
            ) : null}
            <ConsentBadge consent={p.consent} />
          </span>
        }
      />

      {p.mergedInto ? (
        <div className="notice notice--info" role="note" data-testid="profile-merged">
          <Icon name="merge" size={16} />
          <p>
            This profile was merged into another one: its identities and events now belong there.{' '}
            <Link href={`${base}/prospects/${encodeURIComponent(p.mergedInto)}`}>
              Open the current profile
            </Link>
          </p>
        </div>
      ) : null}

      <div className="profile-layout">
        <ProfileTimeline
          workspaceId={workspace.id}
          profileId={p.id}
          initialEvents={events.data ?? []}
          pageSize={TIMELINE_PAGE}
        />

        <aside className="profile-aside" aria-label="About this prospect">
          {journey.data ? <ProspectJourney journey={journey.data} /> : null}
          {journey.data ? <ProspectCrm journey={journey.data} /> : null}
          <section className="panel" aria-labelledby="profile-details-title">
            <h2 id="profile-details-title" className="panel__title">
              Details
            </h2>
            <dl className="facts">
              <div>
                <dt>Email</dt>
                <dd>{p.email ?? <span className="muted">Unknown</span>}</dd>
              </div>
              <div>
                <dt>Account</dt>
                <dd>
                  {p.account ? (
                    <>
                      <Link href={accountHref}>{accountLabel(p.account)}</Link>
                      {p.account.name && p.account.domain ? (
                        <span className="muted small"> · {p.account.domain}</span>
                      ) : null}
                    </>
                  ) : (
                    <span className="muted">None</span>
                  )}
                </dd>
              </div>
              <div>
                <dt>First seen</dt>
                <dd>
                  <time dateTime={p.firstSeenAt} suppressHydrationWarning>
                    {formatDate(p.firstSeenAt)}
                  </time>
                </dd>
              </div>
              <div>
                <dt>Last seen</dt>
                <dd>
                  <RelativeTime iso={p.lastSeenAt} />
                </dd>
              </div>
              <div>
                <dt>Consent</dt>
                <dd>
                  <ConsentBadge consent={p.consent} />
                </dd>
              </div>
              <div>
                <dt>Profile ID</dt>
                <dd>
                  <code className="break">{p.id}</code>
                </dd>
              </div>
            </dl>
            <Traits traits={p.traits} />
          </section>

          <section
            className="panel"
            aria-labelledby="profile-identities-title"
            data-testid="profile-identities"
          >
            <h2 id="profile-identities-title" className="panel__title">
              Identities <span className="count">{p.identities.length}</span>
            </h2>
            <p className="muted small panel__subtitle">Every id Cairn resolved to this person.</p>
            {p.identities.length === 0 ? (
              <p className="muted small">None recorded.</p>
            ) : (
              <ul className="identity-list">
                {p.identities.map((i) => (
                  <li key={`${i.kind}:${i.value}`} data-testid="identity" data-kind={i.kind}>
                    <span className="identity-list__kind">{identityLabel(i.kind)}</span>
                    <span className="identity-list__value" title={i.value}>
                      {i.value}
                    </span>
                    <span className="identity-list__since muted">
                      since{' '}
                      <time dateTime={i.createdAt} suppressHydrationWarning>
                        {formatDate(i.createdAt)}
                      </time>
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section className="panel" aria-labelledby="profile-merges-title" data-testid="profile-merges">
            <h2 id="profile-merges-title" className="panel__title">
              Merge history <span className="count">{p.merges.length}</span>
            </h2>
            {p.merges.length === 0 ? (
              <p className="muted small panel__subtitle">No other profile was merged into this one.</p>
            ) : (
              <ol className="merge-list">
                {p.merges.map((m) => (
                  <li key={`${m.fromProfileId}:${m.mergedAt}`}>
                    <p>
                      <MergeRef id={m.fromProfileId} self={p.id} base={base} /> merged into{' '}
                      <MergeRef id={m.intoProfileId} self={p.id} base={base} />
                    </p>
                    <p className="muted small">
                      {m.reason} ·{' '}
                      <time dateTime={m.mergedAt} suppressHydrationWarning>
                        {formatDate(m.mergedAt)}
                      </time>
                    </p>
                  </li>
                ))}
              </ol>
            )}
          </section>
        </aside>
      </div>
    </>
  );
}

function MergeRef({ id, self, base }: { id: string; self: string; base: string }) {
  if (id === self) return <strong>this profile</strong>;
  return (
    <Link href={`${base}/prospects/${encodeURIComponent(id)}`} title={id}>
      <code>{shortId(id)}</code>
    </Link>
  );
}

const HIDDEN_TRAITS = new Set(['email', 'name']);

/** Scalar traits from identify calls (plan, title, company size…), at most a dozen. */
function Traits({ traits }: { traits: Record<string, unknown> | null | undefined }) {
  const entries = Object.entries(traits ?? {})
    .filter(
      ([k, v]) => !HIDDEN_TRAITS.has(k) && v !== null && ['string', 'number', 'boolean'].includes(typeof v),
    )
    .slice(0, 12);
  if (entries.length === 0) return null;
  return (
    <details className="traits">
      <summary>Traits ({entries.length})</summary>
      <dl className="facts facts--compact">
        {entries.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{String(v)}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
