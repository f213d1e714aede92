import { describe, expect, it } from 'vitest';
import { ConfigError, configToEnv, loadConfig } from './config';

describe('loadConfig', () => {
  it('runs on embedded defaults with nothing set', () => {
    const c = loadConfig({});
    expect(c.api.port).toBe(4000);
    expect(c.web.port).toBe(3000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.temporal.address).toBeUndefined();
    expect(c.web.publicUrl).toBe('http://localhost:3000');
    expect(c.api.url).toBe('http://127.0.0.1:4000');
    expect(c.demo.enabled).toBe(true);
    expect(c.cookieSecure).toBe(true);
    expect(c.dataDir).toMatch(/\/\.cairn$/);
  });

  it('lists every bad key at once, with what it got', () => {
    let error: unknown;
    try {
      loadConfig({
        CAIRN_API_PORT: 'eighty',
        CAIRN_WEB_PORT: '70000',
        DATABASE_URL: 'mysql://x@y/z',
        TEMPORAL_ADDRESS: 'no-port',
        CAIRN_COOKIE_SECURE: 'maybe',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const key of [
      'CAIRN_API_PORT',
      'CAIRN_WEB_PORT',
      'DATABASE_URL',
      'TEMPORAL_ADDRESS',
      'CAIRN_COOKIE_SECURE',
    ]) {
      expect(problems).toContain(key);
    }
    expect(problems).toContain('(got "eighty")');
    expect((error as Error).message).toMatch(/^Invalid configuration:\n {2}- /);
  });

  it('requires external services and a secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /DATABASE_URL: required[\s\S]*TEMPORAL_ADDRESS: required[\s\S]*CAIRN_SECRET_KEY: required/,
    );
  });

  it('accepts a full production configuration', () => {
    const c = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://u:p@db:5432/cairn',
      TEMPORAL_ADDRESS: 'temporal:7233',
      CAIRN_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
      CAIRN_BIND_HOST: '0.0.0.0',
      CAIRN_PUBLIC_URL: 'https://cairn.example.com/',
    });
    expect(c.demo.enabled).toBe(false);
    expect(c.secretKey?.length).toBe(32);
    expect(c.web.publicUrl).toBe('https://cairn.example.com');
    expect(c.api.url).toBe('http://127.0.0.1:4000');
  });

  it('rejects a secret key of the wrong size', () => {
    expect(() => loadConfig({ CAIRN_SECRET_KEY: Buffer.alloc(16).toString('base64') })).toThrow(
      /CAIRN_SECRET_KEY: must be 32 bytes/,
    );
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', CAIRN_API_PORT: '' }).api.port).toBe(4000);
  });

  it('round-trips through the environment handed to child processes', () => {
    const c = loadConfig({
      CAIRN_API_PORT: '4100',
      DATABASE_URL: 'postgres://u:p@127.0.0.1:5/db',
      TEMPORAL_ADDRESS: '127.0.0.1:7300',
      CAIRN_SECRET_KEY: Buffer.alloc(32, 1).toString('base64'),
      CAIRN_COOKIE_SECURE: 'false',
      CAIRN_DEMO: 'true',
    });
    expect(loadConfig(configToEnv(c))).toEqual(c);
  });
});
