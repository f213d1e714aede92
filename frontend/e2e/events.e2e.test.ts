/**
 * Behavioural events end to end, through Chromium against the real stack: an admin creates a Segment
 * source and reads its write key from the page; events sent to the web origin's tracking API
 * (`/v1/batch`, proxied to the API) show up live in the event debugger with their mapped
 * categories; the person is found on Prospects by email and their profile shows the identities
 * and the events; a marketer edits a taxonomy rule and the live preview shows the change.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  RESULTS_DIR,
  STEP_TIMEOUT,
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

// Unique per run, so the scenario also passes against a stack that already ran it.
const run = randomUUID().slice(0, 8);
const PERSON = {
  anonymousId: `anon-${run}`,
  userId: `user-${run}`,
  email: `trial.${run}@example.com`,
  name: `Tess Trial ${run}`,
};
const MESSAGE_IDS = { page: `e2e-page-${run}`, identify: `e2e-identify-${run}`, track: `e2e-track-${run}` };

let workspaceId = '';
let writeKey = '';

/** Three Segment calls in one batch, as analytics.js / analytics-node would send them. */
async function sendBatch(key: string): Promise<Response> {
  const now = Date.now();
  const at = (secondsAgo: number) => new Date(now - secondsAgo * 1000).toISOString();
  return postBatch(key, [
    {
      type: 'page',
      messageId: MESSAGE_IDS.page,
      anonymousId: PERSON.anonymousId,
      name: 'Pricing',
      properties: { url: 'https://www.example.com/pricing', path: '/pricing', title: 'Pricing' },
      timestamp: at(3),
    },
    {
      type: 'identify',
      messageId: MESSAGE_IDS.identify,
      anonymousId: PERSON.anonymousId,
      userId: PERSON.userId,
      traits: { email: PERSON.email, name: PERSON.name, plan: 'trial' },
      timestamp: at(2),
    },
    {
      type: 'track',
      messageId: MESSAGE_IDS.track,
      userId: PERSON.userId,
      event: 'Trial Started',
      properties: { plan: 'pro' },
      timestamp: at(1),
    },
  ]);
}

