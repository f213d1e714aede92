/**
 * CRM connection cards on Connections, through Chromium against the real stack. An admin sees one card per
 * CRM (HubSpot, Salesforce). Without an OAuth app on the server a card says which environment variables to
 * set and its Connect button is disabled; when the stack runs the CRM sandbox emulators instead, the admin
 * connects HubSpot through the sandbox's consent page (denying once, then approving), checks the connection
 * and disconnects it. The OAuth callback's outcomes show as banners: `/?connection_error=…` lands on
 * Connections with the message, `?connected=hubspot` says the first sync starts shortly; both dismiss.
 * A marketer sees the cards read-only, without Connect buttons.
 */
import { describe, expect, it } from 'vitest';
import { type Page } from 'playwright-core';
import { RESULTS_DIR, demo, nav, signIn, text, useBrowser, webUrl, withPage } from './support/browser';

useBrowser();

const PROVIDERS = [
  { id: 'hubspot', name: 'HubSpot', env: 'HUBSPOT' },
  { id: 'salesforce', name: 'Salesforce', env: 'SALESFORCE' },
] as const;

/** Waits until React owns the page, so buttons are enabled when they should be. */
async function hydrated(page: Page): Promise<void> {
  await page.getByTestId('segment-sources').getByRole('button', { name: 'Add source' }).waitFor();
  await page.waitForFunction(
    () =>
      !(
        document.querySelector(
          '[data-testid="source-create-form"] button[type="submit"]',
        ) as HTMLButtonElement | null
      )?.disabled,
  );
}

