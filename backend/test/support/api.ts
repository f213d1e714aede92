import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { createApi } from '../../src/api';
import { createLogger } from '../../src/common/logging/logger';
import { loadConfig } from '../../src/config/config';
import { hashPassword } from '../../src/modules/auth/password';
import { UserEntity } from '../../src/modules/auth/user.entity';
import { EventResolver } from '../../src/modules/segment/event-resolver.service';
import type { Role } from '../../src/modules/workspaces/roles';
import { MembershipEntity } from '../../src/modules/workspaces/membership.entity';
import { WorkspaceEntity } from '../../src/modules/workspaces/workspace.entity';
import { createTestDatabase } from './database';

export interface TestApi {
  url: string;
  app: NestExpressApplication;
  ds: DataSource;
  /** Waits until what this API acknowledged has been resolved from the inbox into events and profiles. */
  eventsResolved(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The real API on a fresh database, listening on a free loopback port. Logs go nowhere unless `logger` is
 * given (a test that reads what the API logs).
 */
export async function startTestApi(
  env: Record<string, string> = {},
  opts: { logger?: Logger } = {},
): Promise<TestApi> {
  const db = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    // Nothing listens here: the API's Temporal connection is lazy, and readiness reports it.
    TEMPORAL_ADDRESS: '127.0.0.1:1',
    CAIRN_COOKIE_SECURE: 'false',
    CAIRN_PUBLIC_URL: 'http://localhost:3000',
    CAIRN_LOG_LEVEL: 'silent',
    CAIRN_SECRET_KEY: randomBytes(32).toString('base64'),
    ...env,
  });
  const app = await createApi(config, opts.logger ?? createLogger('silent', 'test'));
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const ds = app.get(DataSource);
  return {
    url: `http://127.0.0.1:${address.port}`,
    app,
    ds,
    eventsResolved: () => app.get(EventResolver).settled(),
    async close() {
      await app.close();
      await db.drop();
    },
  };
}

export const PASSWORD = 'correct horse battery staple';

/** Seeds a workspace with one user per given role; returns ids and emails. */
export async function seedWorkspace(ds: DataSource, name: string, roles: Role[]) {
  const workspace = await ds.getRepository(WorkspaceEntity).save({ name });
  const passwordHash = await hashPassword(PASSWORD);
  const users: Record<string, { id: string; email: string }> = {};
  for (const role of roles) {
    const email = `${role}@${name.toLowerCase().replace(/\W+/g, '-')}.test`;
    const user = await ds.getRepository(UserEntity).save({ email, name: `${role} of ${name}`, passwordHash });
    await ds.getRepository(MembershipEntity).insert({ workspaceId: workspace.id, userId: user.id, role });
    users[role] = { id: user.id, email };
  }
  return { workspaceId: workspace.id, users };
}
