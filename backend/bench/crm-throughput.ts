/**
 * CRM throughput against the in-process HubSpot and Salesforce emulators, through the real `@hubspot/api-client`
 * and `jsforce`, at the emulators' real limits (HubSpot: 110 requests per rolling 10 s):
 *   1. a full pull of CONTACTS contacts, DEALS deals and EMAILS emails from each CRM (both side by side);
 *   2. write-back of SCORES changed scores through the durable outbox (HubSpot batches of 100, Salesforce Bulk
 *      API 2.0 jobs).
 * Prints records/s and the share of each rate budget used (requests the emulator counted ÷ requests the budget
 * allows over the elapsed time), and proves 0 lost and 0 duplicated from what the emulators received.
 *
 *   npm run bench:crm     (CONTACTS=100000 DEALS=50000 EMAILS=200000 SCORES=100000 by default;
 *                          smaller numbers for a quick run, e.g. CONTACTS=10000 DEALS=5000 EMAILS=20000 SCORES=10000;
 *                          SEQUENTIAL=1 pulls one CRM after the other instead of side by side)
 */
import { NestFactory } from '@nestjs/core';
import {
  startHubSpotSandbox,
  startSalesforceSandbox,
  type HubSpotSandbox,
  type SalesforceSandbox,
} from '@cairn/sandbox';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { SecretBox } from '../src/common/crypto/secret-box';
import { loadConfig } from '../src/config/config';
import { runMigrations } from '../src/database/data-source';
import { BUDGETS } from '../src/modules/connections/rate-budget';
import { startEmbeddedPostgres } from '../src/runtime/embedded-postgres';
import { freePort } from '../src/runtime/ports';

// Cairn runs from the build (dist/), as the worker does in production: Nest's injection needs the decorator
// metadata tsc emits.
const DIST = join(__dirname, '../dist');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the build is loaded at run time, by path
const load = <T>(path: string): T => require(join(DIST, path)) as T;
const { WorkerModule } = load<typeof import('../src/app.module')>('app.module.js');
const { SECRET_BOX } = load<typeof import('../src/common/crypto/secret-box.provider')>(
  'common/crypto/secret-box.provider.js',
);
const { WriteBackService } = load<typeof import('../src/modules/connections/writeback.service')>(
  'modules/connections/writeback.service.js',
);
const { WritebackDrainService } = load<typeof import('../src/modules/connections/writeback-drain.service')>(
  'modules/connections/writeback-drain.service.js',
);
const { WritebackOutboxService } = load<typeof import('../src/modules/connections/writeback-outbox.service')>(
  'modules/connections/writeback-outbox.service.js',
);
const { CrmSyncService } = load<typeof import('../src/modules/crm-sync/crm-sync.service')>(
  'modules/crm-sync/crm-sync.service.js',
);

const CONTACTS = Number(process.env['CONTACTS'] ?? 100_000);
const DEALS = Number(process.env['DEALS'] ?? 50_000);
const EMAILS = Number(process.env['EMAILS'] ?? 200_000);
const SCORES = Math.min(CONTACTS, Number(process.env['SCORES'] ?? 100_000));
const COMPANIES = Math.max(10, Math.round(CONTACTS / 50));
/** HubSpot's own limit, what the budget share is measured against. */
const HUBSPOT_LIMIT = { requests: 110, perMs: 10_000 };
const SF_DAILY_LIMIT = 1_000_000;

