/**
 * The model and stages page end to end: a marketer sees the journey stages with how many people are in each,
 * renames one and saves it, and starts a retraining that runs as a Temporal workflow in the worker and reports
 * how it ended. A sales user cannot open the page.
 */
import { describe, expect, it } from 'vitest';
import { demo, nav, signIn, text, useBrowser, withPage } from './support/browser';

useBrowser();

describe('model and stages', () => {
  it('a marketer edits a stage, retrains, and reads how the run ended', { timeout: 150_000 }, async () => {
    await withPage('model-marketer', async (page) => {
      const workspaceId = await signIn(page, demo.marketer, demo.password);
      await nav(page, 'Settings');
      await page.getByTestId('settings-model-link').click();
      await page.waitForURL(`**/w/${workspaceId}/settings/model`);

      const stages = page.getByTestId('stages-editor');
      await expect.poll(() => stages.locator('li[data-testid^="stage-"]').count()).toBe(4);
      const evaluation = page.getByTestId('stage-evaluation');
      expect(await text(evaluation)).toMatch(/\d+ people now/);
      await evaluation.getByLabel('Name').fill('Evaluating');
      await page.getByTestId('save-stages').click();
      await expect.poll(() => text(stages.getByRole('status'))).toMatch(/Saved/);
      await page.reload();
      await expect
        .poll(() => page.getByTestId('stage-evaluation').getByLabel('Name').inputValue())
        .toBe('Evaluating');

      const card = page.getByTestId('model-card');
      await card.getByTestId('retrain-now').click();
      // The worker runs the workflow; the card polls until the run has finished, one way or the other.
      await expect
        .poll(() => text(card.getByTestId('last-retrain')), { timeout: 120_000, interval: 1_000 })
        .toMatch(/^Last run: (v\d+: |No new version: )/);
      // Put the name back for other tests.
      await page.getByTestId('stage-evaluation').getByLabel('Name').fill('Evaluation');
      await page.getByTestId('save-stages').click();
      await expect.poll(() => text(stages.getByRole('status'))).toMatch(/Saved/);
    });
  });

  it('a sales user has no access', async () => {
    await withPage('model-sales', async (page) => {
      const workspaceId = await signIn(page, demo.sales, demo.password);
      await page.goto(page.url().replace(/\/prospects$/, '/settings/model'));
      await expect.poll(() => text(page.locator('main'))).toMatch(/access/i);
      expect(page.url()).toContain(workspaceId);
    });
  });
});
