/**
 * A journey end to end, through Chromium against the real stack: a marketer builds it on the canvas by drag
 * and drop (trigger "stage Evaluation → Purchase intent", a wait, a branch on drop-off risk, emails),
 * publishes it, behaviour pushed through the real Segment client moves a prospect from Evaluation to
 * Purchase intent (ingestion → online scoring → trigger router → Temporal), the email arrives in the sandbox
 * mailbox and the canvas's counters move.
 */
import { Analytics } from '@segment/analytics-node';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { RESULTS_DIR, demo, nav, signIn, text, useBrowser, webUrl, withPage } from './support/browser';
import { demoHistoryLoaded } from './support/demo-history';

useBrowser();

const run = randomUUID().slice(0, 8);
const PERSON = { userId: `journey-${run}`, email: `tess.${run}@example.com`, firstName: 'Tess' };
const JOURNEY = `Purchase intent follow-up ${run}`;
const SUBJECTS = { risky: 'Tess, can we help?', calm: 'Tess, ready when you are' };

/** An API call from the page (same origin, session cookie, CSRF header), as the web app makes it. */
async function apiCall(page: Page, method: string, path: string, body?: unknown) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const csrf = document.cookie.match(/(?:^|; )cairn_csrf=([^;]+)/)?.[1];
      const res = await fetch(path, {
        method,
        headers: {
          'content-type': 'application/json',
          ...(csrf ? { 'x-csrf-token': decodeURIComponent(csrf) } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json().catch(() => null) };
    },
    { method, path, body },
  );
}

/** Drags from a palette item onto the canvas at (x, y) of the canvas. */
async function drop(page: Page, type: string, x: number, y: number) {
  await page.getByTestId(`palette-${type}`).dragTo(page.getByTestId('canvas'), { targetPosition: { x, y } });
}

/** Drags a connection from a node's output handle to another node's input handle. */
async function connect(page: Page, from: string, output: string, to: string) {
  await page.waitForTimeout(400); // the layout's zoom-to-fit animation
  const source = await page.getByTestId(`handle-${from}-${output}`).boundingBox();
  const target = await page.getByTestId(`node-${to}`).locator('.react-flow__handle-left').boundingBox();
  if (!source || !target) throw new Error(`cannot see ${from}:${output} or ${to}`);
  await page.mouse.move(source.x + source.width / 2, source.y + source.height / 2);
  await page.mouse.down();
  await page.mouse.move(target.x + target.width / 2, target.y + target.height / 2, { steps: 15 });
  await page.mouse.up();
}

async function sendBehaviour(writeKey: string, events: string[]) {
  const analytics = new Analytics({ writeKey, host: webUrl, flushAt: 1, flushInterval: 100 });
  analytics.identify({ userId: PERSON.userId, traits: { email: PERSON.email, firstName: PERSON.firstName } });
  for (const event of events) analytics.track({ userId: PERSON.userId, event, properties: { run } });
  await analytics.closeAndFlush({ timeout: 10_000 });
}

