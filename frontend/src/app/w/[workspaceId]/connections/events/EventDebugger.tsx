'use client';

import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import Link from 'next/link';
import { api } from '@/api/client';
import { describeApiError, settle } from '@/api/errors';
import type { RecentEvent, Rejection } from '@/api/types';
import {
  dayKey,
  formatCount,
  formatDateTime,
  formatFullDateTime,
  formatTime,
  shortId,
  urlPath,
} from '@/lib/format';
import { useOrigin } from '@/lib/useOrigin';
import { useHydrated } from '@/lib/useHydrated';
import { CodeBlock } from '@/components/CodeBlock';
import { MappingChips, TypeLabel } from '@/components/EventChips';
import { Icon } from '@/components/Icon';

const REFRESH_MS = 3000;
const LIMIT = 50;

interface SourceRef {
  id: string;
  name: string;
  active: boolean;
}

interface Props {
  workspaceId: string;
  canManage: boolean;
  initialEvents: RecentEvent[];
  initialRejections: Rejection[];
  sources: SourceRef[];
}

type Tab = 'events' | 'rejected';
const TABS: Tab[] = ['events', 'rejected'];

export function EventDebugger({ workspaceId, canManage, initialEvents, initialRejections, sources }: Props) {
  const [tab, setTab] = useState<Tab>('events');
  const [events, setEvents] = useState(initialEvents);
  const [rejections, setRejections] = useState(initialRejections);
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const [live, setLive] = useState(true);
  const [updatedAt, setUpdatedAt] = useState<number | null>(null);
  const [waiting, setWaiting] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const inFlight = useRef(false);
  const known = useRef(new Set(initialEvents.map((e) => e.messageId)));
  const hydrated = useHydrated();
  const tabRefs = useRef<Record<Tab, HTMLButtonElement | null>>({ events: null, rejected: null });

  const refresh = useCallback(async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    const ws = { path: { workspaceId }, query: { limit: LIMIT } };
    const [e, r, i] = await Promise.all([
      settle(api.GET('/api/workspaces/{workspaceId}/events/recent', { params: ws })),
      settle(api.GET('/api/workspaces/{workspaceId}/events/rejections', { params: ws })),
      settle(api.GET('/api/workspaces/{workspaceId}/events/inbox', { params: { path: { workspaceId } } })),
    ]);
    inFlight.current = false;
    if (!e.ok || !r.ok) {
      const failed = !e.ok ? e.error : !r.ok ? r.error : null;
      if (failed) setError(describeApiError(failed));
      return;
    }
    setError(null);
    const nextEvents = e.result.data ?? [];
    const arrived = new Set(
      nextEvents.filter((x) => !known.current.has(x.messageId)).map((x) => x.messageId),
    );
    known.current = new Set(nextEvents.map((x) => x.messageId));
    setEvents(nextEvents);
    setFresh(arrived);
    setRejections(r.result.data ?? []);
    setWaiting(i.ok ? (i.result.data?.waiting ?? 0) : 0);
    setUpdatedAt(Date.now());
  }, [workspaceId]);

  useEffect(() => {
    if (!live) return;
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') void refresh();
    }, REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [live, refresh]);

  function onTabKey(event: KeyboardEvent<HTMLButtonElement>) {
    const i = TABS.indexOf(tab);
    let next: Tab | undefined;
    if (event.key === 'ArrowRight') next = TABS[(i + 1) % TABS.length];
    else if (event.key === 'ArrowLeft') next = TABS[(i - 1 + TABS.length) % TABS.length];
    else if (event.key === 'Home') next = TABS[0];
    else if (event.key === 'End') next = TABS[TABS.length - 1];
    if (!next) return;
    event.preventDefault();
    setTab(next);
    tabRefs.current[next]?.focus();
  }

  const sourceNames = new Map(sources.map((s) => [s.id, s.name]));
  const base = `/w/${encodeURIComponent(workspaceId)}`;

  return (
    <section className="panel panel--flush" aria-labelledby="debugger-title" data-testid="event-debugger">
      <header className="panel__header panel__header--split">
        <div>
          <h2 id="debugger-title" className="panel__title">
            Event debugger
          </h2>
          <p className="muted small">
            The last {LIMIT} messages as Cairn stored them, with the canonical event, category and intent the
            taxonomy gave them.
          </p>
        </div>
        <div className="toolbar">
          <span className="live-status" role="status" aria-live="polite" data-testid="debugger-status">
            {live ? (
              <>
                <span className="live-dot" aria-hidden="true" />
                Live
              </>
            ) : (
              'Paused'
            )}
            {updatedAt ? (
              <span className="muted" suppressHydrationWarning>
                {' '}
                · updated {formatTime(updatedAt)}
              </span>
            ) : null}
            {waiting > 0 ? (
              <span className="muted" data-testid="debugger-waiting">
                {' '}
                · {formatCount(waiting)} accepted, still being resolved
              </span>
            ) : null}
          </span>
          <button
            type="button"
            className="btn btn--secondary btn--sm"
            aria-pressed={!live}
            disabled={!hydrated}
            onClick={() => setLive((v) => !v)}
            data-testid="debugger-pause"
          >
            <Icon name={live ? 'pause' : 'play'} size={14} />
            {live ? 'Pause' : 'Resume'}
          </button>
          {live ? null : (
            <button
              type="button"
              className="btn btn--ghost btn--sm"
              disabled={!hydrated}
              onClick={() => void refresh()}
            >
              <Icon name="refresh" size={14} />
              Refresh
            </button>
          )}
        </div>
      </header>

      <div className="tabs" role="tablist" aria-label="Messages">
        {TABS.map((t) => (
          <button
            key={t}
            ref={(el) => {
              tabRefs.current[t] = el;
            }}
            type="button"
            role="tab"
            id={`tab-${t}`}
            aria-controls={`panel-${t}`}
            aria-selected={tab === t}
            tabIndex={tab === t ? 0 : -1}
            className="tabs__tab"
            onClick={() => setTab(t)}
            onKeyDown={onTabKey}
            data-testid={`debugger-tab-${t}`}
          >
            {t === 'events' ? 'Events' : 'Rejected'}
            <span className={`count${t === 'rejected' && rejections.length > 0 ? ' count--warn' : ''}`}>
              {t === 'events' ? events.length : rejections.length}
            </span>
          </button>
        ))}
      </div>

      {error ? (
        <div className="panel__body panel__body--tight">
          <div className="alert alert--error" role="alert">
            <Icon name="alert" size={18} />
            <p>Couldn’t refresh: {error}</p>
          </div>
        </div>
      ) : null}

      <div role="tabpanel" id="panel-events" aria-labelledby="tab-events" hidden={tab !== 'events'}>
        {events.length === 0 ? (
          <FirstEvent base={base} canManage={canManage} hasSource={sources.some((s) => s.active)} />
        ) : (
          <div className="table-wrap">
            <table className="table table--compact" data-testid="events-table">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Type</th>
                  <th scope="col">Event</th>
                  <th scope="col">Canonical event</th>
                  <th scope="col">Category · intent</th>
                  <th scope="col">Person</th>
                  <th scope="col">URL</th>
                </tr>
              </thead>
              <tbody>
                {events.map((e) => (
                  <tr
                    key={e.messageId}
                    className={fresh.has(e.messageId) ? 'row--new' : undefined}
                    data-testid="event-row"
                    data-message-id={e.messageId}
                  >
                    <td className="muted nowrap">
                      <EventTime iso={e.timestamp} />
                    </td>
                    <td>
                      <TypeLabel type={e.type} />
                    </td>
                    <td className="cell-clip" title={e.event ?? undefined} data-testid="event-name">
                      {e.event ?? <span className="muted">—</span>}
                    </td>
                    <td className="cell-clip cell-strong" data-testid="event-canonical">
                      {e.canonicalEvent ?? <span className="muted">—</span>}
                    </td>
                    <td data-testid="event-mapping">
                      <MappingChips category={e.category} intent={e.intent} type={e.type} />
                    </td>
                    <td className="cell-clip cell-person">
                      <PersonCell event={e} base={base} />
                    </td>
                    <td className="cell-clip cell-url muted" title={e.url ?? undefined}>
                      {e.url ? urlPath(e.url) : '—'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>

      <div role="tabpanel" id="panel-rejected" aria-labelledby="tab-rejected" hidden={tab !== 'rejected'}>
        {rejections.length === 0 ? (
          <p className="panel__empty" data-testid="rejections-empty">
            Nothing rejected. Messages Cairn can’t store (bad JSON, missing ids, over Segment’s size limits)
            show up here with the reason.
          </p>
        ) : (
          <div className="table-wrap">
            <table className="table table--compact table--top" data-testid="rejections-table">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Source</th>
                  <th scope="col">Payload</th>
                </tr>
              </thead>
              <tbody>
                {rejections.map((r) => (
                  <tr key={r.id} data-testid="rejection-row">
                    <td className="muted nowrap">
                      <EventTime iso={r.receivedAt} />
                    </td>
                    <td className="cell-wrap">
                      <span className="reason">
                        <Icon name="alert" size={14} />
                        {r.reason}
                      </span>
                    </td>
                    <td className="muted">
                      {r.sourceId ? (sourceNames.get(r.sourceId) ?? shortId(r.sourceId)) : '—'}
                    </td>
                    <td className="cell-payload">
                      <details className="payload">
                        <summary>Show payload</summary>
                        <pre>{prettyPayload(r.payload)}</pre>
                      </details>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>

      {events.length > 0 ? (
        <details className="panel__footer-details">
          <summary>Send a test event</summary>
          <SendEventHelp base={base} canManage={canManage} />
        </details>
      ) : null}
    </section>
  );
}

/** Today's events by time of day; older ones with their date. The exact moment is in the tooltip. */
function EventTime({ iso }: { iso: string }) {
  const today = dayKey(new Date().toISOString()) === dayKey(iso);
  return (
    <time dateTime={iso} title={formatFullDateTime(iso)} suppressHydrationWarning>
      {today ? formatTime(iso) : formatDateTime(iso)}
    </time>
  );
}

function PersonCell({ event, base }: { event: RecentEvent; base: string }) {
  const label = event.userId ?? (event.anonymousId ? `Anonymous · ${shortId(event.anonymousId)}` : null);
  if (!label) return <span className="muted">—</span>;
  if (!event.profileId) return <span>{label}</span>;
  return (
    <Link
      href={`${base}/prospects/${encodeURIComponent(event.profileId)}`}
      title={event.userId ?? event.anonymousId ?? undefined}
      data-testid="event-person"
    >
      {label}
    </Link>
  );
}

function prettyPayload(payload: unknown): string {
  if (payload === null || payload === undefined || payload === '') return '(empty body)';
  if (typeof payload === 'string') {
    try {
      return JSON.stringify(JSON.parse(payload), null, 2);
    } catch {
      return payload;
    }
  }
  try {
    return JSON.stringify(payload, null, 2) ?? String(payload);
  } catch {
    return String(payload);
  }
}

function FirstEvent({
  base,
  canManage,
  hasSource,
}: {
  base: string;
  canManage: boolean;
  hasSource: boolean;
}) {
  return (
    <div className="first-event" data-testid="events-empty">
      <div className="empty__icon">
        <Icon name="activity" size={22} />
      </div>
      <div className="first-event__body">
        <h3 className="empty__title">No events yet</h3>
        <p className="muted">
          Events appear here within seconds of arriving. Point a Segment source at Cairn, or send one
          yourself:
        </p>
        <SendEventHelp base={base} canManage={canManage} hasSource={hasSource} />
      </div>
    </div>
  );
}

function SendEventHelp({
  base,
  canManage,
  hasSource = true,
}: {
  base: string;
  canManage: boolean;
  hasSource?: boolean;
}) {
  const origin = useOrigin();
  const host = origin || 'https://your-cairn-address';
  const curl = [
    `curl -u 'WRITE_KEY:' '${host}/v1/track' \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -d '{"userId": "user-123", "event": "Trial Started", "properties": {"plan": "pro"}}'`,
  ].join('\n');
  return (
    <div className="send-help">
      <ol className="steps">
        <li>
          {hasSource ? 'Take' : 'Create'} a source’s write key on{' '}
          <Link href={`${base}/connections`}>Connections</Link>
          {canManage ? '' : ' (a workspace admin creates sources and sees their keys)'}.
        </li>
        <li>
          Replace <code>WRITE_KEY</code> below and run it. The key is the Basic-auth user name; the password
          stays empty.
        </li>
      </ol>
      <CodeBlock label="curl" code={curl} testId="curl-example" />
    </div>
  );
}
