import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POLICY_KEY, type AccessPolicy } from '../../src/modules/auth/policy';
import { PASSWORD, seedWorkspace, startTestApi, type TestApi } from '../support/api';
import { HttpClient } from '../support/http-client';

interface Route {
  method: string;
  path: string;
  policy: AccessPolicy | undefined;
  handler: string;
}

let api: TestApi;
let routes: Route[];

/** Every route Nest registered, read from the controllers' metadata, with the policy the guard will apply. */
function registeredRoutes(container: ModulesContainer): Route[] {
  const out: Route[] = [];
  for (const mod of container.values()) {
    for (const wrapper of mod.controllers.values()) {
      const cls = wrapper.metatype as (new (...a: never[]) => object) | undefined;
      if (!cls) continue;
      const base = Reflect.getMetadata(PATH_METADATA, cls) as string;
      for (const key of Object.getOwnPropertyNames(cls.prototype)) {
        const fn = (cls.prototype as Record<string, unknown>)[key];
        if (key === 'constructor' || typeof fn !== 'function') continue;
        const path = Reflect.getMetadata(PATH_METADATA, fn) as string | undefined;
        const method = Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod | undefined;
        if (path === undefined || method === undefined) continue;
        const policy = (Reflect.getMetadata(POLICY_KEY, fn) ?? Reflect.getMetadata(POLICY_KEY, cls)) as
          AccessPolicy | undefined;
        const full = `/${[base, path].filter((p) => p && p !== '/').join('/')}`.replace(/\/+/g, '/');
        out.push({ method: RequestMethod[method], path: full, policy, handler: `${cls.name}.${key}` });
      }
    }
  }
  return out;
}

beforeAll(async () => {
  api = await startTestApi();
  routes = registeredRoutes(api.app.get(ModulesContainer));
});
afterAll(() => api?.close());

describe('route policies', () => {
  it('finds the routes', () => {
    expect(routes.length).toBeGreaterThanOrEqual(14);
    expect(routes.map((r) => r.handler)).toContain('WorkspacesController.invite');
  });

  it('every registered route declares an explicit access policy', () => {
    const missing = routes.filter((r) => !r.policy).map((r) => `${r.method} ${r.path} (${r.handler})`);
    expect(missing, `routes without @Policy: ${missing.join(', ')}`).toEqual([]);
  });

  it('no non-public route answers an anonymous caller', async () => {
    const anonymous = new HttpClient(api.url);
    const failures: string[] = [];
    for (const r of routes.filter((r) => r.policy?.kind !== 'public')) {
      const res = await anonymous.request(
        r.method,
        concrete(r, FOREIGN_WORKSPACE),
        r.method === 'GET' ? undefined : {},
      );
      if (res.status !== 401) failures.push(`${r.method} ${r.path} → ${res.status}`);
    }
    expect(failures).toEqual([]);
  });

  it('no workspace route answers a signed-in user of another workspace', async () => {
    const { workspaceId, users } = await seedWorkspace(api.ds, 'Elsewhere', ['admin']);
    const other = await seedWorkspace(api.ds, 'Target', ['admin']);
    const stranger = new HttpClient(api.url);
    await stranger.signIn(users['admin']!.email, PASSWORD);
    const failures: string[] = [];
    for (const r of routes.filter((r) => r.policy?.kind === 'workspace')) {
      const res = await stranger.request(
        r.method,
        concrete(r, other.workspaceId),
        r.method === 'GET' ? undefined : {},
      );
      if (res.status !== 404) failures.push(`${r.method} ${r.path} → ${res.status}`);
    }
    expect(failures).toEqual([]);
    expect(workspaceId).not.toBe(other.workspaceId);
  });
});

const FOREIGN_WORKSPACE = '00000000-0000-4000-8000-000000000001';

function concrete(r: Route, workspaceId: string): string {
  const prefixed = r.path === '/metrics' ? r.path : `/api${r.path}`;
  return prefixed
    .replace(/:workspaceId/g, workspaceId)
    .replace(/:\w+/g, '00000000-0000-4000-8000-000000000002');
}