describe('CRM connections', () => {
  it(
    'an admin sees a card per CRM and connects what the server is set up for',
    { timeout: 240_000 },
    async () => {
      await withPage('crm-admin', async (page) => {
        const workspaceId = await signIn(page, demo.admin, demo.password);
        await nav(page, 'Connections');
        await page.waitForURL(`**/w/${workspaceId}/connections`);
        const section = page.getByTestId('crm-connections');
        await section.waitFor();
        await hydrated(page);
        expect(await section.getByRole('heading', { level: 2, name: 'CRM' }).count()).toBe(1);

        let sandbox = false;
        for (const p of PROVIDERS) {
          const card = page.getByTestId(`crm-card-${p.id}`);
          await card.waitFor();
          expect(await card.getByRole('heading', { level: 3, name: p.name }).count()).toBe(1);
          expect(await text(card)).toMatch(/contacts, companies.*deals.*emails/i);
          expect(await text(card)).toMatch(/Journey stage, drop-off risk and top reasons/);
          const state = await card.getAttribute('data-state');
          const connect = card.getByRole('button', { name: `Connect ${p.name}` });
          if (state === 'not-configured') {
            const explained = await text(card.getByTestId('crm-state-text'));
            expect(explained).toContain(`${p.env}_CLIENT_ID`);
            expect(explained).toContain(`${p.env}_CLIENT_SECRET`);
            expect(await text(card.getByTestId('crm-redirect-url'))).toBe(
              `${webUrl}/api/oauth/${p.id}/callback`,
            );
            expect(await connect.isDisabled()).toBe(true);
          } else {
            // The stack runs the CRM sandbox emulators: connecting is possible.
            expect(state).toBe('not-connected');
            expect(await connect.isEnabled()).toBe(true);
            sandbox = true;
          }
        }
        await section.scrollIntoViewIfNeeded();
        await page.screenshot({ path: `${RESULTS_DIR}crm-cards-admin.png`, fullPage: true });

        // The OAuth callback's failure redirect: `/` forwards the message to Connections.
        await page.goto(`${webUrl}/?connection_error=${encodeURIComponent('Access was not granted.')}`);
        await page.waitForURL(`**/w/${workspaceId}/connections?connection_error=*`);
        const failed = page.getByTestId('connection-error');
        await failed.waitFor();
        expect(await text(failed)).toContain('Access was not granted.');
        await page.screenshot({ path: `${RESULTS_DIR}crm-connection-error.png` });
        await hydrated(page);
        await failed.getByRole('button', { name: 'Dismiss' }).click();
        await failed.waitFor({ state: 'detached' });
        await page.waitForURL(`**/w/${workspaceId}/connections`);

        if (!sandbox) {
          // The success redirect's banner, even without a real round trip.
          await page.goto(`${webUrl}/w/${workspaceId}/connections?connected=hubspot`);
          const done = page.getByTestId('connection-success');
          await done.waitFor();
          expect(await text(done)).toContain('HubSpot is connected — the first sync starts shortly');
          await page.screenshot({ path: `${RESULTS_DIR}crm-connected-banner.png` });
          await hydrated(page);
          await done.getByRole('button', { name: 'Dismiss' }).click();
          await done.waitFor({ state: 'detached' });
          await page.waitForURL(`**/w/${workspaceId}/connections`);
          return;
        }

        // A full round trip through the HubSpot sandbox: deny first…
        const hubspot = page.getByTestId('crm-card-hubspot');
        await hubspot.getByRole('button', { name: 'Connect HubSpot' }).click();
        await page.locator('#deny').waitFor();
        await page.screenshot({ path: `${RESULTS_DIR}crm-consent.png` });
        await page.locator('#deny').click();
        await page.waitForURL(`**/w/${workspaceId}/connections?connection_error=*`);
        expect(await text(page.getByTestId('connection-error'))).toMatch(/not granted/i);
        await hydrated(page);

        // …then approve.
        await hubspot.getByRole('button', { name: 'Connect HubSpot' }).click();
        await page.locator('#approve').click();
        await page.waitForURL(`**/w/${workspaceId}/connections?connected=hubspot`);
        const done = page.getByTestId('connection-success');
        await done.waitFor();
        expect(await text(done)).toContain('HubSpot is connected — the first sync starts shortly');
        await hydrated(page);
        expect(await hubspot.getAttribute('data-state')).toBe('connected');
        expect(await text(hubspot.getByTestId('crm-status'))).toMatch(/^(Active|Syncing)$/);
        expect((await text(hubspot.getByTestId('crm-account'))).length).toBeGreaterThan(0);
        const scopes = hubspot.getByTestId('crm-scopes');
        await scopes.locator('summary').click();
        expect(await scopes.locator('li').count()).toBeGreaterThan(0);
        await hubspot.scrollIntoViewIfNeeded();
        await page.screenshot({ path: `${RESULTS_DIR}crm-connected.png`, fullPage: true });

        // The first sync starts by itself; the card follows it to the end.
        const sync = hubspot.getByTestId('crm-sync');
        await sync.getByTestId('crm-sync-run').first().waitFor({ timeout: 30_000 });
        await hubspot.screenshot({ path: `${RESULTS_DIR}crm-sync-first.png` });
        const settled = async (runs: number) => {
          await page.waitForFunction(
            (n) => {
              const rows = document.querySelectorAll(
                '[data-testid="crm-card-hubspot"] [data-testid="crm-sync-run"]',
              );
              return rows.length >= n && rows[0]?.getAttribute('data-state') !== 'running';
            },
            runs,
            { timeout: 90_000 },
          );
          const latest = sync.getByTestId('crm-sync-run').first();
          expect(await latest.getAttribute('data-state'), await text(latest)).toBe('completed');
        };
        await settled(1);
        await page.waitForFunction(
          () =>
            document.querySelector('[data-testid="crm-card-hubspot"]')?.getAttribute('data-status') ===
            'active',
        );
        expect(await text(hubspot.getByTestId('crm-status'))).toBe('Active');

        // "Sync now" starts another run.
        await sync.getByRole('button', { name: 'Sync now from HubSpot' }).click();
        await settled(2);
        expect(await text(sync.getByTestId('crm-sync-run').first())).toMatch(/Completed/);
        await hubspot.screenshot({ path: `${RESULTS_DIR}crm-synced.png` });

        await hubspot.getByRole('button', { name: 'Check connection to HubSpot' }).click();
        await hubspot.getByTestId('crm-checked').getByText('Checked:').waitFor();
        expect(await text(hubspot.getByTestId('crm-checked'))).toContain('Cairn can reach HubSpot');

        await hubspot.getByRole('button', { name: 'Disconnect HubSpot' }).click();
        const confirm = hubspot.getByRole('group', { name: 'Disconnect HubSpot?' });
        expect(await text(confirm)).toMatch(/revokes its grant at HubSpot/);
        await hubspot.screenshot({ path: `${RESULTS_DIR}crm-disconnect-confirm.png` });
        await confirm.getByRole('button', { name: 'Confirm disconnect' }).click();
        await page.waitForFunction(
          () =>
            document.querySelector('[data-testid="crm-card-hubspot"]')?.getAttribute('data-state') ===
            'not-connected',
        );
        expect(await hubspot.getByRole('button', { name: 'Connect HubSpot' }).isEnabled()).toBe(true);
      });
    },
  );

  it('a marketer sees the CRM cards read-only', { timeout: 60_000 }, async () => {
    await withPage('crm-marketer', async (page) => {
      const workspaceId = await signIn(page, demo.marketer, demo.password);
      await nav(page, 'Connections');
      await page.waitForURL(`**/w/${workspaceId}/connections`);
      await page.getByTestId('connections-read-only').waitFor();
      const section = page.getByTestId('crm-connections');
      await section.waitFor();
      for (const p of PROVIDERS) {
        const card = page.getByTestId(`crm-card-${p.id}`);
        await card.waitFor();
        expect(await card.getByRole('heading', { level: 3, name: p.name }).count()).toBe(1);
        expect(await card.getByRole('button').count()).toBe(0);
      }
      expect(await section.getByRole('button', { name: /Connect/ }).count()).toBe(0);
      expect(await page.getByTestId('crm-redirect-url').count()).toBe(0);
      await section.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${RESULTS_DIR}crm-cards-marketer.png`, fullPage: true });
    });
  });
});
