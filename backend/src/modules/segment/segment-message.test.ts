import { describe, expect, it } from 'vitest';
import { parseMessage } from './segment-message';

const receivedAt = new Date('2026-11-23T12:00:00.000Z');

describe('parseMessage', () => {
  it('corrects clock skew: timestamp = receivedAt − (sentAt − originalTimestamp)', () => {
    // The sender's clock runs 1 hour fast; the event happened 5 s before it was sent.
    const r = parseMessage(
      { type: 'track', event: 'Signed Up', userId: 'u1', timestamp: '2026-11-23T12:59:55.000Z' },
      { receivedAt, batchSentAt: '2026-11-23T13:00:00.000Z' },
    );
    expect(r.ok && r.message.timestamp.toISOString()).toBe('2026-11-23T11:59:55.000Z');
  });

  it('uses the message timestamp when no sentAt is known, and receivedAt when there is none', () => {
    const a = parseMessage(
      { type: 'track', event: 'X', userId: 'u', timestamp: '2026-01-01T00:00:00Z' },
      { receivedAt },
    );
    expect(a.ok && a.message.timestamp.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    const b = parseMessage({ type: 'track', event: 'X', userId: 'u' }, { receivedAt });
    expect(b.ok && b.message.timestamp).toEqual(receivedAt);
  });

  it.each([
    [{ type: 'track', userId: 'u' }, 'track needs a non-empty event name'],
    [{ type: 'track', event: 'X' }, 'userId or anonymousId is required'],
    [{ type: 'shout', userId: 'u' }, 'type must be one of'],
    [{ type: 'alias', userId: 'u' }, 'alias needs userId and previousId'],
    [{ type: 'group', userId: 'u' }, 'group needs groupId'],
    [{ type: 'track', event: 'X', userId: 'u', properties: [1] }, 'properties must be an object'],
    [{ type: 'track', event: 'X', userId: 'u', timestamp: 'yesterday' }, 'not a valid ISO-8601 date'],
    [{ type: 'track', event: 'X', userId: 'u', timestamp: 1_700_000_000 }, 'not a valid ISO-8601 date'],
    ['just a string', 'message must be a JSON object'],
  ])('rejects %j with a reason', (raw, reason) => {
    const r = parseMessage(raw, { receivedAt });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toContain(reason);
  });

  it('rejects a message over 32 KB and says so', () => {
    const r = parseMessage(
      { type: 'track', event: 'X', userId: 'u', properties: { blob: 'x'.repeat(33_000) } },
      { receivedAt },
    );
    expect(!r.ok && r.reason).toMatch(/limit is 32768 \(32 KB\)/);
    // Inside a batch body the size is measured unless the whole body is within the limit.
    const big = { type: 'track', event: 'X', userId: 'u', properties: { blob: 'x'.repeat(33_000) } };
    expect(parseMessage(big, { receivedAt, bodyBytes: 400_000 }).ok).toBe(false);
    const small = { type: 'track', event: 'X', userId: 'u', properties: { blob: 'x'.repeat(30_000) } };
    expect(parseMessage(small, { receivedAt, bodyBytes: 30_100 }).ok).toBe(true);
  });

  it('extracts email, url, page name and consent', () => {
    const r = parseMessage(
      {
        type: 'page',
        name: 'Pricing',
        anonymousId: 'a1',
        properties: { url: 'https://acme.com/pricing' },
        context: {
          traits: { email: 'Ann@Acme.com' },
          consent: { categoryPreferences: { Analytics: false } },
        },
      },
      { receivedAt },
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.message).toMatchObject({
      event: 'Pricing',
      email: 'ann@acme.com',
      url: 'https://acme.com/pricing',
      consent: 'denied',
    });
  });

  it('gives a message without messageId one of its own', () => {
    const r = parseMessage({ type: 'identify', userId: 'u', traits: { email: 'u@x.io' } }, { receivedAt });
    expect(r.ok && r.message.messageId).toMatch(/^cairn-/);
    expect(r.ok && r.message.email).toBe('u@x.io');
  });
});
