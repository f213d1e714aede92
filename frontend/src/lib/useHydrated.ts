'use client';

import { useSyncExternalStore } from 'react';

const subscribe = () => () => {};

/**
 * False during server rendering and hydration, true once React owns the page in the browser.
 * Interactive controls stay disabled until then, so an early click cannot fall back to a native
 * form submission (which would put credentials in a URL) or do nothing at all.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
