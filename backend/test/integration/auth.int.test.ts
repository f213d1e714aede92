import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../support/http-client';
import { PASSWORD, seedWorkspace, startTestApi, type TestApi } from '../support/api';

let api: TestApi;
let ws: Awaited<ReturnType<typeof seedWorkspace>>;

beforeAll(async () => {
  api = await startTestApi();
  ws = await seedWorkspace(api.ds, 'Acme', ['admin', 'marketer', 'sales']);
});
afterAll(() => api?.close());

describe('sign-in', () => {
  it('sets an http-only session cookie and returns the user with their workspaces', async () => {
    const c = new HttpClient(api.url);
    const res = await c.post('/api/auth/sign-in', {
      email: ws.users['admin']!.email.toUpperCase(),
      password: PASSWORD,
    });
    expect(res.status).toBe(200);
    expect(res.body.user.email).toBe(ws.users['admin']!.email);
    expect(res.body.workspaces).toEqual([{ id: ws.workspaceId, name: 'Acme', role: 'admin' }]);
    const session = res.setCookies.find((s) => s.startsWith('cairn_session='))!;
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
    const me = await c.get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(ws.users['admin']!.id);
  });

  it('marks cookies Secure unless configured otherwise', async () => {
    const secure = await startTestApi({ CAIRN_COOKIE_SECURE: 'true' });
    try {
      const res = await new HttpClient(secure.url).get('/api/auth/csrf');
      expect(res.setCookies[0]).toMatch(/; Secure/i);
    } finally {
      await secure.close();
    }
  });

  it('answers a wrong password and an unknown email alike', async () => {
    const c = new HttpClient(api.url);
    const wrong = await c.post('/api/auth/sign-in', {
      email: ws.users['sales']!.email,
      password: 'nope-nope-nope',
    });
    const unknown = await c.post('/api/auth/sign-in', {
      email: 'ghost@acme.test',
      password: 'nope-nope-nope',
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error).toMatchObject({ code: 'auth.invalid_credentials' });
    expect(unknown.body.error.message).toBe(wrong.body.error.message);
    expect(c.cookie('cairn_session')).toBeUndefined();
  });

  it('refuses state-changing requests without the CSRF header', async () => {
    const c = new HttpClient(api.url);
    c.csrf = false;
    const res = await c.post('/api/auth/sign-in', { email: ws.users['admin']!.email, password: PASSWORD });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('auth.csrf_failed');
    const forged = await c.request(
      'POST',
      '/api/auth/sign-in',
      { email: ws.users['admin']!.email, password: PASSWORD },
      {
        cookie: 'cairn_csrf=abc',
        'x-csrf-token': 'abd',
      },
    );
    expect(forged.status).toBe(403);
  });

  it('rotates the CSRF token at sign-in', async () => {
    const c = new HttpClient(api.url);
    await c.get('/api/auth/csrf');
    const before = c.cookie('cairn_csrf');
    await c.signIn(ws.users['marketer']!.email, PASSWORD);
    expect(c.cookie('cairn_csrf')).toBeDefined();
    expect(c.cookie('cairn_csrf')).not.toBe(before);
  });

  it('sign-out ends the session server-side, not just the cookie', async () => {
    const c = new HttpClient(api.url);
    await c.signIn(ws.users['marketer']!.email, PASSWORD);
    const token = c.cookie('cairn_session')!;
    expect((await c.post('/api/auth/sign-out')).status).toBe(204);
    expect(c.cookie('cairn_session')).toBeUndefined();
    const replay = await new HttpClient(api.url).request('GET', '/api/auth/me', undefined, {
      cookie: `cairn_session=${token}`,
    });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('auth.unauthenticated');
  });

  it('stores only a hash of the session token', async () => {
    const c = new HttpClient(api.url);
    await c.signIn(ws.users['sales']!.email, PASSWORD);
    const token = c.cookie('cairn_session')!;
    const rows: { id: string }[] = await api.ds.query('SELECT id FROM sessions');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.id)).not.toContain(token);
  });

  it('throttles repeated failures for an account, even with the right password, and says when to retry', async () => {
    const seeded = await seedWorkspace(api.ds, 'Throttled', ['sales']);
    const email = seeded.users['sales']!.email;
    const c = new HttpClient(api.url);
    for (let i = 0; i < 5; i++) {
      expect((await c.post('/api/auth/sign-in', { email, password: `wrong-${i}-password` })).status).toBe(
        401,
      );
    }
    const locked = await c.post('/api/auth/sign-in', { email, password: PASSWORD });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('auth.too_many_attempts');
    expect(locked.body.error.details.retryAfterSeconds).toBeGreaterThan(800);
    expect(Number(locked.headers.get('retry-after'))).toBe(locked.body.error.details.retryAfterSeconds);
    // Other accounts are unaffected.
    await c.signIn(ws.users['admin']!.email, PASSWORD);
  });
});

describe('bad input', () => {
  it('rejects malformed JSON with a clear 400', async () => {
    const res = await new HttpClient(api.url).request('POST', '/api/auth/sign-in', '{"email": ', {
      'content-type': 'application/json',
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'validation.failed',
      message: 'Request body is not valid JSON.',
    });
  });

  it('rejects an oversize body with 413', async () => {
    const res = await new HttpClient(api.url).post('/api/auth/sign-in', {
      email: 'a@b.test',
      password: 'x'.repeat(2 * 1024 * 1024),
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('request.too_large');
  });

  it('lists every invalid field', async () => {
    const res = await new HttpClient(api.url).post('/api/auth/sign-in', { email: 'not-an-email', extra: 1 });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation.failed');
    const details = (res.body.error.details as string[]).join(' | ');
    expect(details).toMatch(/email must be an email/);
    expect(details).toMatch(/password/);
    expect(details).toMatch(/property extra should not exist/);
  });

  it('echoes a request id on every response', async () => {
    const res = await new HttpClient(api.url).request('GET', '/api/auth/me', undefined, {
      'x-request-id': 'req-123',
    });
    expect(res.headers.get('x-request-id')).toBe('req-123');
    expect(res.body.error.requestId).toBe('req-123');
  });
});
