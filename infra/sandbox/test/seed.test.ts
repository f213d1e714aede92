import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { Client } from '@hubspot/api-client';
import { Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubSpotSandbox } from '../src/hubspot/index';
import { startSalesforceSandbox } from '../src/salesforce/index';
import {
  type SeedData,
  generateEvents,
  generateSeed,
  seedHubSpot,
  seedSalesforce,
  sendEvents,
} from '../src/seed';

const NOW = Date.parse('2025-06-01T00:00:00Z');
const small = { seed: 'test', now: NOW, accounts: 12, leads: 8 } as const;
let data: SeedData;

beforeAll(() => {
  data = generateSeed(small);
});

describe('generateSeed', () => {
  it('is deterministic for a seed and a "now", and differs across seeds', () => {
    expect(generateSeed(small)).toEqual(data);
    expect(generateSeed({ ...small, seed: 'other' }).people.map((p) => p.email)).not.toEqual(
      data.people.map((p) => p.email),
    );
  });

  it('gives people emails at their account domains, unique emails and plausible deals', () => {
    const domains = new Map(data.accounts.map((a) => [a.key, a.domain]));
    for (const p of data.people) {
      if (p.accountKey) expect(p.email.endsWith(`@${domains.get(p.accountKey)}`)).toBe(true);
      expect(p.createdAt).toBeLessThanOrEqual(NOW);
    }
    expect(new Set(data.people.map((p) => p.email)).size).toBe(data.people.length);
    expect(new Set(data.accounts.map((a) => a.domain)).size).toBe(data.accounts.length);
    expect(data.people.filter((p) => !p.accountKey)).toHaveLength(8);
    expect(data.deals.length).toBeGreaterThan(0);
    for (const d of data.deals) {
      const times = d.history.map((h) => h.at);
      expect([...times].sort((a, b) => a - b)).toEqual(times);
      expect(d.amount).toBeGreaterThan(0);
      expect(d.contactKeys.length).toBeGreaterThan(0);
    }
    expect(data.emails.every((e) => e.sentAt < NOW && (e.openedAt === undefined || e.openedAt < NOW))).toBe(
      true,
    );
  });
});

describe('seeding the emulators', () => {
  it('loads the same people into HubSpot and Salesforce, readable by the real clients', async () => {
    const hs = await startHubSpotSandbox({ seed: 'seed-test' });
    const sf = await startSalesforceSandbox({ seed: 'seed-test' });
    try {
      const hsIds = seedHubSpot(hs.store, data);
      seedSalesforce(sf.store, data);
      const withAccount = data.people.filter((p) => p.accountKey).length;
      expect(hs.store.count('contacts')).toBe(data.people.length);
      expect(hs.store.count('companies')).toBe(data.accounts.length);
      expect(hs.store.count('deals')).toBe(data.deals.length);
      expect(hs.store.count('emails')).toBe(data.emails.length);
      expect(sf.store.count('Contact')).toBe(withAccount);
      expect(sf.store.count('Lead')).toBe(data.people.length - withAccount);
      expect(sf.store.count('Opportunity')).toBe(data.deals.length);
      expect(sf.store.count('EmailMessage')).toBe(data.emails.length);
      expect(sf.store.count('Task')).toBe(data.emails.length);
      // history stays in the past: nothing looks modified "now" (matters for incremental-sync tests)
      expect(
        hs.store.list('contacts').every((c) => Date.parse(c.properties.lastmodifieddate ?? '') <= NOW),
      ).toBe(true);
      expect(hs.store.list('deals').every((d) => d.updatedAt.getTime() <= NOW)).toBe(true);
      expect(
        sf.store
          .all('Contact')
          .every((c) => Date.parse(String(c.fields.SystemModstamp).replace('+0000', 'Z')) <= NOW),
      ).toBe(true);

      // a won deal in HubSpot is closed-won with history; in Salesforce IsWon
      const won = data.deals.find((d) => d.history[d.history.length - 1]?.stage === 'won');
      if (won) {
        const deal = hs.store.get('deals', hsIds.ids.get(won.key) as string);
        expect(deal?.properties.hs_is_closed_won).toBe('true');
        expect(deal?.history.dealstage?.length).toBe(won.history.length);
      }

      const hsClient = new Client({ basePath: hs.baseUrl, accessToken: hs.store.createPrivateAppToken() });
      const emails = await hsClient.crm.objects.emails.basicApi.getPage(
        5,
        undefined,
        ['hs_email_subject'],
        undefined,
        ['contacts'],
      );
      expect(emails.results[0]?.associations?.contacts?.results.length).toBeGreaterThan(0);

      const conn = new Connection({ instanceUrl: sf.baseUrl, accessToken: sf.store.createSession() });
      const opps = await conn.query<{ StageName: string; Account: { Name: string } }>(
        'SELECT StageName, Account.Name FROM Opportunity WHERE IsClosed = true ORDER BY CloseDate',
      );
      expect(
        opps.records.every((o) => ['Closed Won', 'Closed Lost'].includes(o.StageName) && o.Account.Name),
      ).toBe(true);
      const tasks = await conn.query(
        "SELECT COUNT() FROM Task WHERE TaskSubtype = 'Email' AND Who.Name != null",
      );
      expect(tasks.totalSize).toBe(data.emails.length);
    } finally {
      await Promise.all([hs.close(), sf.close()]);
    }
  });
});

