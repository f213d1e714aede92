import { describe, expect, it } from 'vitest';
import { contentKey } from './crm-fields';
import { hubspotFailure, retryAfterMs, salesforceFailure, toCsv, WriteSessionExpired } from './crm-writes';

describe('Bulk API 2.0 CSV', () => {
  it('quotes what needs quoting and clears nulls with #N/A', () => {
    expect(
      toCsv([
        { Id: '003A', Stage__c: 'Evaluation', Risk__c: 42, Reasons__c: 'Pricing, twice\nSaid "later"' },
        { Id: '003B', Stage__c: null, Risk__c: null, Reasons__c: null },
      ]),
    ).toBe(
      'Id,Stage__c,Risk__c,Reasons__c\n003A,Evaluation,42,"Pricing, twice\nSaid ""later"""\n003B,#N/A,#N/A,#N/A\n',
    );
  });
});

describe('failure classification', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('3')).toBe(3_000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(retryAfterMs(undefined)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
  });

  it('tells HubSpot rate limits, passing failures, refusals and lapsed tokens apart', () => {
    const limited = { code: 429, body: { message: 'slow', policyName: 'TEN_SECONDLY_ROLLING' }, headers: {} };
    expect(hubspotFailure(limited)).toMatchObject({ retryAfterMs: 10_000 });
    expect(hubspotFailure({ ...limited, headers: { 'retry-after': '2' } })).toMatchObject({
      retryAfterMs: 2_000,
    });
    expect(hubspotFailure({ code: 502, body: {} })).toMatchObject({ retryable: true });
    expect(hubspotFailure({ code: 503, body: {}, headers: { 'retry-after': '7' } })).toMatchObject({
      retryAfterMs: 7_000,
    });
    expect(hubspotFailure({ code: 400, body: { message: 'bad property' } })).toEqual({
      reason: 'HubSpot: bad property',
    });
    expect(() => hubspotFailure({ code: 401, body: {} })).toThrow(WriteSessionExpired);
  });

  it('tells Salesforce limits, passing failures, refusals and lapsed sessions apart', () => {
    expect(
      salesforceFailure({ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' }),
    ).toMatchObject({ retryAfterMs: 3_600_000 });
    expect(salesforceFailure({ errorCode: 'SERVER_UNAVAILABLE', message: 'try later' })).toMatchObject({
      retryable: true,
    });
    expect(
      salesforceFailure({ errorCode: 'INVALID_FIELD', message: 'No such column' }).retryable,
    ).toBeUndefined();
    expect(() => salesforceFailure({ errorCode: 'INVALID_SESSION_ID', message: 'expired' })).toThrow(
      WriteSessionExpired,
    );
  });
});

describe('changed-only content', () => {
  it('ignores the scoring time and rounding below what is written', () => {
    const a = { stage: 'Aware', risk: 20.2, reasons: ['x'], scoredAt: new Date(1) };
    const b = { stage: 'Aware', risk: 19.8, reasons: ['x'], scoredAt: new Date(2) };
    expect(contentKey(a)).toBe(contentKey(b));
    expect(contentKey({ ...a, reasons: ['y'] })).not.toBe(contentKey(a));
    expect(contentKey(null)).toBe('clear');
  });
});
