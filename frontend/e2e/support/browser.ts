/**
 * What every browser test shares: the stack's address and demo users (from the e2e global set-up), one
 * Chromium per test file, a fresh context per test with a screenshot on failure, and the common steps.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, inject } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const webUrl = inject('webUrl').replace(/\/+$/, '');
export const demo = inject('demo');
export const RESULTS_DIR = fileURLToPath(new URL('../../test-results/', import.meta.url));
export const STEP_TIMEOUT = 15_000;

let browser: Browser;

/** Call once at the top of a test file: Debian's Chromium, headless, without background networking. */
export function useBrowser(): void {
  beforeAll(async () => {
    mkdirSync(RESULTS_DIR, { recursive: true });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      timeout: 30_000,
    });
  }, 40_000);
  afterAll(async () => {
    await browser?.close();
  });
}

/** A fresh browser context per test; on failure a screenshot lands in test-results/. */
export async function withPage(name: string, run: (page: Page) => Promise<void>): Promise<void> {
  const context: BrowserContext = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  context.setDefaultTimeout(STEP_TIMEOUT);
  context.setDefaultNavigationTimeout(STEP_TIMEOUT);
  const page = await context.newPage();
  try {
    await run(page);
  } catch (error) {
    await page.screenshot({ path: `${RESULTS_DIR}${name}-failure.png`, fullPage: true }).catch(() => {});
    throw error;
  } finally {
    await context.close();
  }
}

/** Signs in through the form and returns the workspace id the app landed in. */
export async function signIn(page: Page, email: string, password: string): Promise<string> {
  await page.goto(`${webUrl}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/w\/[^/]+\/(journeys|prospects)$/);
  const match = /\/w\/([^/]+)\//.exec(new URL(page.url()).pathname);
  if (!match?.[1]) throw new Error(`not a workspace URL: ${page.url()}`);
  return decodeURIComponent(match[1]);
}

export async function nav(page: Page, label: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label }).click();
}

export async function text(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** Segment's batch call to the web origin's tracking API, authenticated by write key. */
export function postBatch(key: string, batch: unknown[]): Promise<Response> {
  return fetch(`${webUrl}/v1/batch`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`,
    },
    body: JSON.stringify({ batch }),
  });
}
