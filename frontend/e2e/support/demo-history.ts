/**
 * The demo workspace's behaviour history loads in the background once the stack is up (events through the
 * tracking API, scoring replayed at historical times, a first model trained). Tests that read it, or that must
 * not see it arrive half-way, wait for it here; it costs nothing once it is in.
 */
import { readFile } from 'node:fs/promises';
import { inject } from 'vitest';

/** What the loader reports (backend/src/modules/demo/demo-history.ts). */
export interface DemoHistoryFigures {
  events: number;
  people: number;
  transitions: number;
  seconds: number;
  model: { outcome: string; message: string; version: number | null; riskAuc: number | null };
}

const file = inject('demoHistoryFile');

export async function demoHistoryLoaded(timeoutMs = 180_000): Promise<DemoHistoryFigures> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const state = await readFile(file, 'utf8')
      .then((raw) => JSON.parse(raw) as { result?: DemoHistoryFigures | null; error?: string })
      .catch(() => null); // not written yet
    if (state) {
      if (state.error !== undefined) throw new Error(`the demo history did not load: ${state.error}`);
      if (!state.result) throw new Error('the demo history was already there: the e2e stack is not fresh');
      return state.result;
    }
    if (Date.now() > end) throw new Error(`the demo history did not load within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
