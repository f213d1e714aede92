/**
 * Standalone mode: `npm run sandbox -w @cairn/sandbox` starts both emulators on fixed ports, seeds
 * them and prints what a connector needs to talk to them. This is the only file that reads the
 * environment:
 *
 *   CAIRN_SANDBOX_HOST              interface to bind (default 127.0.0.1)
 *   CAIRN_SANDBOX_HUBSPOT_PORT      default 4010
 *   CAIRN_SANDBOX_SALESFORCE_PORT   default 4020
 *   CAIRN_SANDBOX_SEED              default cairn-demo
 *   CAIRN_SANDBOX_ACCOUNTS          number of companies/accounts (default 40)
 *   CAIRN_SANDBOX_HUBSPOT_CLIENT_ID / _CLIENT_SECRET, CAIRN_SANDBOX_SALESFORCE_CLIENT_ID / _CLIENT_SECRET
 *                                   fix the OAuth credentials (default: derived from the seed)
 *   CAIRN_SANDBOX_SEGMENT_HOST, CAIRN_SANDBOX_SEGMENT_WRITE_KEY
 *                                   when both are set, the matching behavioural events are sent there
 */
import { startHubSpotSandbox } from './hubspot/index';
import { startSalesforceSandbox } from './salesforce/index';
import { generateEvents, generateSeed, seedHubSpot, seedSalesforce, sendEvents } from './seed';

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

async function main(): Promise<void> {
  const env = process.env;
  const host = env.CAIRN_SANDBOX_HOST ?? '127.0.0.1';
  const seed = env.CAIRN_SANDBOX_SEED ?? 'cairn-demo';
  const data = generateSeed({ seed, accounts: intFromEnv('CAIRN_SANDBOX_ACCOUNTS', 40) });

  const hubspot = await startHubSpotSandbox({
    host,
    port: intFromEnv('CAIRN_SANDBOX_HUBSPOT_PORT', 4010),
    seed,
    app: {
      ...(env.CAIRN_SANDBOX_HUBSPOT_CLIENT_ID ? { clientId: env.CAIRN_SANDBOX_HUBSPOT_CLIENT_ID } : {}),
      ...(env.CAIRN_SANDBOX_HUBSPOT_CLIENT_SECRET
        ? { clientSecret: env.CAIRN_SANDBOX_HUBSPOT_CLIENT_SECRET }
        : {}),
    },
  });
  const salesforce = await startSalesforceSandbox({
    host,
    port: intFromEnv('CAIRN_SANDBOX_SALESFORCE_PORT', 4020),
    seed,
    app: {
      ...(env.CAIRN_SANDBOX_SALESFORCE_CLIENT_ID ? { clientId: env.CAIRN_SANDBOX_SALESFORCE_CLIENT_ID } : {}),
      ...(env.CAIRN_SANDBOX_SALESFORCE_CLIENT_SECRET
        ? { clientSecret: env.CAIRN_SANDBOX_SALESFORCE_CLIENT_SECRET }
        : {}),
    },
  });
  seedHubSpot(hubspot.store, data);
  seedSalesforce(salesforce.store, data);
  const hubspotToken = hubspot.store.createPrivateAppToken();
  const salesforceSession = salesforce.store.createSession();

  const lines = [
    'Cairn sandbox is running.',
    '',
    'HubSpot emulator',
    `  base URL (new Client({ basePath }))  ${hubspot.baseUrl}`,
    `  authorize URL                        ${hubspot.baseUrl}/oauth/authorize`,
    `  client id                            ${hubspot.app.clientId}`,
    `  client secret                        ${hubspot.app.clientSecret}`,
    `  private-app token (no OAuth)         ${hubspotToken}`,
    `  seeded: ${hubspot.store.count('companies')} companies, ${hubspot.store.count('contacts')} contacts, ${hubspot.store.count('deals')} deals, ${hubspot.store.count('emails')} emails`,
    '',
    'Salesforce emulator',
    `  login URL and instance URL           ${salesforce.baseUrl}`,
    `  client id (consumer key)             ${salesforce.app.clientId}`,
    `  client secret (consumer secret)      ${salesforce.app.clientSecret}`,
    `  session token (no OAuth)             ${salesforceSession}`,
    `  API version (jsforce default)        50.0`,
    `  seeded: ${salesforce.store.count('Account')} accounts, ${salesforce.store.count('Contact')} contacts, ${salesforce.store.count('Lead')} leads, ${salesforce.store.count('Opportunity')} opportunities, ${salesforce.store.count('EmailMessage')} emails`,
    '',
    'Redirect URIs: any http(s) URL is accepted. PKCE (S256) is required by the Salesforce app.',
  ];
  console.log(lines.join('\n'));

  const segmentHost = env.CAIRN_SANDBOX_SEGMENT_HOST;
  const writeKey = env.CAIRN_SANDBOX_SEGMENT_WRITE_KEY;
  if (segmentHost && writeKey) {
    const events = generateEvents(data);
    const result = await sendEvents(events, { host: segmentHost, writeKey });
    console.log(`\nSent ${result.sent} behavioural events to ${segmentHost} (${result.failed} failed).`);
  } else {
    console.log(
      '\nSet CAIRN_SANDBOX_SEGMENT_HOST and CAIRN_SANDBOX_SEGMENT_WRITE_KEY to also stream behavioural events.',
    );
  }

  const stop = (): void => {
    void Promise.all([hubspot.close(), salesforce.close()]).finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
