import { Worker } from '@temporalio/worker';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, inject } from 'vitest';

const HISTORIES = join(__dirname, '../fixtures/histories');

/**
 * Histories recorded from real runs (CAIRN_RECORD_HISTORIES=1) replayed against today's workflow code: a
 * change that would break running workflows fails here, before it ships.
 */
describe('replay of committed histories', async () => {
  const files = (await readdir(HISTORIES)).filter((f) => f.endsWith('.json'));

  it('has histories to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    it(`replays ${file} deterministically`, async () => {
      const history = JSON.parse(await readFile(join(HISTORIES, file), 'utf8'));
      await expect(
        Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, history),
      ).resolves.toBeUndefined();
    });
  }
});
