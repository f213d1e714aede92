/**
 * Drives the real stack (started by the e2e global set-up) through Chromium:
 * an admin invites a sales rep, the rep accepts and sees only what a sales role may see,
 * a marketer sees no user management, and a wrong password is reported.
 */
import { describe, expect, it } from 'vitest';
import { type Page } from 'playwright-core';
import { RESULTS_DIR, STEP_TIMEOUT, demo, signIn, useBrowser, webUrl, withPage } from './support/browser';

useBrowser();

const NEW_REP = { email: 'new.rep@example.com', name: 'New Rep', password: 'correct-horse-battery-42' };

async function navLabels(page: Page): Promise<string[]> {
  const links = page.getByRole('navigation', { name: 'Main' }).getByRole('link');
  await links.first().waitFor();
  return (await links.allTextContents()).map((t) => t.trim());
}

async function expectNoAccess(page: Page): Promise<void> {
  const panel = page.getByTestId('no-access');
  await panel.waitFor();
  expect(await panel.getByRole('heading', { level: 1 }).textContent()).toMatch(/You don.t have access/);
}

describe('invites and roles', () => {
  it('admin invites a sales rep, who joins and sees only Prospects', { timeout: 60_000 }, async () => {
    await withPage('invite-flow', async (page) => {
      const workspaceId = await signIn(page, demo.admin, demo.password);
      expect(await navLabels(page)).toEqual(['Journeys', 'Insights', 'Prospects', 'Connections', 'Settings']);

      // Settings › Users
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
      await page.waitForURL(`**/w/${workspaceId}/settings`);
      await page.getByTestId('settings-users-link').click();
      await page.waitForURL(`**/w/${workspaceId}/settings/users`);
      await page.getByRole('heading', { name: 'Users & roles', level: 1 }).waitFor();

      // Make the scenario repeatable against a stack that already ran it once.
      const oldMember = page.locator(`[data-testid="member-row"][data-email="${NEW_REP.email}"]`);
      if ((await oldMember.count()) > 0) {
        await oldMember.getByRole('button', { name: /^Remove / }).click();
        await oldMember.getByRole('button', { name: 'Confirm remove' }).click();
        await expect.poll(() => oldMember.count(), { timeout: STEP_TIMEOUT }).toBe(0);
      }
      const oldInvites = page.locator(`[data-testid="invite-row"][data-email="${NEW_REP.email}"]`);
      while ((await oldInvites.count()) > 0) {
        const before = await oldInvites.count();
        await oldInvites
          .first()
          .getByRole('button', { name: /^Revoke/ })
          .click();
        await expect.poll(() => oldInvites.count(), { timeout: STEP_TIMEOUT }).toBe(before - 1);
      }

      // Invite the rep as sales; the link is shown once, with a copy button.
      const form = page.getByTestId('invite-form');
      await form.getByLabel('Email').fill(NEW_REP.email);
      await form.getByLabel('Role').selectOption('sales');
      await form.getByRole('button', { name: 'Create invite' }).click();
      const linkField = page.getByTestId('invite-link');
      await linkField.waitFor();
      const inviteUrl = await linkField.inputValue();
      expect(inviteUrl).toMatch(/^https?:\/\/[^/]+\/invite\/[^/?#]+$/);
      expect(await page.getByTestId('invite-created').getByRole('button', { name: 'Copy' }).isVisible()).toBe(
        true,
      );
      await page.locator(`[data-testid="invite-row"][data-email="${NEW_REP.email}"]`).waitFor();
      await page.screenshot({ path: `${RESULTS_DIR}users.png`, fullPage: true });

      // Sign out.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(/\/sign-in/);

      // Open the link on this web origin (the API may build it from another configured base URL).
      await page.goto(`${webUrl}${new URL(inviteUrl).pathname}`);
      expect(((await page.getByTestId('invite-email').textContent()) ?? '').trim()).toBe(NEW_REP.email);
      expect(((await page.getByTestId('invite-role').textContent()) ?? '').trim()).toBe('Sales');
      const nameField = page.getByLabel('Name', { exact: true });
      if (await nameField.isVisible()) {
        await nameField.fill(NEW_REP.name);
        await page.getByLabel('Password', { exact: true }).fill(NEW_REP.password);
        await page.getByLabel('Confirm password').fill(NEW_REP.password);
      } else {
        // A previous run already created the account: joining asks for its password only.
        await page.getByLabel('Password', { exact: true }).fill(NEW_REP.password);
      }
      await page.getByRole('button', { name: /^Join / }).click();

      // Signed in as the rep, on the only page a sales role has.
      await page.waitForURL(`**/w/${workspaceId}/prospects`);
      expect(await page.getByTestId('current-user').textContent()).toContain(NEW_REP.email);
      expect(await navLabels(page)).toEqual(['Prospects']);
      await page.getByRole('heading', { name: 'Prospects', level: 1 }).waitFor();

      // Direct navigation to admin pages is refused.
      await page.goto(`${webUrl}/w/${workspaceId}/settings/users`);
      await expectNoAccess(page);
      await page.goto(`${webUrl}/w/${workspaceId}/journeys`);
      await expectNoAccess(page);
    });
  });

  it('a marketer has Settings but no Settings › Users', { timeout: 30_000 }, async () => {
    await withPage('marketer', async (page) => {
      const workspaceId = await signIn(page, demo.marketer, demo.password);
      expect(await navLabels(page)).toEqual(['Journeys', 'Insights', 'Prospects', 'Connections', 'Settings']);

      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
      await page.waitForURL(`**/w/${workspaceId}/settings`);
      await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
      expect(await page.getByTestId('settings-users-link').count()).toBe(0);
      expect(await page.getByRole('link', { name: /users/i }).count()).toBe(0);

      await page.goto(`${webUrl}/w/${workspaceId}/settings/users`);
      await expectNoAccess(page);
    });
  });

  it('the demo sales rep sees only Prospects', { timeout: 30_000 }, async () => {
    await withPage('sales', async (page) => {
      await signIn(page, demo.sales, demo.password);
      expect(new URL(page.url()).pathname).toMatch(/\/prospects$/);
      expect(await navLabels(page)).toEqual(['Prospects']);
    });
  });

  it('sends a signed-out visitor to sign in and back', { timeout: 30_000 }, async () => {
    await withPage('redirect', async (page) => {
      await page.goto(`${webUrl}/`);
      await page.waitForURL(/\/sign-in/);
      await page.goto(`${webUrl}/w/anything/insights`);
      await page.waitForURL(/\/sign-in\?next=/);
      expect(new URL(page.url()).searchParams.get('next')).toBe('/w/anything/insights');
    });
  });

  it('a wrong password shows an error and stays on sign in', { timeout: 30_000 }, async () => {
    await withPage('wrong-password', async (page) => {
      await page.goto(`${webUrl}/sign-in`);
      await page.getByLabel('Email').fill(demo.admin);
      await page.getByLabel('Password').fill('definitely-not-the-password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      const alert = page.getByTestId('sign-in-error');
      await alert.waitFor();
      expect(await alert.textContent()).toContain('Incorrect email or password');
      expect(new URL(page.url()).pathname).toBe('/sign-in');
      expect(await page.getByLabel('Password').inputValue()).toBe('');
    });
  });
});
