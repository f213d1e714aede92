import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error';
import { AuthRepository } from '../auth/auth.repository';
import { hashPassword, verifyPassword } from '../auth/password';
import { tokenHash } from '../auth/tokens';
import type { InviteEntity } from './invite.entity';
import { WorkspacesRepository } from './workspaces.repository';

@Injectable()
export class InvitesService {
  constructor(
    @Inject(WorkspacesRepository) private readonly repo: WorkspacesRepository,
    @Inject(AuthRepository) private readonly users: AuthRepository,
  ) {}

  async preview(token: string) {
    const invite = assertUsable(await this.repo.findOpenInviteByTokenHash(tokenHash(token)));
    const workspace = await this.repo.findWorkspace(invite.workspaceId);
    if (!workspace) throw notFound();
    return {
      workspaceId: workspace.id,
      workspaceName: workspace.name,
      email: invite.email,
      role: invite.role,
      accountExists: (await this.users.findUserByEmail(invite.email)) !== null,
    };
  }

  /**
   * Joins the invited email to the workspace: a new account is created with the given password; an existing
   * account must prove its password. The invite is locked and spent in the same transaction.
   */
  async accept(token: string, name: string | undefined, password: string): Promise<{ userId: string }> {
    const passwordHash = await hashPassword(password);
    return this.repo.transaction(async (em) => {
      const invite = assertUsable(await this.repo.findOpenInviteByTokenHash(tokenHash(token), em));
      let user = await this.users.findUserByEmail(invite.email, em);
      if (user) {
        if (!(await verifyPassword(user.passwordHash, password))) {
          throw new DomainError('auth.invalid_credentials', 'That is not the password of this account.');
        }
      } else {
        const displayName = name?.trim() || invite.email.split('@')[0]!;
        user = await this.users.createUser({ email: invite.email, name: displayName, passwordHash }, em);
      }
      if (!(await this.repo.findMembership(invite.workspaceId, user.id, em))) {
        await this.repo.addMember(invite.workspaceId, user.id, invite.role, em);
      }
      await this.repo.markInviteAccepted(invite.id, new Date(), em);
      return { userId: user.id };
    });
  }
}

function assertUsable(invite: InviteEntity | null): InviteEntity {
  if (!invite) throw notFound();
  if (invite.expiresAt.getTime() <= Date.now()) {
    throw new DomainError('invites.expired', 'This invite has expired. Ask an admin for a new one.');
  }
  return invite;
}

function notFound(): DomainError {
  return new DomainError('invites.not_found', 'This invite link is not valid or was already used.');
}