describe('behavioural events', () => {
  it(
    'admin creates a source, sends events, sees them in the debugger and on the prospect’s profile',
    { timeout: 90_000 },
    async () => {
      await withPage('events-admin', async (page) => {
        workspaceId = await signIn(page, demo.admin, demo.password);

        // Connections › Segment sources: add one; the write key is shown once.
        await nav(page, 'Connections');
        await page.waitForURL(`**/w/${workspaceId}/connections`);
        const sources = page.getByTestId('segment-sources');
        await sources.waitFor();
        expect(await page.getByTestId('tracking-host').inputValue()).toBe(webUrl);
        const sourceName = `E2E website ${run}`;
        await sources.getByLabel('New source name').fill(sourceName);
        await sources.getByRole('button', { name: 'Add source' }).click();
        const keyField = page.getByTestId('source-write-key');
        await keyField.waitFor();
        writeKey = await keyField.inputValue();
        expect(writeKey.length).toBeGreaterThan(16);
        expect(await text(page.getByTestId('source-key-reveal'))).toMatch(/won.t see it again/);
        const row = page.locator(`[data-testid="source-row"][data-name="${sourceName}"]`);
        expect(await row.getByTestId('source-webhook-url').inputValue()).toMatch(
          new RegExp(`^${webUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/v1/webhook/[0-9a-f-]{36}$`),
        );
        await page.screenshot({ path: `${RESULTS_DIR}connections.png`, fullPage: true });
        await page.getByRole('button', { name: 'I’ve copied it' }).click();
        expect(await page.getByTestId('source-write-key').count()).toBe(0);

        // Rotating shows a new key once; the old one stops working at once.
        const firstKey = writeKey;
        await row.getByRole('button', { name: `Rotate write key of ${sourceName}` }).click();
        await row.getByRole('button', { name: 'Confirm rotate' }).click();
        await row.getByTestId('source-write-key').waitFor();
        writeKey = await row.getByTestId('source-write-key').inputValue();
        expect(writeKey).not.toBe(firstKey);
        expect(await text(row)).toContain('Rotated');
        expect((await postBatch(firstKey, [])).status).toBe(401);

        // The webhook secret is revealed on demand.
        await row.getByRole('button', { name: `Reveal webhook secret of ${sourceName}` }).click();
        expect((await row.getByTestId('source-webhook-secret').inputValue()).length).toBeGreaterThan(16);

        // The event debugger, open before the events arrive: it refreshes itself every 3 s.
        await page.getByTestId('connections-tab-events').click();
        await page.waitForURL(`**/w/${workspaceId}/connections/events`);
        await page.getByTestId('event-debugger').waitFor();
        expect(await text(page.getByTestId('debugger-status'))).toContain('Live');

        const res = await sendBatch(writeKey);
        expect(res.status).toBe(200);
        const result = (await res.json()) as { accepted: number; rejected: unknown[] };
        expect(result.accepted).toBe(3);
        expect(result.rejected).toEqual([]);

        const eventRow = (id: string) => page.locator(`[data-testid="event-row"][data-message-id="${id}"]`);
        for (const id of Object.values(MESSAGE_IDS)) await eventRow(id).waitFor();
        const pageRow = eventRow(MESSAGE_IDS.page);
        expect(await text(pageRow.getByTestId('event-canonical'))).toBe('Viewed Pricing');
        expect(await text(pageRow.getByTestId('event-mapping'))).toMatch(/pricing.*Evaluation/);
        const trackRow = eventRow(MESSAGE_IDS.track);
        expect(await text(trackRow.getByTestId('event-name'))).toBe('Trial Started');
        expect(await text(trackRow.getByTestId('event-canonical'))).toBe('Trial Started');
        expect(await text(trackRow.getByTestId('event-mapping'))).toMatch(/product.*Purchase/);
        expect(await text(trackRow.getByTestId('event-person'))).toBe(PERSON.userId);
        await page.getByText('Send a test event').click();
        expect(await text(page.getByTestId('curl-example'))).toContain(
          `-u 'WRITE_KEY:' '${webUrl}/v1/track'`,
        );
        await page.screenshot({ path: `${RESULTS_DIR}debugger.png`, fullPage: true });

        // A message Cairn can't store (a track call without an event name) lands in the Rejected tab.
        const bad = await postBatch(writeKey, [
          { type: 'track', messageId: `e2e-bad-${run}`, userId: PERSON.userId },
        ]);
        expect(bad.status).toBe(200);
        expect(((await bad.json()) as { rejected: unknown[] }).rejected).toHaveLength(1);
        await page.getByTestId('debugger-tab-events').focus();
        await page.keyboard.press('ArrowRight');
        expect(await page.getByTestId('debugger-tab-rejected').getAttribute('aria-selected')).toBe('true');
        const rejection = page.getByTestId('rejection-row').filter({ hasText: `e2e-bad-${run}` });
        await rejection.getByText('Show payload').click();
        expect(await text(rejection)).toContain(`e2e-bad-${run}`);
        expect(await text(page.getByTestId('debugger-tab-rejected'))).not.toMatch(/Rejected\s*0/);

        // Pausing stops the refresh.
        await page.getByTestId('debugger-pause').click();
        expect(await text(page.getByTestId('debugger-status'))).toContain('Paused');
        await page.screenshot({ path: `${RESULTS_DIR}debugger-rejected.png`, fullPage: true });

        // Prospects: find the person by email.
        await nav(page, 'Prospects');
        await page.waitForURL(`**/w/${workspaceId}/prospects`);
        await page.getByTestId('prospect-search').fill(PERSON.email);
        await page.waitForURL(/\?q=/);
        const prospect = page.locator(`[data-testid="prospect-row"][data-email="${PERSON.email}"]`);
        await prospect.waitFor();
        expect(await page.getByTestId('prospect-row').count()).toBe(1);
        expect(await text(prospect)).toContain(PERSON.name);
        await page.screenshot({ path: `${RESULTS_DIR}prospects.png`, fullPage: true });

        // The profile: identities and the three events, newest first.
        await prospect.getByRole('link', { name: PERSON.name }).click();
        await page.waitForURL(new RegExp(`/w/${workspaceId}/prospects/[0-9a-f-]{36}$`));
        await page.getByRole('heading', { level: 1, name: PERSON.name }).waitFor();
        const identities = page.getByTestId('profile-identities');
        for (const [kind, value] of [
          ['email', PERSON.email],
          ['user_id', PERSON.userId],
          ['anonymous_id', PERSON.anonymousId],
        ]) {
          expect(await text(identities.locator(`[data-testid="identity"][data-kind="${kind}"]`))).toContain(
            value,
          );
        }
        const timeline = page.getByTestId('timeline-event');
        expect(await timeline.count()).toBe(3);
        expect(await timeline.getByTestId('timeline-event-name').allTextContents()).toEqual([
          'Trial Started',
          'Identified',
          'Viewed Pricing',
        ]);
        await page.screenshot({ path: `${RESULTS_DIR}profile.png`, fullPage: true });
      });
    },
  );

  it(
    'a marketer edits a taxonomy rule and the live preview shows the change',
    { timeout: 60_000 },
    async () => {
      expect(writeKey, 'the first test sends the events this preview maps').not.toBe('');
      await withPage('taxonomy-marketer', async (page) => {
        const workspaceId = await signIn(page, demo.marketer, demo.password);

        // Connections are read-only for a marketer: the sources are listed, nothing can be changed.
        await nav(page, 'Connections');
        await page.getByTestId('connections-read-only').waitFor();
        expect(await page.getByTestId('source-row').count()).toBeGreaterThan(0);
        expect(await page.getByRole('button', { name: 'Add source' }).count()).toBe(0);
        expect(await page.getByRole('button', { name: /Rotate|Revoke|Reveal/ }).count()).toBe(0);
        await page.screenshot({ path: `${RESULTS_DIR}connections-marketer.png`, fullPage: true });

        await nav(page, 'Settings');
        await page.waitForURL(`**/w/${workspaceId}/settings`);
        await page.getByTestId('settings-taxonomy-link').click();
        await page.waitForURL(`**/w/${workspaceId}/settings/taxonomy`);
        await page.getByRole('heading', { level: 1, name: 'Event taxonomy' }).waitFor();
        await page.getByTestId('taxonomy-default').waitFor();

        // Before any edit the preview maps the recent events exactly as stored.
        const preview = page.getByTestId('taxonomy-preview');
        const trialRow = preview.locator('[data-testid="preview-row"][data-event="Trial Started"]').first();
        await trialRow.waitFor();
        expect(await trialRow.getAttribute('data-changed')).toBe('false');
        expect(await text(trialRow.getByTestId('preview-proposed'))).toMatch(/product/);

        // Give "Trial Started" its own category and a different intent.
        const rule = page.locator('[data-testid="taxonomy-rule"][data-pattern="Trial Started"]');
        await rule.getByTestId('rule-category').fill('trial');
        await rule.getByTestId('rule-intent').selectOption('evaluation');
        expect(await text(page.getByTestId('taxonomy-save-status'))).toContain('Unsaved changes');

        await expect
          .poll(() => trialRow.getAttribute('data-changed'), { timeout: STEP_TIMEOUT })
          .toBe('true');
        expect(await text(trialRow.getByTestId('preview-proposed'))).toMatch(/trial.*Evaluation/);
        expect(await text(page.getByTestId('preview-summary'))).toMatch(/would map differently/);
        // Only "Trial Started" events change: the page view of /pricing and the identify are untouched.
        const changed = preview.locator('[data-testid="preview-row"][data-changed="true"]');
        expect(
          new Set(await changed.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-event')))),
        ).toEqual(new Set(['Trial Started']));
        await rule.scrollIntoViewIfNeeded();
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: `${RESULTS_DIR}taxonomy.png`, fullPage: true });

        // Save, then re-apply the saved rules to the stored events and follow the job to the end.
        const reapply = page.getByTestId('taxonomy-reapply-start');
        expect(await reapply.isDisabled()).toBe(true);
        await page.getByTestId('taxonomy-save').click();
        await page.getByTestId('taxonomy-save-status').getByText('Saved.').waitFor();
        expect(await page.getByTestId('taxonomy-default').count()).toBe(0);
        await reapply.click();
        await page
          .getByTestId('reapply-status')
          .getByText(/^Done:/)
          .waitFor({ timeout: 30_000 });
        const bar = page.getByRole('progressbar', { name: 'Re-apply progress' });
        expect(await bar.getAttribute('aria-valuenow')).toBe('100');
        // History now matches the saved rules, so the preview reloads with nothing left to change.
        await expect
          .poll(() => trialRow.getAttribute('data-changed'), { timeout: STEP_TIMEOUT })
          .toBe('false');
        await page.getByTestId('taxonomy-reapply').scrollIntoViewIfNeeded();
        await page.screenshot({ path: `${RESULTS_DIR}taxonomy-reapplied.png` });

        // The stored event now carries the new mapping.
        await page.goto(`${webUrl}/w/${workspaceId}/connections/events`);
        const stored = page.locator(`[data-testid="event-row"][data-message-id="${MESSAGE_IDS.track}"]`);
        expect(await text(stored.getByTestId('event-mapping'))).toMatch(/trial.*Evaluation/);
      });
    },
  );

  it('an admin erases the person and the erasure is logged', { timeout: 60_000 }, async () => {
    expect(writeKey, 'the first test creates the person erased here').not.toBe('');
    await withPage('privacy-admin', async (page) => {
      const workspaceId = await signIn(page, demo.admin, demo.password);
      await nav(page, 'Settings');
      await page.getByTestId('settings-privacy-link').click();
      await page.waitForURL(`**/w/${workspaceId}/settings/privacy`);

      const form = page.getByTestId('erasure-form');
      await form.getByLabel('Email', { exact: true }).check();
      await page.getByTestId('erasure-value').fill(PERSON.email);
      await form.getByRole('button', { name: 'Review erasure' }).click();

      // The confirm step names the person and what goes.
      const confirm = page.getByTestId('erasure-confirm');
      await confirm.waitFor();
      const said = await text(confirm);
      expect(said).toContain(PERSON.email);
      expect(said).toContain(PERSON.name);
      expect(said).toMatch(/every event recorded for them/);
      expect(said).toMatch(/can.t be undone/);
      await page.screenshot({ path: `${RESULTS_DIR}privacy-confirm.png`, fullPage: true });

      await page.getByTestId('erasure-confirm-button').click();
      expect(await text(page.getByTestId('erasure-done'))).toContain('1 profile · 3 identities · 3 events');
      const logged = page.getByTestId('erasure-row').first();
      expect(await text(logged)).toContain(demo.admin);
      expect(await text(logged)).toContain('Completed');
      await page.screenshot({ path: `${RESULTS_DIR}privacy.png`, fullPage: true });

      // The person is gone from Prospects.
      await page.goto(`${webUrl}/w/${workspaceId}/prospects?q=${encodeURIComponent(PERSON.email)}`);
      await page.getByTestId('prospects-no-match').waitFor();

      // Revoking the source: its key stops working and it stays listed as revoked.
      await page.goto(`${webUrl}/w/${workspaceId}/connections`);
      const row = page.locator(`[data-testid="source-row"][data-name="E2E website ${run}"]`);
      await row.getByRole('button', { name: `Revoke E2E website ${run}` }).click();
      await row.getByRole('button', { name: 'Confirm revoke' }).click();
      await row.locator('.badge--revoked').waitFor();
      expect(await row.getByRole('button').count()).toBe(0);
      expect((await postBatch(writeKey, [])).status).toBe(401);
      await page.screenshot({ path: `${RESULTS_DIR}connections-revoked.png`, fullPage: true });
    });
  });

  it('the sales rep sees Prospects but no taxonomy or privacy settings', { timeout: 30_000 }, async () => {
    await withPage('events-sales', async (page) => {
      const id = await signIn(page, demo.sales, demo.password);
      await page.getByRole('heading', { name: 'Prospects', level: 1 }).waitFor();
      await page.screenshot({ path: `${RESULTS_DIR}prospects-sales.png`, fullPage: true });
      for (const path of ['settings/taxonomy', 'settings/privacy', 'connections/events']) {
        await page.goto(`${webUrl}/w/${id}/${path}`);
        await page.getByTestId('no-access').waitFor();
      }
      await page.goto(`${webUrl}/w/${id}/prospects/${randomUUID()}`);
      await page.getByTestId('profile-not-found').waitFor();
      await page.screenshot({ path: `${RESULTS_DIR}profile-not-found.png`, fullPage: true });
    });
  });
});
