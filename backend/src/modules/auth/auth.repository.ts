import { Inject, Injectable } from '@nestjs/common';
import { DataSource, LessThan, MoreThan, type EntityManager } from 'typeorm';
import { SessionEntity } from './session.entity';
import { SignInFailureEntity } from './sign-in-failure.entity';
import { UserEntity } from './user.entity';
import type { Role } from '../workspaces/roles';

@Injectable()
export class AuthRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  findUserByEmail(email: string, em: EntityManager = this.ds.manager): Promise<UserEntity | null> {
    return em
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .where('lower(u.email) = lower(:email)', { email })
      .getOne();
  }

  findUserById(id: string): Promise<UserEntity | null> {
    return this.ds.getRepository(UserEntity).findOneBy({ id });
  }

  createUser(
    input: { email: string; name: string; passwordHash: string },
    em: EntityManager = this.ds.manager,
  ): Promise<UserEntity> {
    const repo = em.getRepository(UserEntity);
    return repo.save(repo.create(input));
  }

  async roleIn(workspaceId: string, userId: string): Promise<Role | null> {
    const rows: { role: Role }[] = await this.ds.query(
      `SELECT role FROM memberships WHERE workspace_id = $1 AND user_id = $2`,
      [workspaceId, userId],
    );
    return rows[0]?.role ?? null;
  }

  workspacesOf(userId: string): Promise<{ id: string; name: string; role: Role }[]> {
    return this.ds.query(
      `SELECT w.id, w.name, m.role FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
        WHERE m.user_id = $1 ORDER BY w.created_at, w.name`,
      [userId],
    );
  }

  async createSession(session: Omit<SessionEntity, 'createdAt'>): Promise<void> {
    await this.ds.getRepository(SessionEntity).insert(session);
  }

  findLiveSession(id: string, now: Date): Promise<SessionEntity | null> {
    return this.ds.getRepository(SessionEntity).findOneBy({ id, expiresAt: MoreThan(now) });
  }

  async deleteSession(id: string): Promise<void> {
    await this.ds.getRepository(SessionEntity).delete({ id });
  }

  /** Failures for each key since `since`, with the oldest, in one round trip. */
  async countFailures(keys: string[], since: Date): Promise<Map<string, { count: number; oldest: Date }>> {
    const rows: { key: string; count: string; oldest: Date }[] = await this.ds.query(
      `SELECT key, count(*) AS count, min(failed_at) AS oldest
         FROM sign_in_failures WHERE key = ANY($1) AND failed_at > $2 GROUP BY key`,
      [keys, since],
    );
    return new Map(rows.map((r) => [r.key, { count: Number(r.count), oldest: new Date(r.oldest) }]));
  }

  async recordFailures(keys: string[], at: Date): Promise<void> {
    await this.ds.getRepository(SignInFailureEntity).insert(keys.map((key) => ({ key, failedAt: at })));
  }

  async clearFailures(key: string): Promise<void> {
    await this.ds.getRepository(SignInFailureEntity).delete({ key });
  }

  async purgeExpired(now: Date, failuresBefore: Date): Promise<{ sessions: number; signInFailures: number }> {
    const sessions = await this.ds.getRepository(SessionEntity).delete({ expiresAt: LessThan(now) });
    const failures = await this.ds
      .getRepository(SignInFailureEntity)
      .delete({ failedAt: LessThan(failuresBefore) });
    return { sessions: sessions.affected ?? 0, signInFailures: failures.affected ?? 0 };
  }
}
