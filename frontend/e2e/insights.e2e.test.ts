/**
 * Insights and prospects end to end, in Chromium against the real stack on the demo workspace: every insights
 * view renders a non-empty chart with a plain-language headline, switches to its table and exports CSV; the
 * overview answers its five questions with links to the evidence; a sales user sees prospects sorted by risk
 * and a prospect's stage, score and reasons. Screenshots of each view are saved under a temp folder.
 *
 * Everything is read from the demo workspace's own history (loaded in the background on the stack's first
 * start: events through the tracking API, stages scored as of when behaviour happened, a trained model); the
 * tests wait for it.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { demo, signIn, text, useBrowser, webUrl, withPage } from './support/browser';
import { demoHistoryLoaded } from './support/demo-history';

useBrowser();

const SHOTS = mkdtempSync(join(tmpdir(), 'cairn-insights-shots-'));
let db: Client;
let logDir = '';
let workspaceId = '';

beforeAll(async () => {
  // The demo's own history: four months of behaviour, stages as they happened, a trained model.
  await demoHistoryLoaded();
  db = new Client({ connectionString: inject('databaseUrl') });
  logDir = join(inject('dataDir'), 'logs');
  await db.connect();
  [{ id: workspaceId }] = (await db.query(`SELECT id FROM workspaces WHERE name = 'Demo workspace'`)).rows;
  const [{ staged, scored }] = (
    await db.query(
      `SELECT (SELECT count(*)::int FROM profile_stages WHERE workspace_id = $1) AS staged,
              (SELECT count(*)::int FROM profile_scores WHERE workspace_id = $1 AND risk IS NOT NULL) AS scored`,
      [workspaceId],
    )
  ).rows;
  expect(staged).toBeGreaterThanOrEqual(50);
  expect(scored).toBeGreaterThanOrEqual(50);
  // Rebuild the summary on the next read, whatever it held before.
  await db.query(`DELETE FROM insights_refresh WHERE workspace_id = $1`, [workspaceId]);
}, 240_000);

afterAll(async () => {
  await db?.end();
  // The stack's folder goes with it: keep the API and web logs beside the screenshots.
  for (const log of ['api.log', 'web.log'])
    await copyFile(join(logDir, log), join(SHOTS, log)).catch(() => {});
  process.stderr.write(`[insights e2e] screenshots in ${SHOTS}\n`);
});

async function openView(page: Page, path: string, testId: string): Promise<string> {
  await page.goto(`${webUrl}/w/${workspaceId}/insights${path}`);
  await page.getByTestId(testId).waitFor({ timeout: 60_000 });
  const main = (await text(page.locator('main'))) || (await text(page.locator('body')));
  expect(main).not.toMatch(/\b(NaN|undefined|Infinity)\b|\[object Object\]/);
  return main;
}

/** The chart is drawn (SVG with marks), the table toggle shows the same numbers, and the CSV downloads. */
async function checkPanel(page: Page, testId: string, marks: string, name: string) {
  const panel = page.getByTestId(testId);
  await panel.locator(`[data-testid="${testId}-chart"] svg ${marks}`).first().waitFor({ timeout: 30_000 });
  expect(await panel.locator(`[data-testid="${testId}-chart"] svg ${marks}`).count()).toBeGreaterThan(0);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  await panel.getByTestId(`${testId}-show-table`).click();
  const rows = panel.locator(`[data-testid="${testId}-table"] tbody tr`);
  await rows.first().waitFor();
  expect(await rows.count()).toBeGreaterThan(0);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    panel.getByTestId(`${testId}-csv`).click(),
  ]);
  const csv = readFileSync((await download.path())!, 'utf8');
  expect(csv.split(/\r?\n/).filter(Boolean).length).toBeGreaterThan(1);
  expect(csv).not.toMatch(/NaN|undefined/);
  await panel.getByTestId(`${testId}-show-chart`).click();
}

