import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../database/data-source';
import { hashPassword } from '../auth/password';
import { UserEntity } from '../auth/user.entity';
import type { Role } from '../workspaces/roles';
import { MembershipEntity } from '../workspaces/membership.entity';
import { WorkspaceEntity } from '../workspaces/workspace.entity';

export const DEMO_WORKSPACE = 'Demo workspace';
export const DEMO_USERS: { email: string; name: string; role: Role }[] = [
  { email: 'admin@demo.cairn.local', name: 'Ada Admin', role: 'admin' },
  { email: 'marketer@demo.cairn.local', name: 'Mia Marketer', role: 'marketer' },
  { email: 'sales@demo.cairn.local', name: 'Sam Sales', role: 'sales' },
];

/** Creates the demo workspace and its three users once; later runs leave what exists alone. */
export async function seedDemo(databaseUrl: string, password: string): Promise<{ workspaceId: string }> {
  const ds = await new DataSource(dataSourceOptions(databaseUrl)).initialize();
  try {
    return await ds.transaction(async (em) => {
      // Serialises concurrent seeders (two `npm start`s on one database) without a unique name constraint.
      await em.query(`SELECT pg_advisory_xact_lock(hashtext('cairn.demo-seed'))`);
      const users = em.getRepository(UserEntity);
      const existing = await em.getRepository(WorkspaceEntity).findOneBy({ name: DEMO_WORKSPACE });
      const workspace = existing ?? (await em.getRepository(WorkspaceEntity).save({ name: DEMO_WORKSPACE }));
      if (existing) return { workspaceId: workspace.id };
      const passwordHash = await hashPassword(password);
      for (const u of DEMO_USERS) {
        const user =
          (await users
            .createQueryBuilder('u')
            .where('lower(u.email) = lower(:e)', { e: u.email })
            .getOne()) ?? (await users.save(users.create({ email: u.email, name: u.name, passwordHash })));
        await em
          .getRepository(MembershipEntity)
          .insert({ workspaceId: workspace.id, userId: user.id, role: u.role });
      }
      return { workspaceId: workspace.id };
    });
  } finally {
    await ds.destroy();
  }
}