describe('behavioural events', () => {
  it('match the seed: anonymous browsing, identify, persona depth, email engagement; sorted and deterministic', () => {
    const events = generateEvents(data);
    expect(generateEvents(data)).toEqual(events);
    const times = events.map((e) => e.timestamp.getTime());
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(times.every((t) => t <= NOW)).toBe(true);
    expect(new Set(events.map((e) => e.messageId)).size).toBe(events.length);

    const paths = new Set(events.filter((e) => e.type === 'page').map((e) => e.properties?.path));
    for (const p of ['/pricing', '/docs/getting-started', '/case-studies']) expect(paths).toContain(p);

    const byPerson = new Map(data.people.map((p) => [p.key, p]));
    for (const e of events) {
      const person = byPerson.get(e.personKey);
      expect(person).toBeDefined();
      if (e.userId) expect(e.userId).toBe(person?.userId);
      expect(e.anonymousId).toBe(person?.anonymousId);
    }
    // a person's first identified event comes after their first identify
    for (const p of data.people) {
      const mine = events.filter((e) => e.personKey === p.key);
      const firstIdentify = mine.findIndex((e) => e.type === 'identify');
      if (firstIdentify < 0) continue;
      expect(mine.slice(0, firstIdentify).every((e) => e.userId === undefined || e.type === 'track')).toBe(
        true,
      );
      expect(mine[firstIdentify]?.traits?.email).toBe(p.email);
    }
    const signups = events
      .filter((e) => e.event === 'Signed Up')
      .map((e) => byPerson.get(e.personKey)?.persona);
    expect(signups.length).toBeGreaterThan(0);
    expect(signups.every((p) => p === 'trialing' || p === 'customer' || p === 'churn-risk')).toBe(true);
    expect(events.filter((e) => e.event === 'Trial Started')).toHaveLength(signups.length);
    const opened = data.emails.filter((e) => e.openedAt !== undefined).length;
    expect(events.filter((e) => e.event === 'Email Opened')).toHaveLength(opened);
    expect(events.filter((e) => e.event === 'Email Link Clicked')).toHaveLength(
      data.emails.filter((e) => e.clickedAt !== undefined).length,
    );
  });
});

describe('sendEvents', () => {
  let server: Server;
  let host: string;
  const batches: Array<{ auth: string | undefined; body: { batch: Array<Record<string, unknown>> } }> = [];

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.method === 'POST' && req.url === '/v1/batch') {
          batches.push({
            auth: req.headers.authorization,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
          });
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"success":true}');
        } else {
          res.writeHead(404).end();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('sends every event through @segment/analytics-node to /v1/batch with the write key', async () => {
    const events = generateEvents(generateSeed({ ...small, accounts: 4, leads: 2 }));
    const result = await sendEvents(events, { host, writeKey: 'wk_test', flushAt: 50 });
    expect(result).toEqual({ sent: events.length, failed: 0 });
    expect(batches.length).toBeGreaterThanOrEqual(Math.ceil(events.length / 50));
    expect(batches.every((b) => b.auth === `Basic ${Buffer.from('wk_test:').toString('base64')}`)).toBe(true);
    const received = batches.flatMap((b) => b.body.batch);
    expect(received.map((m) => m.messageId).sort()).toEqual(events.map((e) => e.messageId).sort());
    const sample = events.find((e) => e.type === 'page');
    const wire = received.find((m) => m.messageId === sample?.messageId);
    expect(wire).toMatchObject({
      type: 'page',
      anonymousId: sample?.anonymousId,
      properties: { path: sample?.properties?.path },
    });
    expect(new Date(String(wire?.timestamp)).getTime()).toBe(sample?.timestamp.getTime());
    expect(received.filter((m) => m.type === 'track').map((m) => m.event)).toContain('Email Opened');
  });
});
