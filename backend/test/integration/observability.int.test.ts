import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api';
import { HttpClient } from '../support/http-client';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.close());

describe('health, metrics and docs', () => {
  it('is live without dependencies', async () => {
    const res = await new HttpClient(api.url).get('/api/health/live');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
  });

  it('is not ready while Temporal does not answer, and says which check failed', async () => {
    const res = await new HttpClient(api.url).get('/api/health/ready');
    expect(res.status).toBe(503);
    expect(res.body.ok).toBe(false);
    expect(res.body.checks.postgres.ok).toBe(true);
    expect(res.body.checks.temporal.ok).toBe(false);
    expect(res.body.checks.temporal.error).toBeTruthy();
  });

  it('exports Prometheus metrics with request durations by route template', async () => {
    const c = new HttpClient(api.url);
    await c.get('/api/auth/me');
    await c.get('/api/workspaces/00000000-0000-4000-8000-000000000001');
    const res = await c.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(res.text).toContain('cairn_process_cpu_seconds_total');
    expect(res.text).toMatch(
      /cairn_http_request_duration_seconds_count\{method="GET",route="\/api\/auth\/me",status="401"\} 1/,
    );
    expect(res.text).toContain('route="/api/workspaces/:workspaceId"');
    expect(res.text).not.toContain('00000000-0000-4000-8000-000000000001');
  });

  it('serves the OpenAPI document and its UI', async () => {
    const c = new HttpClient(api.url);
    const spec = await c.get('/api/docs/openapi.json');
    expect(spec.status).toBe(200);
    expect(spec.body.info.title).toBe('Cairn API');
    expect(Object.keys(spec.body.paths)).toContain('/api/auth/sign-in');
    const ui = await c.get('/api/docs');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger');
  });

  it('answers unknown routes in the error shape', async () => {
    const res = await new HttpClient(api.url).get('/api/nope');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('route.not_found');
  });
});
