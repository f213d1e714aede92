import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api';
import { HttpClient } from '../support/http-client';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi({ TEMPORAL_ADDRESS: inject('temporalAddress') });
});
afterAll(() => api?.close());

it('is ready when PostgreSQL and Temporal answer', async () => {
  const res = await new HttpClient(api.url).get('/api/health/ready');
  expect(res.status).toBe(200);
  expect(res.body.ok).toBe(true);
  expect(res.body.checks.temporal.ok).toBe(true);
  expect(res.body.checks.postgres.ok).toBe(true);
});
