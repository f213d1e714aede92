import { expect } from 'vitest';

/** Sends a batch to a running API's tracking endpoint as a Segment library would, and expects a 200. */
export async function trackBatch(apiUrl: string, writeKey: string, batch: unknown[]) {
  const res = await fetch(`${apiUrl}/v1/batch`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
    },
    body: JSON.stringify({ batch }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { accepted: number; duplicates: number };
}
