import type { ReactNode } from 'react';
import Link from 'next/link';
import type { SessionWorkspace } from '@/api/types';
import { canAccess } from '@/lib/access';
import { formatDateTime } from '@/lib/format';
import { PageHeader } from '@/components/PageHeader';
import { EmptyState } from '@/components/EmptyState';
import { NoAccess } from '@/components/NoAccess';
import { InsightsNav } from './InsightsNav';
import { InsightsFilters, type ExtraControl } from './InsightsFilters';
import type { Loaded } from './data';
import type { Meta, Options } from './types';
import styles from './insights.module.css';

interface Props<T> {
  workspace: SessionWorkspace;
  title: string;
  description: string;
  query: Record<string, string>;
  loaded: Loaded<T>;
  controls?: ExtraControl[];
  children: (data: T, options: Options) => ReactNode;
}

/**
 * What every insights page shares: header, tabs, filters, a line on what the numbers cover, and the empty
 * state for a workspace without data yet.
 */
export function InsightsFrame<T extends { meta?: Meta }>({
  workspace,
  title,
  description,
  query,
  loaded,
  controls,
  children,
}: Props<T>) {
  const base = `/w/${encodeURIComponent(workspace.id)}`;
  if (!loaded.ok && loaded.status === 403)
    return <NoAccess workspaceId={workspace.id} role={workspace.role} />;
  const header = <PageHeader title={title} description={description} />;
  const nav = <InsightsNav workspaceId={workspace.id} query={query} />;
  if (!loaded.ok) {
    return (
      <>
        {header}
        {nav}
        <EmptyState
          icon="alert"
          title="These filters don’t work together"
          testId="insights-bad-filters"
          actions={
            <Link className="btn btn--secondary" href={`${base}/insights`}>
              Clear the filters
            </Link>
          }
        >
          <p>Check the date range: its start must be before its end.</p>
        </EmptyState>
      </>
    );
  }
  const { options, data } = loaded;
  if (options.people === 0) {
    const canConnect = canAccess(workspace.role, 'connections');
    return (
      <>
        {header}
        {nav}
        <EmptyState
          icon="insights"
          title="Insights appear once events arrive"
          testId="insights-empty"
          actions={
            canConnect ? (
              <Link className="btn btn--secondary" href={`${base}/connections`}>
                Connect a data source
              </Link>
            ) : null
          }
        >
          <p>
            Send behavioural events from Segment or connect a CRM. Cairn summarises every journey as events
            come in and answers where people drop off, what moves them forward and what changed.
          </p>
        </EmptyState>
      </>
    );
  }
  const meta = data.meta;
  return (
    <>
      {header}
      {nav}
      <InsightsFilters key={JSON.stringify(query)} query={query} options={options} controls={controls} />
      {meta ? (
        <p className={styles.meta} data-testid="insights-meta">
          {meta.people.toLocaleString('en-US')} {meta.people === 1 ? 'person' : 'people'}
          {meta.goal ? <> · converting means {meta.goal}</> : <> · no conversion goal set</>} · dropped off =
          quiet for {meta.inactiveDays} days without converting
          {meta.refreshedAt ? (
            <>
              {' '}
              · data as of{' '}
              <time dateTime={meta.refreshedAt} suppressHydrationWarning>
                {formatDateTime(meta.refreshedAt)}
              </time>
            </>
          ) : null}
        </p>
      ) : null}
      <div className={styles.stack}>{children(data, options)}</div>
    </>
  );
}
