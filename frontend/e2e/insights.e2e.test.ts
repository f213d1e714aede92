/**
 * Insights and prospects end to end, in Chromium against the real stack on the demo workspace: every insights
 * view renders a non-empty chart with a plain-language headline, switches to its table and exports CSV; the
 * overview answers its five questions with links to the evidence; a sales user sees prospects sorted by risk
 * and a prospect's stage, score and reasons. Screenshots of each view are saved under a temp folder.
 *
 * The demo workspace gets stages and scores from the scoring loop; when it has none yet, the test writes a small
 * fixture (people, events, stages, transitions, scores) straight into the stack's database.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { demo, signIn, text, useBrowser, webUrl, withPage } from './support/browser';

useBrowser();

const SHOTS = mkdtempSync(join(tmpdir(), 'cairn-insights-shots-'));
const DAY = 86_400_000;
let db: Client;
let logDir = '';
let workspaceId = '';
/** Whether this run wrote the fixture, so exact findings can be expected (other data may have none). */
let seeded = false;

const CHANNELS = [
  { page: { referrer: 'https://www.google.com/', url: 'https://acme.example/' } },
  { campaign: { source: 'linkedin', medium: 'social' } },
  { campaign: { source: 'newsletter', medium: 'email' } },
  { page: { referrer: 'https://partner.example/blog', url: 'https://acme.example/' } },
  {},
];

/** 400 people over the last 120 days whose webinar and setup touchpoints raise their chance of converting. */
async function seedFixture(stages: string[]) {
  const now = Date.now();
  const months = new Set<string>();
  for (let d = 0; d <= 130; d += 10) {
    const t = new Date(now - d * DAY);
    months.add(`${t.getUTCFullYear()}-${t.getUTCMonth()}`);
  }
  months.add(`${new Date(now).getUTCFullYear()}-${new Date(now).getUTCMonth()}`);
  for (const m of months) {
    const [y, mo] = m.split('-').map(Number) as [number, number];
    const from = new Date(Date.UTC(y, mo, 1));
    const to = new Date(Date.UTC(y, mo + 1, 1));
    await db.query(
      `CREATE TABLE IF NOT EXISTS events_${y}_${String(mo + 1).padStart(2, '0')} PARTITION OF events
         FOR VALUES FROM ('${from.toISOString()}') TO ('${to.toISOString()}')`,
    );
  }
  const last = stages.length - 1;
  const evaluating = Math.max(1, last - 1);
  for (let i = 0; i < 400; i++) {
    const first = now - (8 + ((i * 37) % 110)) * DAY - (i % 24) * 3_600_000;
    const webinar = i % 3 === 0;
    const setup = i % 4 === 0;
    const converts = (webinar && i % 2 === 0) || (setup && i % 5 === 0) || i % 17 === 0;
    const active = i % 6 === 0;
    const [{ id }] = (
      await db.query(
        `INSERT INTO profiles (id, workspace_id, email, traits, first_seen_at, last_seen_at)
         VALUES (gen_random_uuid(), $1, $2, $3, $4, $4) RETURNING id`,
        [
          workspaceId,
          `insights-e2e-${i}@example.com`,
          JSON.stringify({
            name: `Fixture Person ${i}`,
            plan: ['Free', 'Pro', 'Enterprise'][i % 3],
            region: ['NA', 'EMEA', 'APAC', 'LATAM'][i % 4],
            company_size: [8, 40, 150, 600, 3000][i % 5],
          }),
          new Date(first),
        ],
      )
    ).rows;
    const events: [number, string, string, string | null, string | null, object][] = [
      [0, 'page', 'Home', 'product', 'educational', CHANNELS[i % 5]!],
    ];
    if (i % 2 === 0) events.push([1, 'page', 'Pricing', 'pricing', 'evaluation', {}]);
    if (webinar) events.push([1.2, 'track', 'Webinar Attended', 'webinar', 'educational', {}]);
    if (setup) events.push([2, 'track', 'Setup Completed', 'product', 'evaluation', {}]);
    if (setup) events.push([2.1, 'track', 'Setup Completed', 'product', 'evaluation', {}]);
    events.push([3 + (i % 20), 'page', 'Docs', 'docs', 'educational', {}]);
    if (converts) events.push([4 + (i % 3), 'track', 'Trial Started', 'product', 'purchase', {}]);
    if (active) events.push([(now - first) / DAY - 1, 'page', 'Blog', 'blog', 'educational', {}]);
    for (const [d, type, name, category, intent, context] of events) {
      if (first + d * DAY > now - 3_600_000) continue; // nothing from the future
      await db.query(
        `INSERT INTO events (workspace_id, message_id, profile_id, type, event, canonical_event, category, intent,
                             "timestamp", received_at, context)
         VALUES ($1, gen_random_uuid()::text, $2, $3, $4, $4, $5, $6, $7, now(), $8)`,
        [workspaceId, id, type, name, category, intent, new Date(first + d * DAY), JSON.stringify(context)],
      );
    }
    const visits: [number, number][] = [[0, 0]];
    if (events.length >= 3) visits.push([1, 1]);
    if ((i % 2 === 0 || setup) && visits.length === 2 && evaluating > 1) visits.push([evaluating, 2.2]);
    if (converts) visits.push([last, 4 + (i % 3)]);
    let from: string | null = null;
    for (const [stage, d] of visits) {
      await db.query(
        `INSERT INTO stage_transitions (workspace_id, profile_id, from_stage, to_stage, reason, at)
         VALUES ($1, $2, $3, $4, 'e2e fixture', $5)`,
        [workspaceId, id, from, stages[stage], new Date(first + d * DAY)],
      );
      from = stages[stage]!;
    }
    const [stage, d] = visits[visits.length - 1]!;
    await db.query(
      `INSERT INTO profile_stages (profile_id, workspace_id, stage, stage_index, entered_at, reason)
       VALUES ($1, $2, $3, $4, $5, 'e2e fixture') ON CONFLICT (profile_id) DO NOTHING`,
      [id, workspaceId, stages[stage], stage, new Date(first + d * DAY)],
    );
    const risk = converts ? 0.1 : active ? 0.35 + (i % 5) * 0.05 : 0.6 + (i % 4) * 0.1;
    await db.query(
      `INSERT INTO profile_scores (profile_id, workspace_id, risk, conversion, reasons, scored_at)
       VALUES ($1, $2, $3, $4, $5, now()) ON CONFLICT (profile_id) DO NOTHING`,
      [
        id,
        workspaceId,
        risk,
        1 - risk,
        JSON.stringify(['No visit for two weeks', 'Viewed pricing, no demo']),
      ],
    );
    await db.query(
      `INSERT INTO score_history (workspace_id, profile_id, stage, risk, conversion, scored_at)
       VALUES ($1, $2, $3, $4, $5, now() - interval '8 days'), ($1, $2, $3, $6, $7, now())`,
      [workspaceId, id, stages[stage], Math.max(0, risk - 0.15), 1 - risk + 0.15, risk, 1 - risk],
    );
  }
}

