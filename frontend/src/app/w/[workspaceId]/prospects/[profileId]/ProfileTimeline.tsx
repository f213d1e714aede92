'use client';

import { useState } from 'react';
import { api } from '@/api/client';
import { describeApiError, settle } from '@/api/errors';
import type { ProfileEvent } from '@/api/types';
import { dayKey, formatDay, plural } from '@/lib/format';
import { useHydrated } from '@/lib/useHydrated';
import { MappingChips, TypeLabel } from '@/components/EventChips';
import { RelativeTime, useNow } from '@/components/RelativeTime';
import { Icon } from '@/components/Icon';

interface Props {
  workspaceId: string;
  profileId: string;
  initialEvents: ProfileEvent[];
  /** The page size the server used for `initialEvents`; a full page means there may be more. */
  pageSize: number;
}

/** Newest first, grouped by day; "Load older" pages back with `before` = the oldest shown timestamp. */
export function ProfileTimeline({ workspaceId, profileId, initialEvents, pageSize }: Props) {
  const [events, setEvents] = useState(initialEvents);
  const [hasMore, setHasMore] = useState(initialEvents.length >= pageSize);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const hydrated = useHydrated();
  const now = useNow();

  async function loadOlder() {
    const oldest = events[events.length - 1];
    if (!oldest) return;
    setBusy(true);
    setError(null);
    const outcome = await settle(
      api.GET('/api/workspaces/{workspaceId}/profiles/{profileId}/events', {
        params: {
          path: { workspaceId, profileId },
          query: { before: oldest.timestamp, limit: pageSize },
        },
      }),
    );
    setBusy(false);
    if (!outcome.ok) {
      setError(describeApiError(outcome.error));
      return;
    }
    const page = outcome.result.data ?? [];
    setEvents((list) => {
      const seen = new Set(list.map((e) => e.messageId));
      return [...list, ...page.filter((e) => !seen.has(e.messageId))];
    });
    setHasMore(page.length >= pageSize);
  }

  const days: { key: string; first: string; items: ProfileEvent[] }[] = [];
  for (const e of events) {
    const key = dayKey(e.timestamp);
    const last = days[days.length - 1];
    if (last && last.key === key) last.items.push(e);
    else days.push({ key, first: e.timestamp, items: [e] });
  }

  return (
    <section className="panel timeline-panel" aria-labelledby="timeline-title" data-testid="profile-timeline">
      <h2 id="timeline-title" className="panel__title">
        Activity <span className="count">{hasMore ? `${events.length}+` : events.length}</span>
      </h2>
      {events.length === 0 ? (
        <p className="muted timeline__empty">No events recorded for this person yet.</p>
      ) : (
        <div className="timeline">
          {days.map((day) => (
            <section key={day.key} className="timeline__day" aria-label={formatDay(day.first, now)}>
              <h3 className="timeline__date" suppressHydrationWarning>
                {formatDay(day.first, now)}
                <span className="muted"> · {plural(day.items.length, 'event')}</span>
              </h3>
              <ol className="timeline__list">
                {day.items.map((e) => (
                  <TimelineItem key={e.messageId} event={e} />
                ))}
              </ol>
            </section>
          ))}
        </div>
      )}
      {error ? (
        <div className="alert alert--error" role="alert">
          <Icon name="alert" size={18} />
          <p>{error}</p>
        </div>
      ) : null}
      {hasMore ? (
        <div className="timeline__more">
          <button
            type="button"
            className="btn btn--secondary"
            disabled={!hydrated || busy}
            onClick={() => void loadOlder()}
            data-testid="timeline-load-older"
          >
            {busy ? 'Loading…' : 'Load older'}
          </button>
        </div>
      ) : events.length > 0 ? (
        <p className="timeline__end muted small">That’s everything since this person was first seen.</p>
      ) : null}
    </section>
  );
}

const TYPE_TITLES: Record<string, string> = {
  page: 'Page Viewed',
  screen: 'Screen Viewed',
  identify: 'Identified',
  group: 'Joined Group',
  alias: 'Alias Added',
};

function TimelineItem({ event: e }: { event: ProfileEvent }) {
  const title = e.canonicalEvent ?? e.event ?? TYPE_TITLES[e.type] ?? e.type;
  const properties = Object.entries(e.properties ?? {});
  return (
    <li
      className={`timeline__item timeline__item--${e.intent ?? 'none'}`}
      data-testid="timeline-event"
      data-type={e.type}
    >
      <span className="timeline__dot" aria-hidden="true" />
      <div className="timeline__body">
        <div className="timeline__head">
          <span className="timeline__title" data-testid="timeline-event-name">
            {title}
          </span>
          <TypeLabel type={e.type} />
          <MappingChips category={e.category} intent={e.intent} type={e.type} />
        </div>
        {e.event && e.event !== title ? <p className="timeline__raw">Sent as “{e.event}”</p> : null}
        {e.url ? (
          <p className="timeline__url" title={e.url}>
            {e.url}
          </p>
        ) : null}
        <p className="timeline__time">
          <RelativeTime iso={e.timestamp} withAbsolute />
        </p>
        {properties.length > 0 ? (
          <details className="payload">
            <summary>Properties ({properties.length})</summary>
            <pre>{JSON.stringify(e.properties, null, 2)}</pre>
          </details>
        ) : null}
      </div>
    </li>
  );
}
