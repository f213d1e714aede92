import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error';
import { AuthRepository } from './auth.repository';

export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
/** Per account: slows guessing one password. Per address: slows spraying many accounts. */
const LIMITS = { email: 5, ip: 50 } as const;

/** Sliding-window limits kept in PostgreSQL, so every API replica enforces the same budget. */
@Injectable()
export class SignInThrottle {
  constructor(@Inject(AuthRepository) private readonly repo: AuthRepository) {}

  keys(email: string, ip: string | undefined): string[] {
    const keys = [`email:${email.trim().toLowerCase()}`];
    if (ip) keys.push(`ip:${ip}`);
    return keys;
  }

  async assertAllowed(keys: string[], now = new Date()): Promise<void> {
    const counts = await this.repo.countFailures(keys, new Date(now.getTime() - THROTTLE_WINDOW_MS));
    for (const key of keys) {
      const c = counts.get(key);
      const limit = key.startsWith('email:') ? LIMITS.email : LIMITS.ip;
      if (c && c.count >= limit) {
        const retryAfterSeconds = Math.max(
          1,
          Math.ceil((c.oldest.getTime() + THROTTLE_WINDOW_MS - now.getTime()) / 1000),
        );
        throw new DomainError(
          'auth.too_many_attempts',
          `Too many failed sign-in attempts. Try again in ${Math.ceil(retryAfterSeconds / 60)} minutes.`,
          { retryAfterSeconds },
        );
      }
    }
  }

  recordFailure(keys: string[]): Promise<void> {
    return this.repo.recordFailures(keys, new Date());
  }

  clear(keys: string[]): Promise<void> {
    return this.repo.clearFailures(keys[0]!);
  }
}
