/**
 * Accounts and outbound events end to end, through Chromium against the real stack: an admin creates a
 * Segment source, sends an identify and a `group` call for one person to the web origin's tracking API,
 * finds the company under Prospects › Accounts with that person, and opens their profile from it. Then
 * the admin points Cairn's outbound events at a second source (with the web origin as the host) and a
 * test event is accepted. A marketer doesn't see the outbound card.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type Page } from 'playwright-core';
import {
  RESULTS_DIR,
  demo,
  nav,
  postBatch,
  signIn,
  text,
  useBrowser,
  webUrl,
  withPage,
} from './support/browser';

useBrowser();

const run = randomUUID().slice(0, 8);
const PERSON = {
  anonymousId: `anon-acme-${run}`,
  userId: `user-acme-${run}`,
  email: `ada.${run}@acme.com`,
  name: `Ada Acme ${run}`,
};
const ACCOUNT = { groupId: 'acme', name: 'Acme Inc', website: 'acme.com' };

/** Adds a Segment source on the Connections page and returns the write key it shows once. */
async function addSource(page: Page, name: string): Promise<string> {
  const sources = page.getByTestId('segment-sources');
  await sources.getByLabel('New source name').fill(name);
  await sources.getByRole('button', { name: 'Add source' }).click();
  const keyField = page.getByTestId('source-write-key');
  await keyField.waitFor();
  const key = await keyField.inputValue();
  expect(key.length).toBeGreaterThan(16);
  await page.getByRole('button', { name: 'I’ve copied it' }).click();
  await keyField.waitFor({ state: 'detached' });
  return key;
}