describe('insights on the demo workspace', () => {
  it('overview answers the five questions, each linking to its evidence', { timeout: 180_000 }, async () => {
    await withPage('insights-overview', async (page) => {
      await signIn(page, demo.marketer, demo.password);
      await openView(page, '', 'overview-answers');
      const cards = page.locator('[data-testid="overview-answers"] article');
      expect(await cards.count()).toBe(5);
      for (const id of ['dropoff', 'behaviours', 'channels', 'changes', 'segment']) {
        const card = page.getByTestId(`overview-${id}`);
        expect(await text(card.locator('h2'))).toMatch(/\?$/);
        expect((await text(card.getByTestId('overview-answer'))).length).toBeGreaterThan(20);
      }
      expect(await text(page.getByTestId('overview-dropoff'))).toMatch(
        /The biggest drop is from .+ to .+: \d+%/,
      );
      expect(await text(page.getByTestId('overview-behaviours'))).toMatch(
        /converted|No touchpoint stands out|horizon|goal/,
      );
      await page.screenshot({ path: join(SHOTS, 'overview.png'), fullPage: true });
      await page.getByTestId('overview-evidence-dropoff').click();
      await page.waitForURL(/\/insights\/funnel/);
      await page.getByTestId('funnel').waitFor();
    });
  });

  it(
    'funnel, paths, moments, attribution, time to drop-off and what changed draw their charts',
    {
      timeout: 300_000,
    },
    async () => {
      await withPage('insights-views', async (page) => {
        await signIn(page, demo.marketer, demo.password);

        await openView(page, '/funnel', 'funnel');
        expect(await text(page.getByTestId('funnel-headline'))).toMatch(
          /^The biggest drop is from .+ to .+: \d+% \(95% CI \d+%–\d+%\) move on/,
        );
        await checkPanel(page, 'funnel', '.recharts-bar-rectangle', 'funnel');
        await page.getByTestId('insights-control-split').selectOption('channel');
        await page.waitForURL(/split=channel/);
        await page.getByTestId('funnel-split').waitFor();
        await checkPanel(page, 'funnel-split', '.recharts-bar-rectangle', 'funnel-by-channel');

        await openView(page, '/paths', 'paths');
        expect(await text(page.getByTestId('paths-headline'))).toMatch(
          /^The most common path is .+ → (Converted|Dropped off|Still active) \(\d+ (people|person), \d+(\.\d)?%\)/,
        );
        await checkPanel(page, 'paths', 'path', 'paths');
        expect(await text(page.getByTestId('paths'))).toContain('Converted');

        await openView(page, '/moments', 'moments');
        if ((await page.getByTestId('moment-finding').count()) > 0) {
          const finding = page.getByTestId('moment-finding').first();
          await finding.waitFor();
          // A lift with its interval, or — when nobody without the touchpoint converted — both rates.
          expect(await text(finding)).toMatch(
            /^Prospects who .+ converted (([\d.]+× more|\d+% less) often \(95% CI [\d.]+–[\d.]+%?, |at \d+%, against \d+% of everyone else \()n = [\d,]+\)\.$/,
          );
          await checkPanel(page, 'moments', '.recharts-bar-rectangle', 'moments');
        } else {
          expect(await text(page.getByTestId('moments-none'))).toMatch(/touchpoint|horizon|converted|goal/);
          await page.screenshot({ path: join(SHOTS, 'moments.png'), fullPage: true });
        }

        await openView(page, '/attribution', 'attribution');
        expect(await text(page.getByTestId('attribution-headline'))).toMatch(
          /matters most: without it, \d+(\.\d)?% of conversions would be lost/,
        );
        await checkPanel(page, 'attribution', '.recharts-bar-rectangle', 'attribution');
        await checkPanel(page, 'attribution-quality', '.recharts-bar-rectangle', 'channel-quality');

        await openView(page, '/dropoff', 'dropoff');
        expect(await text(page.getByTestId('dropoff-headline'))).toMatch(/dropped off/);
        await checkPanel(page, 'dropoff', '.recharts-line-curve', 'time-to-dropoff');
        // Back from the table, the chart draws again: one curve per channel and one for everyone.
        await expect
          .poll(() => page.locator('[data-testid="dropoff-chart"] .recharts-line-curve').count())
          .toBeGreaterThanOrEqual(2);

        await openView(page, '/changes', 'changes-mix');
        expect((await text(page.getByTestId('changes-findings'))).length).toBeGreaterThan(30);
        await checkPanel(page, 'changes-mix', '.recharts-bar-rectangle', 'what-changed');

        // A filter narrows every number and is kept across tabs: the first-touch channel most people came by.
        const channel = page.getByLabel('First touch');
        const busiest = await channel.locator('option').nth(1).getAttribute('value');
        expect(busiest).toBeTruthy();
        await channel.selectOption(busiest!);
        await page.waitForURL(/channel=/);
        await page.getByTestId('insights-tab-funnel').click();
        await page.waitForURL(/\/funnel\?.*channel=/);
        expect(await text(page.getByTestId('insights-meta'))).toMatch(/^\d[\d,]* (people|person)/);
      });
    },
  );

  it(
    'sales sees prospects sorted by risk and a prospect’s stage, score and reasons',
    { timeout: 120_000 },
    async () => {
      await withPage('insights-prospects', async (page) => {
        await signIn(page, demo.sales, demo.password);
        await page.goto(`${webUrl}/w/${workspaceId}/prospects?sort=risk`);
        const rows = page.getByTestId('prospect-row');
        await rows.first().waitFor();
        const risks = await page.getByTestId('prospect-risk').allTextContents();
        const values = risks.map((r) => Number(/(\d+)%/.exec(r)?.[1] ?? -1)).filter((v) => v >= 0);
        expect(values.length).toBeGreaterThan(3);
        expect([...values].sort((a, b) => b - a)).toEqual(values);
        await page.screenshot({ path: join(SHOTS, 'prospects-by-risk.png'), fullPage: true });
        await rows.first().locator('a').first().click();
        await page.getByTestId('profile-journey').waitFor();
        expect(await text(page.getByTestId('journey-stage'))).not.toBe('');
        expect((await page.getByTestId('journey-reasons').locator('li').count()) > 0).toBe(true);
        await page.screenshot({ path: join(SHOTS, 'prospect.png'), fullPage: true });
        // Read-only: nothing on the page changes a prospect.
        expect(await page.locator('[data-testid="profile-journey"] button').count()).toBe(0);
      });
    },
  );
});
