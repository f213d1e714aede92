'use client';

import { useSyncExternalStore } from 'react';

const subscribe = () => () => {};

/**
 * This web app's origin as the browser sees it (`https://cairn.example.com`), or '' while
 * rendering on the server. The web origin serves the tracking API too (`/v1/*` is proxied).
 */
export function useOrigin(): string {
  return useSyncExternalStore(
    subscribe,
    () => window.location.origin,
    () => '',
  );
}