const line = (k: string, v: string) => process.stdout.write(`  ${k.padEnd(40)} ${v}\n`);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'cairn-bench-crm-'));
  await chmod(dir, 0o755);
  const pg = await startEmbeddedPostgres({ dir: join(dir, 'pg'), port: await freePort(), database: 'cairn' });
  const [hubspot, salesforce] = await Promise.all([
    startHubSpotSandbox({ seed: 'bench' }),
    startSalesforceSandbox({ seed: 'bench', dailyApiLimit: SF_DAILY_LIMIT, bulkProcessingDelayMs: 200 }),
  ]);
  try {
    await runMigrations(pg.url);
    let t = performance.now();
    seed(hubspot, salesforce);
    process.stdout.write(
      `CRM: ${fmt(CONTACTS)} contacts, ${fmt(DEALS)} deals, ${fmt(EMAILS)} emails, ${fmt(COMPANIES)} companies per CRM ` +
        `(seeded in ${((performance.now() - t) / 1000).toFixed(1)} s); write-back of ${fmt(SCORES)} scores\n`,
    );
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: pg.url,
      TEMPORAL_ADDRESS: '127.0.0.1:1',
      CAIRN_LOG_LEVEL: 'silent',
      CAIRN_SECRET_KEY: randomBytes(32).toString('base64'),
      HUBSPOT_CLIENT_ID: hubspot.app.clientId,
      HUBSPOT_CLIENT_SECRET: hubspot.app.clientSecret,
      HUBSPOT_API_URL: hubspot.baseUrl,
      HUBSPOT_AUTHORIZE_URL: `${hubspot.baseUrl}/oauth/authorize`,
      SALESFORCE_CLIENT_ID: salesforce.app.clientId,
      SALESFORCE_CLIENT_SECRET: salesforce.app.clientSecret,
      SALESFORCE_LOGIN_URL: salesforce.baseUrl,
    });
    const ctx = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
      logger: false,
      abortOnError: false,
    });
    try {
      const ds = ctx.get<DataSource>(DataSource);
      const box = ctx.get<SecretBox>(SECRET_BOX);
      const [ws] = await ds.query(`INSERT INTO workspaces (name) VALUES ('Bench') RETURNING id`);
      const conns: Record<'hubspot' | 'salesforce', string> = { hubspot: '', salesforce: '' };
      for (const [provider, token, account, instance] of [
        ['hubspot', hubspot.store.createPrivateAppToken(), String(hubspot.store.hubId), null],
        ['salesforce', salesforce.store.createSession(), 'bench-org', salesforce.baseUrl],
      ] as const) {
        const [c] = await ds.query(
          `INSERT INTO crm_connections (workspace_id, provider, status, external_account, instance_url,
                                        access_token_enc, refresh_token_enc)
           VALUES ($1, $2, 'active', $3, $4, $5, $6) RETURNING id`,
          [ws.id, provider, account, instance, box.seal(token), box.seal('bench-no-refresh')],
        );
        conns[provider] = c.id;
        await ctx.get(WriteBackService).ensureFields(ws.id, c.id);
      }
      // The drain runs in this process, as the worker's activity would run it.
      const outbox = ctx.get(WritebackOutboxService);
      outbox.kick = () => undefined;

      // ------------------------------------------------------------------ pull
      const sequential = process.env['SEQUENTIAL'] === '1';
      process.stdout.write(
        `\nPull (full load, ${sequential ? 'one CRM after the other' : 'both CRMs side by side'})\n`,
      );
      hubspot.counters.reset();
      salesforce.counters.reset();
      const sync = ctx.get(CrmSyncService);
      const timed = async (id: string) => {
        const t0 = performance.now();
        const run = await sync.syncNow(ws.id, id, { maxBackoffMs: 10_000, maxRetries: 20 });
        return { run, seconds: (performance.now() - t0) / 1000 };
      };
      // One after the other when SEQUENTIAL=1 (each CRM's own pace, no contention on the shared people).
      const [hs, sf] = sequential
        ? [await timed(conns.hubspot), await timed(conns.salesforce)]
        : await Promise.all([timed(conns.hubspot), timed(conns.salesforce)]);
      const hsTotal = ['companies', 'contacts', 'deals', 'emails'].reduce(
        (n, type) => n + hubspot.store.count(type as never),
        0,
      );
      const sfTypes = ['Account', 'Contact', 'Opportunity', 'OpportunityContactRole', 'EmailMessage'];
      const sfTotal = sfTypes.reduce((n, type) => n + salesforce.store.count(type), 0);
      const hsStored = await storedCount(ds, conns.hubspot);
      const sfStored = await storedCount(ds, conns.salesforce);
      check(hs.run.state === 'completed', `HubSpot pull ${hs.run.state}: ${hs.run.error}`);
      check(sf.run.state === 'completed', `Salesforce pull ${sf.run.state}: ${sf.run.error}`);
      check(
        hsStored.rows === hsTotal && hsStored.distinct === hsTotal,
        `HubSpot: stored ${hsStored.rows} of ${hsTotal}`,
      );
      check(
        sfStored.rows === sfTotal && sfStored.distinct === sfTotal,
        `Salesforce: stored ${sfStored.rows} of ${sfTotal}`,
      );
      check(hs.run.done === hsTotal && sf.run.done === sfTotal, 'a page was applied twice or not at all');
      const hsReq = apiRequests(hubspot);
      const sfReq = apiRequests(salesforce);
      line(
        'HubSpot records pulled',
        `${fmt(hsTotal)} in ${hs.seconds.toFixed(1)} s = ${fmt(hsTotal / hs.seconds)} records/s`,
      );
      line(
        'HubSpot requests / share of its limit',
        `${fmt(hsReq)} = ${pct(hsReq / allowed(HUBSPOT_LIMIT.requests, HUBSPOT_LIMIT.perMs, hs.seconds))} of 110 per 10 s` +
          ` (${pct(hsReq / allowed(BUDGETS.hubspot.limit, BUDGETS.hubspot.windowMs, hs.seconds))} of Cairn's ${BUDGETS.hubspot.limit} per 10 s); 429s: ${hubspot.counters.count(undefined, 429)}`,
      );
      line(
        'Salesforce records pulled',
        `${fmt(sfTotal)} in ${sf.seconds.toFixed(1)} s = ${fmt(sfTotal / sf.seconds)} records/s`,
      );
      line(
        'Salesforce requests / share of budget',
        `${fmt(sfReq)} = ${pct(sfReq / allowed(BUDGETS.salesforce.limit, BUDGETS.salesforce.windowMs, sf.seconds))} of Cairn's 200 per 10 s; ` +
          `daily allowance ${fmt(salesforce.store.apiUsage.used)} of ${fmt(salesforce.store.apiUsage.limit)}`,
      );
      line('lost / duplicated (pull)', '0 / 0 (every record stored once; each page applied once)');

      // ------------------------------------------------------------------ write-back
      process.stdout.write(`\nWrite-back of ${fmt(SCORES)} changed scores through the outbox\n`);
      const people: { id: string }[] = await ds.query(
        `SELECT p.id FROM profiles p
          WHERE p.workspace_id = $1 AND p.merged_into IS NULL
            AND EXISTS (SELECT 1 FROM identities i WHERE i.profile_id = p.id AND i.kind = 'hubspot')
            AND EXISTS (SELECT 1 FROM identities i WHERE i.profile_id = p.id AND i.kind = 'salesforce')
          ORDER BY p.id LIMIT $2`,
        [ws.id, SCORES],
      );
      check(people.length === SCORES, `only ${people.length} people are in both CRMs`);
      const scoredAt = new Date();
      const riskOf = (i: number) => (i * 37) % 101;
      t = performance.now();
      const queued = await outbox.enqueue(
        ws.id,
        people.map((p, i) => ({
          profileId: p.id,
          values: {
            stage: ['Aware', 'Evaluation', 'Decision'][i % 3]!,
            risk: riskOf(i),
            reasons: ['Bench'],
            scoredAt,
          },
        })),
      );
      const enqueueSeconds = (performance.now() - t) / 1000;
      hubspot.counters.reset();
      salesforce.counters.reset();
      const sfUsageBefore = salesforce.store.apiUsage.used;
      t = performance.now();
      const drained = await ctx.get(WritebackDrainService).drainNow(ws.id, { timeoutMs: 3_600_000 });
      const drainSeconds = (performance.now() - t) / 1000;
      // HubSpot's part is over at its last request (Salesforce's bulk jobs may still be processing).
      const hsCalls = hubspot.counters.requests();
      const hsSeconds = hsCalls.length
        ? (hsCalls[hsCalls.length - 1]!.at.getTime() - (Date.now() - drainSeconds * 1000)) / 1000
        : drainSeconds;
      const hsWrites = hubspot.counters.writeTotals('contacts');
      const sfWrites = salesforce.counters.writeTotals('Contact');
      const [left] = await ds.query(
        `SELECT count(*) FILTER (WHERE state <> 'sent')::int AS unsent, count(*)::int AS n FROM crm_writeback_outbox
          WHERE workspace_id = $1`,
        [ws.id],
      );
      const mismatched = await verifyValues(ds, ws.id, hubspot, salesforce, people, riskOf);
      check(queued === 2 * SCORES && left.n === 2 * SCORES, `queued ${queued}, outbox has ${left.n} rows`);
      check(left.unsent === 0 && drained.due === 0, `${left.unsent} rows not sent`);
      check(hsWrites.records === SCORES && sfWrites.records === SCORES, 'a record was not written');
      check(mismatched === 0, `${mismatched} CRM records do not hold the values sent`);
      const hsReqW = apiRequests(hubspot);
      const sfReqW = apiRequests(salesforce);
      line(
        'enqueue (coalesced, changed-only)',
        `${fmt(queued)} outbox rows in ${enqueueSeconds.toFixed(1)} s`,
      );
      line(
        'records written (both CRMs)',
        `${fmt(drained.sent)} in ${drainSeconds.toFixed(1)} s = ${fmt(drained.sent / drainSeconds)} records/s`,
      );
      line(
        'HubSpot requests / share of its limit',
        `${fmt(hsReqW)} batch calls in ${hsSeconds.toFixed(1)} s = ${pct(hsReqW / allowed(HUBSPOT_LIMIT.requests, HUBSPOT_LIMIT.perMs, hsSeconds))} of 110 per 10 s; 429s: ${hubspot.counters.count(undefined, 429)}`,
      );
      line(
        'Salesforce requests (Bulk API 2.0)',
        `${fmt(sfReqW)} (${salesforce.counters.count('POST /services/data/:version/jobs/ingest')} ingest jobs); ` +
          `daily allowance used by write-back: ${fmt(salesforce.store.apiUsage.used - sfUsageBefore)}`,
      );
      line(
        'lost / duplicated (write-back)',
        `${SCORES - hsWrites.records + SCORES - sfWrites.records} / ${hsWrites.duplicates + sfWrites.duplicates}` +
          ' (emulators counted each record written once; every value checked)',
      );
    } finally {
      await ctx.close();
    }
  } finally {
    await Promise.all([hubspot.close(), salesforce.close()]);
    await pg.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The same people in both CRMs (matched by email), with their companies, deals and email history. */
function seed(hubspot: HubSpotSandbox, salesforce: SalesforceSandbox): void {
  const hs = hubspot.store;
  const sf = salesforce.store;
  const companies: string[] = [];
  const accounts: string[] = [];
  for (let i = 0; i < COMPANIES; i++) {
    const domain = `company${i}.example`;
    companies.push(hs.create('companies', { name: `Company ${i}`, domain }).id);
    accounts.push(sf.insert('Account', { Name: `Company ${i}`, Website: `https://www.${domain}` }).id);
  }
  const contacts: string[] = [];
  const sfContacts: string[] = [];
  for (let i = 0; i < CONTACTS; i++) {
    const email = `person${i}@company${i % COMPANIES}.example`;
    const c = hs.create('contacts', { email, firstname: `P${i}`, lastname: 'Bench', jobtitle: 'Buyer' });
    hs.associate('contacts', c.id, 'companies', companies[i % COMPANIES]!);
    contacts.push(c.id);
    sfContacts.push(
      sf.insert('Contact', {
        FirstName: `P${i}`,
        LastName: 'Bench',
        Email: email,
        AccountId: accounts[i % COMPANIES]!,
      }).id,
    );
  }
  const deals: string[] = [];
  const opps: string[] = [];
  for (let i = 0; i < DEALS; i++) {
    const d = hs.create('deals', {
      dealname: `Deal ${i}`,
      amount: String(1000 + i),
      pipeline: 'default',
      dealstage: 'appointmentscheduled',
    });
    hs.associate('deals', d.id, 'contacts', contacts[i % CONTACTS]!);
    hs.associate('deals', d.id, 'companies', companies[i % COMPANIES]!);
    deals.push(d.id);
    const o = sf.insert('Opportunity', {
      Name: `Deal ${i}`,
      StageName: 'Prospecting',
      CloseDate: '2027-01-31',
      Amount: 1000 + i,
      AccountId: accounts[i % COMPANIES]!,
    });
    sf.insert('OpportunityContactRole', {
      OpportunityId: o.id,
      ContactId: sfContacts[i % CONTACTS]!,
      IsPrimary: true,
    });
    opps.push(o.id);
  }
  for (let i = 0; i < EMAILS; i++) {
    const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
    const e = hs.create('emails', {
      hs_timestamp: at,
      hs_email_subject: `Email ${i}`,
      hs_email_direction: 'EMAIL',
      hs_email_status: 'SENT',
    });
    hs.associate('emails', e.id, 'contacts', contacts[i % CONTACTS]!);
    if (deals.length) hs.associate('emails', e.id, 'deals', deals[i % deals.length]!);
    sf.insert('EmailMessage', {
      Subject: `Email ${i}`,
      FromAddress: 'rep@bench.example',
      ToAddress: `person${i % CONTACTS}@company${(i % CONTACTS) % COMPANIES}.example`,
      MessageDate: at,
      Status: '3',
      Incoming: false,
      RelatedToId: opps.length ? opps[i % opps.length]! : null,
    });
  }
}

async function storedCount(ds: DataSource, connectionId: string) {
  const [r] = await ds.query(
    `SELECT count(*)::int AS rows, count(DISTINCT (object_type, external_id))::int AS distinct
       FROM crm_objects WHERE connection_id = $1 AND NOT archived`,
    [connectionId],
  );
  return r as { rows: number; distinct: number };
}

/** Every CRM record of the scored people holds exactly the risk it was sent. */
async function verifyValues(
  ds: DataSource,
  workspaceId: string,
  hubspot: HubSpotSandbox,
  salesforce: SalesforceSandbox,
  people: { id: string }[],
  riskOf: (i: number) => number,
): Promise<number> {
  const index = new Map(people.map((p, i) => [p.id, i]));
  const ids: { profile_id: string; kind: string; value: string }[] = await ds.query(
    `SELECT profile_id, kind, value FROM identities WHERE workspace_id = $1 AND kind IN ('hubspot', 'salesforce')
        AND profile_id = ANY($2::uuid[])`,
    [workspaceId, people.map((p) => p.id)],
  );
  let bad = 0;
  for (const r of ids) {
    const want = riskOf(index.get(r.profile_id)!);
    const got =
      r.kind === 'hubspot'
        ? hubspot.store.get('contacts', r.value)?.properties['cairn_dropoff_risk']
        : salesforce.store.get('Contact', r.value)?.fields['Cairn_Dropoff_Risk__c'];
    if (Number(got) !== want) bad++;
  }
  return bad;
}

/** API requests the emulator received (OAuth and the consent page are not API requests). */
function apiRequests(s: HubSpotSandbox | SalesforceSandbox): number {
  return s.counters.requests().filter((r) => !r.path.startsWith('/oauth') && !r.path.includes('/oauth2/'))
    .length;
}

function allowed(limit: number, windowMs: number, seconds: number): number {
  return (limit / windowMs) * seconds * 1000;
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new Error(`bench check failed: ${message}`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
