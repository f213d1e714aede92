/**
 * Same-origin proxy to the Cairn API (`CAIRN_API_URL`, read per request): method, path, query,
 * streamed body (the raw bytes, untouched) and the headers the API needs, including
 * `authorization` and `x-signature` for the tracking API. Status, body and every `set-cookie`
 * come back. Used by the `/api/*` and `/v1/*` route handlers.
 */
import { apiBaseUrl } from './server';

// RFC 9110 §7.6.1 connection-specific headers, plus ones fetch must compute itself.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);
const DROP_FROM_REQUEST = new Set([...HOP_BY_HOP, 'host', 'content-length', 'accept-encoding', 'expect']);
// The upstream body arrives already decoded by fetch, so its encoding and length no longer apply.
const DROP_FROM_RESPONSE = new Set([...HOP_BY_HOP, 'content-encoding', 'content-length', 'set-cookie']);
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

function connectionListed(headers: Headers): Set<string> {
  const listed = new Set<string>();
  for (const token of (headers.get('connection') ?? '').split(',')) {
    const name = token.trim().toLowerCase();
    if (name) listed.add(name);
  }
  return listed;
}

function requestHeaders(request: Request): Headers {
  const listed = connectionListed(request.headers);
  const out = new Headers();
  request.headers.forEach((value, key) => {
    const name = key.toLowerCase();
    if (DROP_FROM_REQUEST.has(name) || listed.has(name) || name.startsWith('x-middleware-')) return;
    out.set(name, value);
  });
  const url = new URL(request.url);
  const host = request.headers.get('host') ?? url.host;
  if (!out.has('x-forwarded-host')) out.set('x-forwarded-host', host);
  if (!out.has('x-forwarded-proto')) out.set('x-forwarded-proto', url.protocol.replace(':', ''));
  return out;
}

function responseHeaders(upstream: Response): Headers {
  const listed = connectionListed(upstream.headers);
  const out = new Headers();
  upstream.headers.forEach((value, key) => {
    const name = key.toLowerCase();
    if (DROP_FROM_RESPONSE.has(name) || listed.has(name)) return;
    out.set(name, value);
  });
  // `forEach` would join several cookies into one comma-separated value; keep each one.
  for (const cookie of upstream.headers.getSetCookie()) out.append('set-cookie', cookie);
  return out;
}

export async function proxy(request: Request): Promise<Response> {
  const incoming = new URL(request.url);
  const target = `${apiBaseUrl()}${incoming.pathname}${incoming.search}`;
  const method = request.method.toUpperCase();
  const hasBody = method !== 'GET' && method !== 'HEAD' && request.body !== null;

  const init: RequestInit & { duplex?: 'half' } = {
    method,
    headers: requestHeaders(request),
    redirect: 'manual',
    cache: 'no-store',
  };
  if (hasBody) {
    init.body = request.body;
    init.duplex = 'half';
  }

  let upstream: Response;
  try {
    upstream = await fetch(target, init);
  } catch (err) {
    console.error(`[proxy] ${method} ${incoming.pathname} failed:`, err);
    return Response.json(
      {
        error: {
          code: 'proxy.upstream_unavailable',
          message: 'The Cairn API is not reachable right now. Try again in a moment.',
        },
      },
      { status: 502, headers: { 'cache-control': 'no-store' } },
    );
  }

  const body = NULL_BODY_STATUS.has(upstream.status) || method === 'HEAD' ? null : upstream.body;
  return new Response(body, {
    status: upstream.status,
    statusText: upstream.statusText,
    headers: responseHeaders(upstream),
  });
}
