/**
 * The Segment-compatible tracking API (`/v1/batch`, `/v1/track`, `/v1/webhook/<sourceId>`, …) on the
 * web origin, so a Segment source or `@segment/analytics-node` can use this origin as its `host`.
 * The raw body bytes and every header (Basic `authorization` with the write key, `x-signature`)
 * reach the API untouched: limits and webhook signatures apply to exactly what was sent.
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