describe('accounts and outbound events', () => {
  it(
    'an admin sees a company from a group call, its person, and sends a test event to Segment',
    { timeout: 120_000 },
    async () => {
      await withPage('accounts-admin', async (page) => {
        const workspaceId = await signIn(page, demo.admin, demo.password);

        // Before any group call, Accounts explains where accounts come from.
        await nav(page, 'Prospects');
        await page.waitForURL(`**/w/${workspaceId}/prospects`);
        await page.getByTestId('prospects-tab-accounts').click();
        await page.waitForURL(`**/w/${workspaceId}/prospects/accounts`);
        expect(await page.getByTestId('prospects-tab-accounts').getAttribute('aria-current')).toBe('page');
        const empty = page.getByTestId('accounts-empty');
        if (await empty.count()) {
          expect(await text(empty)).toMatch(/group.*CRM companies/);
          await page.screenshot({ path: `${RESULTS_DIR}accounts-empty.png`, fullPage: true });
        }

        // A source for the product's events.
        await nav(page, 'Connections');
        await page.waitForURL(`**/w/${workspaceId}/connections`);
        await page.getByTestId('segment-sources').waitFor();
        const productKey = await addSource(page, `E2E product ${run}`);

        const now = Date.now();
        const at = (secondsAgo: number) => new Date(now - secondsAgo * 1000).toISOString();
        const res = await postBatch(productKey, [
          {
            type: 'identify',
            messageId: `e2e-acme-identify-${run}`,
            anonymousId: PERSON.anonymousId,
            userId: PERSON.userId,
            traits: { email: PERSON.email, name: PERSON.name },
            timestamp: at(2),
          },
          {
            type: 'group',
            messageId: `e2e-acme-group-${run}`,
            userId: PERSON.userId,
            groupId: ACCOUNT.groupId,
            traits: { name: ACCOUNT.name, website: ACCOUNT.website },
            timestamp: at(1),
          },
        ]);
        expect(res.status).toBe(200);
        const result = (await res.json()) as { accepted: number; rejected: unknown[] };
        expect(result.rejected).toEqual([]);
        expect(result.accepted).toBe(2);

        // Prospects › Accounts lists the company with its one person.
        await nav(page, 'Prospects');
        await page.waitForURL(`**/w/${workspaceId}/prospects`);
        await page.getByTestId('prospects-tab-accounts').click();
        await page.waitForURL(`**/w/${workspaceId}/prospects/accounts`);
        const row = page.locator(`[data-testid="account-row"][data-name="${ACCOUNT.name}"]`);
        await row.waitFor();
        expect(await text(row.getByTestId('account-people'))).toBe('1');
        expect(await text(row)).toContain(ACCOUNT.website);
        await page.screenshot({ path: `${RESULTS_DIR}accounts.png`, fullPage: true });

        // The account page lists its person, linking to their profile.
        await row.getByRole('link', { name: ACCOUNT.name }).click();
        await page.waitForURL(new RegExp(`/w/${workspaceId}/prospects/accounts/[0-9a-f-]{36}$`));
        const accountUrl = page.url();
        await page.getByRole('heading', { level: 1, name: ACCOUNT.name }).waitFor();
        expect(await text(page.getByTestId('account-summary'))).toContain('1 person');
        const person = page.locator(`[data-testid="account-person-row"][data-email="${PERSON.email}"]`);
        await person.waitFor();
        expect(await page.getByTestId('account-person-row').count()).toBe(1);
        await page.screenshot({ path: `${RESULTS_DIR}account.png`, fullPage: true });

        await person.getByRole('link', { name: PERSON.name }).click();
        await page.waitForURL(new RegExp(`/w/${workspaceId}/prospects/[0-9a-f-]{36}$`));
        await page.getByRole('heading', { level: 1, name: PERSON.name }).waitFor();
        // …and the profile links back to the account.
        const accountLink = page.getByTestId('profile-account-link');
        expect(await text(accountLink)).toBe(ACCOUNT.name);
        expect(new URL(await accountLink.evaluate((a) => (a as HTMLAnchorElement).href)).pathname).toBe(
          new URL(accountUrl).pathname,
        );
        await page.screenshot({ path: `${RESULTS_DIR}account-profile.png`, fullPage: true });

        // Outbound: a second source receives Cairn's own events, through the web origin as the host.
        await nav(page, 'Connections');
        await page.waitForURL(`**/w/${workspaceId}/connections`);
        await page.getByTestId('segment-sources').waitFor();
        const receiverKey = await addSource(page, `E2E Cairn events ${run}`);

        const card = page.getByTestId('outbound-segment');
        await card.waitFor();
        expect(await text(card)).toMatch(/Journey Stage Changed.*Drop-off Risk Changed.*Intervention Sent/);
        const keyInput = card.getByLabel('Write key');
        expect(await keyInput.getAttribute('type')).toBe('password');

        // A bad host is refused with the API's message.
        await keyInput.fill(receiverKey);
        await card.getByLabel('API host').fill('not a url');
        await card.getByTestId('outbound-save').click();
        await card.getByTestId('outbound-form-error').waitFor();
        expect(await text(card.getByTestId('outbound-form-error'))).toMatch(/host/i);
        await card.scrollIntoViewIfNeeded();
        await card.screenshot({ path: `${RESULTS_DIR}outbound-form-error.png` });

        await card.getByLabel('API host').fill(webUrl);
        await card.getByTestId('outbound-save').click();
        await card.getByTestId('outbound-summary').waitFor();
        expect(await card.getByTestId('outbound-form').count()).toBe(0);
        expect(await text(card.getByTestId('outbound-host-value'))).toBe(webUrl);
        const hint = await text(card.getByTestId('outbound-key-hint'));
        expect(hint).not.toContain(receiverKey);
        expect(hint.startsWith(receiverKey.slice(0, 4))).toBe(true);
        expect(await text(card.getByTestId('outbound-status'))).toBe('Sending');

        await card.getByRole('button', { name: 'Send test event' }).click();
        const outcome = card.getByTestId('outbound-test-result');
        await card.locator('[data-testid="outbound-test-result"][data-result]').waitFor({ timeout: 30_000 });
        expect(await outcome.getAttribute('data-result')).toBe('sent');
        expect(await text(outcome)).toMatch(/^Sent/);
        await card.scrollIntoViewIfNeeded();
        await page.screenshot({ path: `${RESULTS_DIR}outbound.png`, fullPage: true });

        // The test event arrived on the receiving source, as any Segment event would.
        await page.getByTestId('connections-tab-events').click();
        await page.waitForURL(`**/w/${workspaceId}/connections/events`);
        await page.getByTestId('event-debugger').waitFor();
        await page
          .locator('[data-testid="event-row"]')
          .filter({ hasText: 'Cairn Test Event' })
          .first()
          .waitFor({ timeout: 20_000 });
      });
    },
  );

  it('a marketer sees accounts but not the outbound settings', { timeout: 60_000 }, async () => {
    await withPage('accounts-marketer', async (page) => {
      const workspaceId = await signIn(page, demo.marketer, demo.password);
      await page.goto(`${webUrl}/w/${workspaceId}/prospects/accounts`);
      await page.locator(`[data-testid="account-row"][data-name="${ACCOUNT.name}"]`).waitFor();

      await nav(page, 'Connections');
      await page.getByTestId('connections-read-only').waitFor();
      await page.getByTestId('segment-sources').waitFor();
      expect(await page.getByTestId('outbound-segment').count()).toBe(0);

      await page.goto(`${webUrl}/w/${workspaceId}/prospects/accounts/${randomUUID()}`);
      await page.getByTestId('account-not-found').waitFor();
      await page.screenshot({ path: `${RESULTS_DIR}account-not-found.png`, fullPage: true });
    });
  });
});
