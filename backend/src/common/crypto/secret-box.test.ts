import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  it('round-trips and never stores the plaintext', () => {
    const box = new SecretBox(randomBytes(32));
    const sealed = box.seal('whsec_very_secret');
    expect(sealed).not.toContain('whsec');
    expect(box.open(sealed)).toBe('whsec_very_secret');
    expect(box.seal('x')).not.toBe(box.seal('x'));
  });

  it('detects tampering', () => {
    const box = new SecretBox(randomBytes(32));
    const parts = box.seal('token').split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => box.open(parts.join('.'))).toThrow();
  });

  it('opens secrets sealed with a previous key after rotation, and refuses unknown keys', () => {
    const oldKey = randomBytes(32);
    const sealed = new SecretBox(oldKey).seal('refresh-token');
    expect(new SecretBox(randomBytes(32), [oldKey]).open(sealed)).toBe('refresh-token');
    expect(() => new SecretBox(randomBytes(32)).open(sealed)).toThrow(/key is unknown/);
  });
});
