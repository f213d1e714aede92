import { Inject, Injectable } from '@nestjs/common';
import type { CairnConfig } from '../../config/config';
import { CONFIG } from '../../config/config.module';
import { AuthRepository } from './auth.repository';
import type { SessionEntity } from './session.entity';
import { newToken, tokenHash } from './tokens';

@Injectable()
export class SessionsService {
  constructor(
    @Inject(AuthRepository) private readonly repo: AuthRepository,
    @Inject(CONFIG) private readonly config: CairnConfig,
  ) {}

  get ttlSeconds(): number {
    return Math.round(this.config.sessionTtlHours * 3600);
  }

  async create(userId: string, meta: { userAgent?: string; ip?: string }): Promise<string> {
    const token = newToken();
    await this.repo.createSession({
      id: tokenHash(token),
      userId,
      expiresAt: new Date(Date.now() + this.ttlSeconds * 1000),
      userAgent: meta.userAgent?.slice(0, 512) ?? null,
      ip: meta.ip ?? null,
    });
    return token;
  }

  resolve(token: string): Promise<SessionEntity | null> {
    return this.repo.findLiveSession(tokenHash(token), new Date());
  }

  revoke(token: string): Promise<void> {
    return this.repo.deleteSession(tokenHash(token));
  }
}
