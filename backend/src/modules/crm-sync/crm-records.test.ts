import { describe, expect, it } from 'vitest';
import { domainOf, later, normaliseEmail, parseCrmDate } from './crm-records';
import { hubspotCallsPerPage } from './hubspot-puller';
import { soqlDateTime } from './salesforce-puller';

describe('CRM values', () => {
  it('parses Salesforce +0000 offsets, ISO strings and epoch milliseconds', () => {
    expect(parseCrmDate('2025-01-31T10:00:00.000+0000')?.toISOString()).toBe('2025-01-31T10:00:00.000Z');
    expect(parseCrmDate('2025-01-31T12:00:00.000+0200')?.toISOString()).toBe('2025-01-31T10:00:00.000Z');
    expect(parseCrmDate('2025-01-31T10:00:00Z')?.toISOString()).toBe('2025-01-31T10:00:00.000Z');
    expect(parseCrmDate('1738317600000')?.toISOString()).toBe('2025-01-31T10:00:00.000Z');
    expect(parseCrmDate('')).toBeNull();
    expect(parseCrmDate('not a date')).toBeNull();
  });

  it('writes SOQL date-times with Z and whole seconds (SOQL refuses +0000)', () => {
    expect(soqlDateTime(new Date('2025-01-31T10:00:00.789Z'))).toBe('2025-01-31T10:00:00Z');
  });

  it('normalises domains and emails', () => {
    expect(domainOf('https://www.Acme.io/about')).toBe('acme.io');
    expect(domainOf('acme.io')).toBe('acme.io');
    expect(domainOf('')).toBeNull();
    expect(normaliseEmail(' Ann@Acme.IO ')).toBe('ann@acme.io');
    expect(normaliseEmail('nobody')).toBeNull();
  });

  it('keeps the later of two marks', () => {
    const a = new Date('2025-01-01T00:00:00Z');
    const b = new Date('2025-01-02T00:00:00Z');
    expect(later(a, b)).toBe(b);
    expect(later(null, a)).toBe(a);
    expect(later(b, null)).toBe(b);
  });

  it('counts the HubSpot requests a page costs against the connection budget', () => {
    expect(hubspotCallsPerPage('companies')).toBe(1);
    expect(hubspotCallsPerPage('contacts')).toBe(2);
    expect(hubspotCallsPerPage('deals')).toBe(4);
    expect(hubspotCallsPerPage('emails:archived')).toBe(1);
  });
});
