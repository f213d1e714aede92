import { createHash, randomBytes } from 'node:crypto';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Tokens are stored only as their SHA-256, so a database leak yields no usable session or invite. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
