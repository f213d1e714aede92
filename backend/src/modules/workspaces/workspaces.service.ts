import { Inject, Injectable } from '@nestjs/common';
import type { CairnConfig } from '../../config/config';
import { CONFIG } from '../../config/config.module';
import { DomainError } from '../../common/errors/domain-error';
import { AuthRepository } from '../auth/auth.repository';
import { newToken, tokenHash } from '../auth/tokens';
import type { Role } from './roles';
import { WorkspacesRepository } from './workspaces.repository';

export const INVITE_TTL_DAYS = 7;

@Injectable()
export class WorkspacesService {
  constructor(
    @Inject(WorkspacesRepository) private readonly repo: WorkspacesRepository,
    @Inject(AuthRepository) private readonly users: AuthRepository,
    @Inject(CONFIG) private readonly config: CairnConfig,
  ) {}

  async get(workspaceId: string, role: Role) {
    const ws = await this.repo.findWorkspace(workspaceId);
    if (!ws) throw new DomainError('workspaces.not_found', 'Workspace not found.');
    return { id: ws.id, name: ws.name, role };
  }

  listMembers(workspaceId: string) {
    return this.repo.listMembers(workspaceId);
  }

  async changeRole(workspaceId: string, userId: string, role: Role) {
    await this.repo.transaction(async (em) => {
      const admins = await this.repo.lockAdmins(workspaceId, em);
      if (role !== 'admin') assertNotLastAdmin(admins, userId);
      if (!(await this.repo.setRole(workspaceId, userId, role, em))) throw memberNotFound();
    });
    const member = (await this.repo.listMembers(workspaceId)).find((m) => m.userId === userId);
    if (!member) throw memberNotFound();
    return member;
  }

  async removeMember(workspaceId: string, userId: string): Promise<void> {
    await this.repo.transaction(async (em) => {
      assertNotLastAdmin(await this.repo.lockAdmins(workspaceId, em), userId);
      if (!(await this.repo.removeMember(workspaceId, userId, em))) throw memberNotFound();
    });
  }

  async invite(workspaceId: string, invitedBy: string, email: string, role: Role) {
    const existing = await this.users.findUserByEmail(email);
    if (existing && (await this.repo.findMembership(workspaceId, existing.id))) {
      throw new DomainError('workspaces.already_member', `${email} is already a member of this workspace.`);
    }
    const token = newToken();
    const invite = await this.repo.createInvite({
      workspaceId,
      email: email.trim(),
      role,
      tokenHash: tokenHash(token),
      invitedBy,
      expiresAt: new Date(Date.now() + INVITE_TTL_DAYS * 86_400_000),
    });
    return { invite, inviteUrl: `${this.config.web.publicUrl}/invite/${token}` };
  }

  listInvites(workspaceId: string) {
    return this.repo.listPendingInvites(workspaceId, new Date());
  }

  async revokeInvite(workspaceId: string, inviteId: string): Promise<void> {
    if (!(await this.repo.revokeInvite(workspaceId, inviteId, new Date()))) {
      throw new DomainError('invites.not_found', 'Invite not found or no longer pending.');
    }
  }
}

function assertNotLastAdmin(admins: string[], userId: string): void {
  if (admins.length === 1 && admins[0] === userId) {
    throw new DomainError(
      'workspaces.last_admin',
      'A workspace needs at least one admin: make someone else admin first.',
    );
  }
}

function memberNotFound(): DomainError {
  return new DomainError('workspaces.member_not_found', 'That user is not a member of this workspace.');
}
