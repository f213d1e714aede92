import { describe, expect, it } from 'vitest';
import { RequestCounters } from '../src/core/counters';
import { parseCsv, toCsv } from '../src/core/csv';
import { Faults } from '../src/core/faults';
import { Rng } from '../src/core/random';
import { isValidId, makeId, to18 } from '../src/salesforce/ids';

describe('Rng', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = new Rng('x');
    const b = new Rng('x');
    const c = new Rng('y');
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(seqA);
    expect(new Rng(1).uuid()).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const ints = Array.from({ length: 1000 }, () => a.int(1, 3));
    expect(new Set(ints)).toEqual(new Set([1, 2, 3]));
  });
});

describe('Faults', () => {
  it('draws 5xx decisions from the seed, runs storms down and resets', () => {
    const hooks = { expireAccessTokens: () => 2, revokeRefreshTokens: () => 1 };
    const draw = (seed: string): Array<number | undefined> => {
      const f = new Faults(new Rng(seed), hooks).setErrorRate(0.5, 503);
      return Array.from({ length: 20 }, () => f.drawServerError());
    };
    expect(draw('s')).toEqual(draw('s'));
    expect(draw('s').filter((x) => x === 503).length).toBeGreaterThan(3);

    const f = new Faults(new Rng(1), hooks).rateLimitStorm(2, { policy: 'SECONDLY' });
    expect([f.takeStorm(), f.takeStorm(), f.takeStorm()]).toEqual(['SECONDLY', 'SECONDLY', undefined]);
    expect(f.current.injectedRateLimits).toBe(2);
    expect(f.expireAccessTokens()).toBe(2);
    f.setLatency(10).onlyFor(/search/);
    expect(f.applies('/crm/v3/objects/contacts/search')).toBe(true);
    expect(f.applies('/crm/v3/objects/contacts')).toBe(false);
    f.reset();
    expect(f.drawLatency()).toBe(0);
    expect(f.applies('/anything')).toBe(true);
  });
});

describe('RequestCounters', () => {
  it('counts by route key and status', () => {
    const c = new RequestCounters();
    const at = new Date();
    c.record({ at, method: 'GET', route: '/a/:id', path: '/a/1', url: '/a/1', status: 200 });
    c.record({ at, method: 'GET', route: '/a/:id', path: '/a/2', url: '/a/2', status: 429 });
    c.record({ at, method: 'POST', route: '/a', path: '/a', url: '/a', status: 201 });
    expect(c.count('GET /a/:id')).toBe(2);
    expect(c.count('GET /a/:id', 429)).toBe(1);
    expect(c.byRoute()).toEqual({ 'GET /a/:id': 2, 'POST /a': 1 });
    expect(c.byStatus()).toEqual({ 200: 1, 429: 1, 201: 1 });
    expect(c.requests({ status: 201 }).map((r) => r.seq)).toEqual([3]);
    c.reset();
    expect(c.total).toBe(0);
  });
});

describe('CSV', () => {
  it('round-trips quotes, commas and newlines', () => {
    const csv = toCsv(
      ['a', 'b'],
      [
        ['x, "y"', 'line1\nline2'],
        ['', 'z'],
      ],
    );
    expect(parseCsv(csv)).toEqual([
      ['a', 'b'],
      ['x, "y"', 'line1\nline2'],
      ['', 'z'],
    ]);
    expect(parseCsv('a;b\r\n1;2\r\n', ';')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });
});

describe('Salesforce ids', () => {
  it('computes the case-safe 18-character suffix', () => {
    expect(to18('001D000000IqhSL')).toBe('001D000000IqhSLIAZ');
    expect(isValidId('001D000000IqhSLIAZ')).toBe(true);
    expect(isValidId('001D000000IqhSLAAA')).toBe(false);
    expect(isValidId('001D000000IqhSL')).toBe(true);
    expect(isValidId('nope')).toBe(false);
    const id = makeId('003', '5g', 123456);
    expect(id).toHaveLength(18);
    expect(id.startsWith('0035g')).toBe(true);
    expect(isValidId(id)).toBe(true);
  });
});

describe('Retry-After and write tallies', () => {
  it('sends Retry-After only when a storm or a 503 asks for it', () => {
    const hooks = { expireAccessTokens: () => 0, revokeRefreshTokens: () => 0 };
    const f = new Faults(new Rng(1), hooks);
    expect(f.retryAfterHeader()).toEqual({});
    f.rateLimitStorm(1, { retryAfterSeconds: 3 });
    expect(f.retryAfterHeader()).toEqual({ 'Retry-After': '3' });
    f.reset().setErrorRate(0.1, 503, { retryAfterSeconds: 1 });
    expect(f.retryAfterHeader()).toEqual({ 'Retry-After': '1' });
  });

  it('counts writes per record and reports duplicates', () => {
    const c = new RequestCounters();
    c.recordWrite('contacts', '1');
    c.recordWrite('contacts', '2');
    c.recordWrite('contacts', '1');
    c.recordWrite('Contact', '003x');
    expect(c.writes('contacts', '1')).toBe(2);
    expect(c.writes('contacts', '3')).toBe(0);
    expect(c.writeTotals('contacts')).toEqual({ records: 2, writes: 3, duplicates: 1 });
    expect(c.writeTotals()).toEqual({ records: 3, writes: 4, duplicates: 1 });
    c.reset();
    expect(c.writeTotals().records).toBe(0);
  });
});
