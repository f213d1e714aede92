/**
 * The model and stages page end to end: a marketer sees the journey stages with how many people are in each and
 * their conditions in words, renames one, adds a fifth stage (reading the server's reason when it is incomplete),
 * removes it again, and starts a retraining that runs as a Temporal workflow in the worker and reports how it
 * ended. The workspace's stages end as they began (other tests rely on their keys). A sales user cannot open the
 * page.
 */
import { describe, expect, it } from 'vitest';
import { RESULTS_DIR, demo, nav, signIn, text, useBrowser, withPage } from './support/browser';

useBrowser();

const DEFAULT_STAGES = ['aware', 'engaged', 'evaluation', 'purchase_intent'];

describe('model and stages', () => {
  it('a marketer edits the stages, retrains, and reads how the run ended', { timeout: 180_000 }, async () => {
    await withPage('model-marketer', async (page) => {
      const workspaceId = await signIn(page, demo.marketer, demo.password);
      await nav(page, 'Settings');
      await page.getByTestId('settings-model-link').click();
      await page.waitForURL(`**/w/${workspaceId}/settings/model`);

      const stages = page.getByTestId('stages-editor');
      const stageKeys = () =>
        stages
          .locator('li[data-testid^="stage-"]')
          .evaluateAll((els) => els.map((el) => el.getAttribute('data-testid')!.slice('stage-'.length)));
      const saveAndWait = async () => {
        await page.getByTestId('save-stages').click();
        await expect.poll(() => text(stages.getByRole('status'))).toMatch(/^Saved\./);
      };
      await expect.poll(stageKeys).toEqual(DEFAULT_STAGES);

      // Stage sizes, and conditions in words rather than feature keys.
      const evaluation = page.getByTestId('stage-evaluation');
      expect(await text(evaluation)).toMatch(/\d+ (people|person) now/);
      const chosen = await evaluation.locator('select option:checked').allTextContents();
      expect(chosen).toEqual(
        expect.arrayContaining(['Evaluation actions, last 30 days', 'Pricing views, last 30 days']),
      );
      const features = await evaluation
        .getByLabel('Condition 1: behaviour')
        .locator('option')
        .allTextContents();
      expect(features).toEqual(
        expect.arrayContaining(['Days since a pricing view', 'Email opens, last 30 days', 'Open deals']),
      );
      expect(features.filter((f) => f.includes('_'))).toEqual([]);
      // The first stage is where everyone starts: no conditions, and it cannot be removed.
      const aware = page.getByTestId('stage-aware');
      expect(await text(aware)).toMatch(/first stage has no conditions/);
      expect(await aware.getByRole('button', { name: /Remove stage/ }).count()).toBe(0);

      // Discover stages drafts stages from behaviour; using them only changes the draft until Save.
      await stages.getByRole('button', { name: 'Discover stages' }).click();
      const suggestions = page.getByTestId('stage-suggestions');
      await expect
        .poll(() => suggestions.locator('tbody tr').count(), { timeout: 30_000 })
        .toBeGreaterThanOrEqual(3);
      const cells = await suggestions.locator('tbody tr').first().locator('td').allTextContents();
      expect(cells.slice(1, 4)).toEqual([
        expect.stringMatching(/^[\d,]+$/),
        expect.stringMatching(/^\d+%$/),
        expect.stringMatching(/^\d+%$/),
      ]);
      expect(await text(suggestions)).toMatch(/Save applies them/);
      await suggestions.screenshot({ path: `${RESULTS_DIR}model-stage-suggestions.png` });
      await suggestions.getByRole('button', { name: 'Use these stages' }).click();
      expect(await text(stages.getByRole('status'))).toBe('Unsaved changes');
      await stages.getByRole('button', { name: 'Discard changes' }).click();
      await expect.poll(stageKeys).toEqual(DEFAULT_STAGES);
      await suggestions.getByRole('button', { name: 'Dismiss' }).click();
      expect(await suggestions.count()).toBe(0);

      // Rename a stage and add a fifth; the new stage's key follows its name.
      await evaluation.getByLabel('Name').fill('Evaluating');
      await page.getByTestId('add-stage').click();
      await page.getByTestId('stage-new_stage').getByLabel('Name').fill('Ready to buy');
      const ready = page.getByTestId('stage-ready_to_buy');
      expect(await text(ready)).toMatch(/counted once saved/);
      expect(await page.getByTestId('add-stage').isDisabled()).toBe(true);
      expect(await text(stages.getByRole('status'))).toBe('Unsaved changes');

      // Without conditions the API refuses the stage, and the editor says why.
      await ready.getByRole('button', { name: 'Remove condition 1' }).click();
      await page.getByTestId('save-stages').click();
      await expect
        .poll(() => text(stages.getByRole('alert')))
        .toMatch(/Stage 5: "Ready to buy" needs at least one condition/);
      await stages.screenshot({ path: `${RESULTS_DIR}model-stages-error.png` });
      await ready.getByRole('button', { name: 'Add condition' }).click();
      await ready.getByLabel('Condition 1: behaviour').selectOption('intent_purchase_30d');
      // A bar nobody in the demo reaches, so no one is placed in the stage meanwhile.
      await ready.getByLabel('Condition 1: value').fill('999');
      await saveAndWait();
      expect(await stages.getByRole('alert').count()).toBe(0);

      await page.reload();
      await expect.poll(stageKeys).toEqual([...DEFAULT_STAGES, 'ready_to_buy']);
      expect(await page.getByTestId('stage-evaluation').getByLabel('Name').inputValue()).toBe('Evaluating');
      expect(await page.getByTestId('stage-ready_to_buy').getByLabel('Name').inputValue()).toBe(
        'Ready to buy',
      );
      expect(await text(page.getByTestId('stage-ready_to_buy'))).toMatch(/0 people now/);
      expect(
        await page.getByTestId('stage-ready_to_buy').locator('select option:checked').allTextContents(),
      ).toContain('Purchase actions, last 30 days');

      // Remove it again.
      await page.getByTestId('stage-ready_to_buy').getByRole('button', { name: 'Remove stage 5' }).click();
      await expect.poll(stageKeys).toEqual(DEFAULT_STAGES);
      await saveAndWait();
      // Three stages at least: removing down to three disables every remove; discarding brings the fourth back.
      await page.getByTestId('stage-engaged').getByRole('button', { name: 'Remove stage 2' }).click();
      await expect.poll(stageKeys).toEqual(['aware', 'evaluation', 'purchase_intent']);
      const removes = stages.getByRole('button', { name: /Remove stage/ });
      expect(await removes.count()).toBe(2);
      for (const button of await removes.all()) expect(await button.isDisabled()).toBe(true);
      await stages.getByRole('button', { name: 'Discard changes' }).click();
      await expect.poll(stageKeys).toEqual(DEFAULT_STAGES);
      expect(await text(stages.getByRole('status'))).toBe('All changes saved.');

      const card = page.getByTestId('model-card');
      await card.getByTestId('retrain-now').click();
      // The worker runs the workflow; the card polls until the run has finished, one way or the other.
      await expect
        .poll(() => text(card.getByTestId('last-retrain')), { timeout: 120_000, interval: 1_000 })
        .toMatch(/^Last run: (v\d+: |No new version: )/);
      // Put the name back for other tests.
      await page.getByTestId('stage-evaluation').getByLabel('Name').fill('Evaluation');
      await saveAndWait();

      await page.reload();
      await expect.poll(stageKeys).toEqual(DEFAULT_STAGES);
      expect(await page.getByTestId('stage-evaluation').getByLabel('Name').inputValue()).toBe('Evaluation');
      expect(await card.getByTestId('active-model').or(card.getByTestId('no-model')).count()).toBe(1);
      await page.screenshot({ path: `${RESULTS_DIR}model-page.png`, fullPage: true });
      if (await card.getByTestId('active-model').count()) {
        // The same numbers as tables, for anyone who prefers them to charts.
        await card.getByRole('button', { name: 'Tables' }).click();
        expect(await card.getByTestId('threshold-table').locator('tbody tr').count()).toBeGreaterThan(0);
      }
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