beforeAll(async () => {
  db = new Client({ connectionString: inject('databaseUrl') });
  logDir = join(inject('dataDir'), 'logs');
  await db.connect();
  [{ id: workspaceId }] = (await db.query(`SELECT id FROM workspaces WHERE name = 'Demo workspace'`)).rows;
  const [{ staged, scored }] = (
    await db.query(
      `SELECT (SELECT count(*)::int FROM profile_stages WHERE workspace_id = $1) AS staged,
              (SELECT count(*)::int FROM profile_scores WHERE workspace_id = $1) AS scored`,
      [workspaceId],
    )
  ).rows;
  if (staged < 50 || scored < 50) {
    const [settings] = (
      await db.query(`SELECT stages FROM intelligence_settings WHERE workspace_id = $1`, [workspaceId])
    ).rows;
    let stages = ((settings?.stages ?? []) as { key?: string }[])
      .map((s) => s.key)
      .filter(Boolean) as string[];
    // No settings row yet: the workspace runs on the default stages (and goal, Trial Started), which the
    // journeys and model tests rely on too — never overwrite them here.
    if (stages.length < 3) stages = ['aware', 'engaged', 'evaluation', 'purchase_intent'];
    await seedFixture(stages);
    seeded = true;
  }
  // Rebuild the summary on the next read, whatever it held before.
  await db.query(`DELETE FROM insights_refresh WHERE workspace_id = $1`, [workspaceId]);
}, 180_000);

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
      const behaviours = await text(page.getByTestId('overview-behaviours'));
      if (seeded) expect(behaviours).toMatch(/converted [\d.]+× more often \(95% CI/);
      else expect(behaviours).toMatch(/converted|No touchpoint stands out|horizon|goal/);
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
        if (seeded || (await page.getByTestId('moment-finding').count()) > 0) {
          const finding = page.getByTestId('moment-finding').first();
          await finding.waitFor();
          expect(await text(finding)).toMatch(
            /^Prospects who .+ converted ([\d.]+× more|\d+% less) often \(95% CI [\d.]+–[\d.]+%?, n = [\d,]+\)\.$/,
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

        // A filter narrows every number and is kept across tabs.
        await page.getByLabel('Plan').selectOption('Pro');
        await page.waitForURL(/plan=Pro/);
        await page.getByTestId('insights-tab-funnel').click();
        await page.waitForURL(/\/funnel\?.*plan=Pro/);
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
