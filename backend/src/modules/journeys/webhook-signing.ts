import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-cairn-signature';
export const TIMESTAMP_HEADER = 'x-cairn-timestamp';

/**
 * Signs a webhook body the way receivers verify it: HMAC-SHA256 over `<timestamp>.<body>` with the workspace
 * secret, sent as `x-cairn-signature: v1=<hex>` beside `x-cairn-timestamp` (Unix seconds). Binding the time
 * into the signature lets a receiver refuse replays older than a few minutes.
 */
export function signWebhook(secret: string, body: string, timestampSeconds: number): string {
  return `v1=${createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex')}`;
}

/** What a receiver runs: the signature matches and the timestamp is within `toleranceSeconds` of now. */
export function verifyWebhook(
  secret: string,
  body: string,
  headers: { signature: string; timestamp: string },
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const ts = Number(headers.timestamp);
  if (!Number.isInteger(ts) || Math.abs(nowSeconds - ts) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, body, ts));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
