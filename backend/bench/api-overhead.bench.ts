import { afterAll, beforeAll, bench, describe } from 'vitest';
import { PASSWORD, seedWorkspace, startTestApi, type TestApi } from '../test/support/api';
import { HttpClient } from '../test/support/http-client';

/**
 * What the access layer costs per request: a workspace-scoped endpoint (session lookup, membership and role,
 * then the workspace read) against the same server's liveness probe, which touches nothing. The ratio is the
 * figure to watch; sign-in is shown for scale (Argon2id is slow on purpose).
 */
let api: TestApi;
let client: HttpClient;
let workspacePath: string;
let email: string;

beforeAll(async () => {
  api = await startTestApi();
  const ws = await seedWorkspace(api.ds, 'Bench', ['admin']);
  email = ws.users['admin']!.email;
  client = new HttpClient(api.url);
  await client.signIn(email, PASSWORD);
  workspacePath = `/api/workspaces/${ws.workspaceId}`;
});
afterAll(() => api?.close());

const opts = { time: 2000, warmupTime: 300 };

describe('API request overhead', () => {
  bench(
    'baseline: GET /api/health/live (no auth, no database)',
    async () => {
      await client.get('/api/health/live');
    },
    opts,
  );

  bench(
    'GET /api/workspaces/:id (session + role check + read)',
    async () => {
      const res = await client.get(workspacePath);
      if (res.status !== 200) throw new Error(`unexpected ${res.status}`);
    },
    opts,
  );

  bench(
    'GET /api/workspaces/:id/members (admin policy + join)',
    async () => {
      await client.get(`${workspacePath}/members`);
    },
    opts,
  );
});

describe('sign-in', () => {
  bench(
    'POST /api/auth/sign-in (Argon2id verify + session insert)',
    async () => {
      await new HttpClient(api.url).signIn(email, PASSWORD);
    },
    { time: 2000, iterations: 10 },
  );
});
