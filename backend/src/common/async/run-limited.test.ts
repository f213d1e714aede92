import { describe, expect, it } from 'vitest';
import { runLimited } from './run-limited';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('runLimited', () => {
  it('runs every item, never more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const run = await runLimited([1, 2, 3, 4, 5, 6, 7], 3, async () => {
      most = Math.max(most, ++running);
      await tick();
      running--;
    });
    expect(run.failure).toBeNull();
    expect([...run.done].sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(most).toBe(3);
  });

  it('starts nothing after a failure, lets the running items finish, and reports the first failure', async () => {
    const started: number[] = [];
    let running = 0;
    const run = await runLimited([1, 2, 3, 4, 5, 6], 2, async (n) => {
      started.push(n);
      running++;
      await tick();
      running--;
      if (n === 2) throw new Error('two failed');
    });
    expect(running).toBe(0);
    expect((run.failure?.error as Error).message).toBe('two failed');
    expect(run.done).toEqual([1, 3]);
    expect(started).toEqual([1, 2, 3]);
  });
});
