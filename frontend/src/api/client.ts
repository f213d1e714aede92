import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

export const CSRF_COOKIE = 'cairn_csrf';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Value of a readable cookie in the browser, or undefined (also on the server). */
export function readCookie(name: string): string | undefined {
  if (typeof document === 'undefined') return undefined;
  for (const part of document.cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const raw = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(raw);
      } catch {
        return raw;
      }
    }
  }
  return undefined;
}

let pendingCsrf: Promise<string | undefined> | undefined;

/**
 * The CSRF token to send with unsafe requests: the `cairn_csrf` cookie, fetched from
 * `GET /api/auth/csrf` first when the cookie is absent (for example before the first sign-in).
 */
export async function ensureCsrfToken(): Promise<string | undefined> {
  const existing = readCookie(CSRF_COOKIE);
  if (existing) return existing;
  pendingCsrf ??= (async () => {
    try {
      const res = await fetch('/api/auth/csrf', { credentials: 'same-origin', cache: 'no-store' });
      if (!res.ok) return undefined;
      const body = (await res.json()) as { token?: unknown };
      return readCookie(CSRF_COOKIE) ?? (typeof body.token === 'string' ? body.token : undefined);
    } catch {
      return undefined;
    } finally {
      pendingCsrf = undefined;
    }
  })();
  return pendingCsrf;
}

const csrfMiddleware: Middleware = {
  async onRequest({ request }) {
    if (SAFE_METHODS.has(request.method.toUpperCase())) return undefined;
    const token = await ensureCsrfToken();
    if (token) request.headers.set(CSRF_HEADER, token);
    return request;
  },
};

/**
 * Typed client for the browser. It only ever talks to the web origin (`/api/...`), which the
 * route handler in `app/api/[...path]` forwards to the Cairn API.
 */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin', cache: 'no-store' });
api.use(csrfMiddleware);

/**
 * Typed client for server code that calls the Cairn API directly, forwarding the caller's
 * cookies. Use `serverApi()` from `./server` in server components; this lower-level factory takes
 * the base URL and cookie header explicitly so it carries no Next.js dependency.
 */
export function createServerApiClient(baseUrl: string, cookieHeader: string | undefined) {
  return createClient<paths>({
    baseUrl: baseUrl.replace(/\/+$/, ''),
    headers: cookieHeader ? { cookie: cookieHeader } : {},
    cache: 'no-store',
  });
}

export type ApiClient = ReturnType<typeof createServerApiClient>;
