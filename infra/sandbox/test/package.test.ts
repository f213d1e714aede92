/** The package entry point (what backend tests import as `@cairn/sandbox`). */
import { describe, expect, it } from 'vitest';
import * as sandbox from '@cairn/sandbox';

describe('@cairn/sandbox entry point', () => {
  it('exports the emulators, the seed generator and the helpers', async () => {
    expect(typeof sandbox.startHubSpotSandbox).toBe('function');
    expect(typeof sandbox.startSalesforceSandbox).toBe('function');
    expect(typeof sandbox.generateSeed).toBe('function');
    expect(typeof sandbox.sendEvents).toBe('function');
    expect(typeof sandbox.completeConsent).toBe('function');
    expect(sandbox.JSFORCE_DEFAULT_VERSION).toBe('50.0');
    const hs = await sandbox.startHubSpotSandbox();
    const sf = await sandbox.startSalesforceSandbox();
    expect(hs.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sf.baseUrl).not.toBe(hs.baseUrl);
    await Promise.all([hs.close(), sf.close()]);
  });
});
