import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error';
import { AuthRepository } from './auth.repository';
import { verifyAgainstDummy, verifyPassword } from './password';
import { SessionsService } from './sessions.service';
import { SignInThrottle } from './sign-in-throttle';

export interface ClientMeta {
  ip?: string;
  userAgent?: string;
}

@Injectable()
export class AuthService {
  constructor(
    @Inject(AuthRepository) private readonly repo: AuthRepository,
    @Inject(SessionsService) private readonly sessions: SessionsService,
    @Inject(SignInThrottle) private readonly throttle: SignInThrottle,
  ) {}

  /** Returns the new session's token and what the client shows about the user. */
  async signIn(email: string, password: string, meta: ClientMeta) {
    const keys = this.throttle.keys(email, meta.ip);
    await this.throttle.assertAllowed(keys);
    const user = await this.repo.findUserByEmail(email);
    const ok = user ? await verifyPassword(user.passwordHash, password) : await verifyAgainstDummy(password);
    if (!user || !ok) {
      await this.throttle.recordFailure(keys);
      throw new DomainError('auth.invalid_credentials', 'Email or password is wrong.');
    }
    await this.throttle.clear(keys);
    const token = await this.sessions.create(user.id, meta);
    return { token, session: await this.sessionView(user.id) };
  }

  async sessionView(userId: string) {
    const user = await this.repo.findUserById(userId);
    if (!user) throw new DomainError('auth.unauthenticated', 'Sign in to continue.');
    return {
      user: { id: user.id, email: user.email, name: user.name },
      workspaces: await this.repo.workspacesOf(user.id),
    };
  }

  signOut(token: string): Promise<void> {
    return this.sessions.revoke(token);
  }
}
