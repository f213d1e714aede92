import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull, LessThan, MoreThan, type EntityManager } from 'typeorm';
import { InviteEntity } from './invite.entity';
import { MembershipEntity } from './membership.entity';
import type { Role } from './roles';
import { WorkspaceEntity } from './workspace.entity';

export interface MemberRow {
  userId: string;
  email: string;
  name: string;
  role: Role;
  joinedAt: Date;
}

/** Every query names its workspace: no method reads across tenants. */
@Injectable()
export class WorkspacesRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(work);
  }

  findMembership(
    workspaceId: string,
    userId: string,
    em: EntityManager = this.ds.manager,
  ): Promise<MembershipEntity | null> {
    return em.getRepository(MembershipEntity).findOneBy({ workspaceId, userId });
  }

  findWorkspace(workspaceId: string): Promise<WorkspaceEntity | null> {
    return this.ds.getRepository(WorkspaceEntity).findOneBy({ id: workspaceId });
  }

  async createWorkspace(name: string, em: EntityManager = this.ds.manager): Promise<WorkspaceEntity> {
    const repo = em.getRepository(WorkspaceEntity);
    return repo.save(repo.create({ name }));
  }

  async listMembers(workspaceId: string): Promise<MemberRow[]> {
    return this.ds.query(
      `SELECT u.id AS "userId", u.email, u.name, m.role, m.created_at AS "joinedAt"
         FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.workspace_id = $1 ORDER BY u.name, u.email`,
      [workspaceId],
    );
  }

  async addMember(
    workspaceId: string,
    userId: string,
    role: Role,
    em: EntityManager = this.ds.manager,
  ): Promise<void> {
    await em.getRepository(MembershipEntity).insert({ workspaceId, userId, role });
  }

  /** Locks the workspace's admin memberships so two concurrent demotions cannot both pass the last-admin check. */
  async lockAdmins(workspaceId: string, em: EntityManager): Promise<string[]> {
    const rows: { user_id: string }[] = await em.query(
      `SELECT user_id FROM memberships WHERE workspace_id = $1 AND role = 'admin' FOR UPDATE`,
      [workspaceId],
    );
    return rows.map((r) => r.user_id);
  }

  async setRole(workspaceId: string, userId: string, role: Role, em: EntityManager): Promise<boolean> {
    const r = await em.getRepository(MembershipEntity).update({ workspaceId, userId }, { role });
    return (r.affected ?? 0) > 0;
  }

  async removeMember(workspaceId: string, userId: string, em: EntityManager): Promise<boolean> {
    const r = await em.getRepository(MembershipEntity).delete({ workspaceId, userId });
    return (r.affected ?? 0) > 0;
  }

  async createInvite(input: Omit<InviteEntity, 'id' | 'createdAt' | 'acceptedAt' | 'revokedAt'>) {
    const repo = this.ds.getRepository(InviteEntity);
    return repo.save(repo.create(input));
  }

  listPendingInvites(workspaceId: string, now: Date): Promise<InviteEntity[]> {
    return this.ds.getRepository(InviteEntity).find({
      where: { workspaceId, acceptedAt: IsNull(), revokedAt: IsNull(), expiresAt: MoreThan(now) },
      order: { createdAt: 'DESC' },
    });
  }

  async revokeInvite(workspaceId: string, inviteId: string, now: Date): Promise<boolean> {
    const r = await this.ds
      .getRepository(InviteEntity)
      .update({ workspaceId, id: inviteId, acceptedAt: IsNull(), revokedAt: IsNull() }, { revokedAt: now });
    return (r.affected ?? 0) > 0;
  }

  /** An invite is looked up by its secret token alone: the token is the capability. */
  findOpenInviteByTokenHash(hash: string, em: EntityManager = this.ds.manager): Promise<InviteEntity | null> {
    return em.getRepository(InviteEntity).findOne({
      where: { tokenHash: hash, acceptedAt: IsNull(), revokedAt: IsNull() },
      lock: em.queryRunner?.isTransactionActive ? { mode: 'pessimistic_write' } : undefined,
    });
  }

  async markInviteAccepted(id: string, now: Date, em: EntityManager): Promise<void> {
    await em.getRepository(InviteEntity).update({ id }, { acceptedAt: now });
  }

  async purgeInvites(before: Date): Promise<number> {
    const r = await this.ds.getRepository(InviteEntity).delete({ expiresAt: LessThan(before) });
    return r.affected ?? 0;
  }
}
