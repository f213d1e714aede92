'use client';

import { useSyncExternalStore } from 'react';
import { formatFullDateTime, formatRelative } from '@/lib/format';

// One shared clock for every relative time on the page, ticking every 15 seconds.
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, 15_000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** The current time, refreshed every 15 s while something on the page shows a relative time. */
export function useNow(): number {
  return useSyncExternalStore(
    subscribe,
    () => now,
    () => now,
  );
}

/**
 * "5 min ago", with the exact time as a tooltip (and in `dateTime` for assistive technology).
 * `withAbsolute` also prints the exact time next to it.
 */
export function RelativeTime({
  iso,
  withAbsolute = false,
  className,
}: {
  iso: string;
  withAbsolute?: boolean;
  className?: string;
}) {
  const current = useNow();
  const absolute = formatFullDateTime(iso);
  return (
    <time dateTime={iso} title={absolute} className={className} suppressHydrationWarning>
      {formatRelative(iso, current)}
      {withAbsolute ? (
        <span className="time__absolute" suppressHydrationWarning>
          {' '}
          · {absolute}
        </span>
      ) : null}
    </time>
  );
}
