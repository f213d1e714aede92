import type { CairnConfig } from '../config/config';
import { DEMO_SEED } from '../modules/demo/demo-history';

export interface CrmSandbox {
  crm: CairnConfig['crm'];
  hubspotUrl: string;
  salesforceUrl: string;
  stop(): Promise<void>;
}

/**
 * Demo mode with no CRM apps configured: the HubSpot and Salesforce emulators run in the supervisor, seeded
 * with a deterministic company, so "Connect HubSpot" works end to end on a fresh clone.
 */
export async function startCrmSandbox(ports: CairnConfig['sandboxPorts']): Promise<CrmSandbox> {
  const { generateSeed, seedHubSpot, seedSalesforce, startHubSpotSandbox, startSalesforceSandbox } =
    await import('@cairn/sandbox');
  // The demo workspace's behaviour history is generated from the same seed: its people are these records.
  const { seed } = DEMO_SEED;
  const [hubspot, salesforce] = await Promise.all([
    startHubSpotSandbox({ host: '127.0.0.1', port: ports.hubspot, seed }),
    startSalesforceSandbox({ host: '127.0.0.1', port: ports.salesforce, seed }),
  ]);
  const data = generateSeed(DEMO_SEED);
  seedHubSpot(hubspot.store, data);
  seedSalesforce(salesforce.store, data);
  return {
    crm: {
      hubspot: {
        clientId: hubspot.app.clientId,
        clientSecret: hubspot.app.clientSecret,
        apiUrl: hubspot.baseUrl,
        authorizeUrl: `${hubspot.baseUrl}/oauth/authorize`,
      },
      salesforce: {
        clientId: salesforce.app.clientId,
        clientSecret: salesforce.app.clientSecret,
        loginUrl: salesforce.baseUrl,
      },
    },
    hubspotUrl: hubspot.baseUrl,
    salesforceUrl: salesforce.baseUrl,
    async stop() {
      await Promise.all([hubspot.close(), salesforce.close()]);
    },
  };
}
