import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from './webhook-signing';

describe('webhook signing', () => {
  const body = JSON.stringify({ event: 'journey.step', profileId: 'p1' });

  it('is HMAC-SHA256 of "<timestamp>.<body>" in hex', () => {
    const expected = createHmac('sha256', 'shh').update(`1700000000.${body}`).digest('hex');
    expect(signWebhook('shh', body, 1_700_000_000)).toBe(`v1=${expected}`);
  });

  it('verifies its own signature and refuses a changed body, another secret or an old timestamp', () => {
    const signature = signWebhook('shh', body, 1_700_000_000);
    const headers = { signature, timestamp: '1700000000' };
    expect(verifyWebhook('shh', body, headers, 1_700_000_100)).toBe(true);
    expect(verifyWebhook('shh', `${body} `, headers, 1_700_000_100)).toBe(false);
    expect(verifyWebhook('other', body, headers, 1_700_000_100)).toBe(false);
    expect(verifyWebhook('shh', body, headers, 1_700_001_000)).toBe(false);
  });
});
