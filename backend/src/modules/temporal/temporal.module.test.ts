import { afterEach, describe, expect, it } from 'vitest';
import type { CairnConfig } from '../../config/config';
import { TemporalService } from './temporal.module';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('TemporalService shutdown', () => {
  const uncaught: Error[] = [];
  const record = (e: Error) => uncaught.push(e);
  afterEach(() => {
    process.off('uncaughtException', record);
  });

  it('closes while a call to an unreachable Temporal waits to retry, without a stray exception', async () => {
    process.on('uncaughtException', record);
    // Nothing listens on port 1: every attempt fails at once and the client schedules a retry on a timer.
    const config = { temporal: { address: '127.0.0.1:1', namespace: 'default' } } as CairnConfig;
    const service = new TemporalService(config);
    const call = service.client.workflow.start('anything', { taskQueue: 'q', workflowId: 'w' }).then(
      () => 'started',
      (e: Error) => e.message,
    );
    await sleep(600); // a few attempts in: the next retry is on a timer now

    await service.onApplicationShutdown();
    // The retry that was waiting (≤ ~1 s at this attempt) has fired by now; on a closed channel it would throw
    // outside the call and leave the call pending for ever.
    const outcome = await Promise.race([call, sleep(2_000).then(() => 'still pending')]);
    expect(outcome).toBe('Failed to start Workflow');
    expect(uncaught.map((e) => e.message)).toEqual([]);
  }, 10_000);
});
