import { cache } from 'react';
import { cookies } from 'next/headers';
import { createServerApiClient } from './client';
import { toApiError } from './errors';
import type { Session } from './types';

/** Where the Cairn API listens; read per request so one build runs against any API. */
export function apiBaseUrl(): string {
  const fromEnv = process.env['CAIRN_API_URL'];
  return fromEnv && fromEnv.trim() ? fromEnv.trim().replace(/\/+$/, '') : 'http://127.0.0.1:4000';
}

/** Typed API client for server components and route handlers, forwarding the incoming cookies. */
export async function serverApi() {
  // `toString()` re-serialises the request cookies as a `cookie` header (values URI-encoded).
  const cookieHeader = (await cookies()).toString();
  return createServerApiClient(apiBaseUrl(), cookieHeader || undefined);
}

/** Thrown for API failures a server component cannot turn into a page state. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

/**
 * The signed-in session, or null when the API answers 401. Cached per request so the layout and
 * the page share one `GET /api/auth/me`.
 */
export const getSession = cache(async (): Promise<Session | null> => {
  const client = await serverApi();
  const { data, error, response } = await client.GET('/api/auth/me');
  if (response.status === 401) return null;
  if (!response.ok || !data) {
    const e = toApiError(error, response);
    throw new ApiRequestError(response.status, e.code, e.message);
  }
  return data;
});