async function until<T>(check: () => Promise<T>, ms: number, what: string): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('journeys', () => {
  it(
    'builds a journey by drag and drop, publishes it, and a stage change sends the email',
    { timeout: 240_000 },
    async () => {
      // While the demo's history arrives, its people move through stages as online scoring sees their events:
      // the journey goes live after that, so the only person it enrols is this test's.
      await demoHistoryLoaded(120_000);
      let writeKey = '';
      await withPage('journeys-admin', async (page) => {
        const ws = await signIn(page, demo.admin, demo.password);
        const source = await apiCall(page, 'POST', `/api/workspaces/${ws}/sources`, {
          name: `Journeys ${run}`,
        });
        expect(source.status).toBe(201);
        writeKey = source.body.writeKey;
      });

      await withPage('journeys-marketer', async (page) => {
        const ws = await signIn(page, demo.marketer, demo.password);
        await nav(page, 'Journeys');
        await page.getByRole('button', { name: 'New journey' }).click();
        await page.getByLabel('Journey name').fill(JOURNEY);
        await page.getByRole('button', { name: 'Create' }).click();
        await page.waitForURL(/\/journeys\/[0-9a-f-]{36}$/);
        const journeyId = new URL(page.url()).pathname.split('/').at(-1)!;
        const editor = page.getByTestId('journey-editor');
        await editor.waitFor();
        const panel = page.getByTestId('side-panel');

        // The trigger: stage Evaluation → Purchase intent.
        await page.getByTestId('node-trigger').click();
        await panel.getByLabel('From stage').selectOption('evaluation');
        await panel.getByLabel('To stage').selectOption('purchase_intent');
        expect(await text(page.getByTestId('node-trigger'))).toContain('Stage Evaluation → Purchase intent');

        // Two emails, a branch on drop-off risk and a short wait, dragged in from the palette; each is
        // configured (and wired to what follows) in the side panel as it lands.
        await drop(page, 'send_email', 60, 40);
        await panel.getByLabel('Subject').fill(SUBJECTS.risky);
        await drop(page, 'send_email', 60, 200);
        await panel.getByLabel('Subject').fill(SUBJECTS.calm);
        await panel.getByLabel('Body (HTML)').fill('<p>Hi {{first_name}}, your trial is ready.</p>');
        await drop(page, 'branch', 60, 360);
        expect(await text(page.getByTestId('node-branch'))).toContain('risk ≥ 70%');
        await panel.getByLabel('High risk leads to').selectOption('send-email');
        await panel.getByLabel('Else leads to').selectOption('send-email-2');
        await drop(page, 'wait', 60, 480);
        await panel.getByLabel('Duration unit').selectOption('seconds');
        await panel.getByLabel('Duration', { exact: true }).fill('2');
        await panel.getByLabel('Next step').selectOption('branch');

        // Laid out, the trigger is connected to the wait by dragging from its handle.
        await page.getByRole('button', { name: 'Auto-layout' }).click();
        await connect(page, 'trigger', 'next', 'wait');
        for (const edge of ['trigger:next', 'wait:next', 'branch:yes', 'branch:else']) {
          await page.getByTestId(`rf__edge-${edge}`).waitFor({ state: 'attached' });
        }
        await page.getByRole('button', { name: 'Auto-layout' }).click();
        await until(
          async () => (await text(page.getByTestId('save-state'))) === 'All changes saved',
          15_000,
          'autosave',
        );
        expect(await page.locator('.jc-node--invalid').count()).toBe(0);
        await page.screenshot({ path: `${RESULTS_DIR}journey-canvas.png` });

        // Publish: the dialog lists what goes live, then says what happens to people inside.
        await page.getByRole('button', { name: 'Publish', exact: true }).click();
        const dialog = page.getByTestId('publish-dialog');
        await dialog.getByRole('button', { name: 'Publish version 1' }).click();
        expect(await text(dialog.getByTestId('publish-effect'))).toContain('The journey is live');
        await dialog.getByRole('button', { name: 'Close' }).click();
        expect(await text(page.getByTestId('journey-status'))).toBe('Live');
        expect(await text(page.getByTestId('journey-version'))).toBe('version 1');

        // Behaviour through the Segment client: evaluation first (scored into Evaluation), then purchase intent.
        await sendBehaviour(writeKey, ['Signed Up', 'Product Viewed', 'Products Searched']);
        const profileId = await until(
          async () => {
            const r = await apiCall(
              page,
              'GET',
              `/api/workspaces/${ws}/profiles?q=${encodeURIComponent(PERSON.email)}`,
            );
            const p = (r.body ?? [])[0] as { id: string; stage: string | null } | undefined;
            return p?.stage === 'evaluation' && p.id;
          },
          60_000,
          'the prospect to be scored into Evaluation',
        );
        await sendBehaviour(writeKey, ['Demo Requested']);

        // The email lands in the sandbox mailbox.
        await page.goto(`${webUrl}/w/${ws}/journeys/mailbox`);
        const item = page.getByTestId('mailbox-item').filter({ hasText: PERSON.email });
        await item.first().waitFor({ timeout: 90_000 });
        const subject = await text(item.first().locator('.cell-strong'));
        expect([SUBJECTS.risky, SUBJECTS.calm]).toContain(subject);
        await item.first().click();
        await page.screenshot({ path: `${RESULTS_DIR}journey-mailbox.png` });
        const emails = await apiCall(page, 'GET', `/api/workspaces/${ws}/mailbox?profileId=${profileId}`);
        expect(emails.body).toHaveLength(1);
        expect(emails.body[0]).toMatchObject({ kind: 'journey', to: PERSON.email, journeyId });
        if (subject === SUBJECTS.calm) expect(emails.body[0].html).toContain('Hi Tess, your trial is ready.');

        // Back on the canvas the counters have moved.
        await page.goto(`${webUrl}/w/${ws}/journeys/${journeyId}`);
        const sent = subject === SUBJECTS.calm ? 'send-email-2' : 'send-email';
        for (const node of ['wait', 'branch', sent]) {
          const stats = page.getByTestId(`node-stats-${node}`);
          await until(
            async () => (await text(stats.locator('[data-stat="entered"]'))).endsWith(' 1'),
            15_000,
            node,
          );
        }
        expect(await text(page.getByTestId('total-enrolled'))).toBe('1');
        await page.screenshot({ path: `${RESULTS_DIR}journey-counters.png` });
      });
    },
  );
});
