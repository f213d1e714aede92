/**
 * Same-origin proxy: the browser only ever talks to the web origin, and every `/api/*` request is
 * forwarded to the Cairn API (see `src/api/proxy.ts`).
 */
import { proxy } from '@/api/proxy';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const GET = proxy;
export const HEAD = proxy;
export const POST = proxy;
export const PUT = proxy;
export const PATCH = proxy;
export const DELETE = proxy;
export const OPTIONS = proxy;
