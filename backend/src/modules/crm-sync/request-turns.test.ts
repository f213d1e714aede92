import { describe, expect, it } from 'vitest';
import { RequestTurns } from './request-turns';

describe('turns at a request budget', () => {
  it('serves one caller at a time per connection, the slowest lane first, ties in arrival order', async () => {
    const turns = new RequestTurns();
    const served: string[] = [];
    const first = await turns.take('c1', 0);
    const waiting = [
      ['quick', 20],
      ['slow', 70],
      ['quick again', 20],
      ['new lane', 0],
    ].map(([name, priority]) =>
      turns.take('c1', priority as number).then((release) => {
        served.push(name as string);
        return release;
      }),
    );
    await Promise.resolve();
    expect(served).toEqual([]);
    first();
    for (const expected of ['slow', 'quick', 'quick again', 'new lane']) {
      await new Promise((r) => setImmediate(r));
      expect(served.at(-1)).toBe(expected);
      const release = await waiting[['quick', 'slow', 'quick again', 'new lane'].indexOf(expected)]!;
      release();
      release(); // a second call must not hand out a second turn
    }
    expect(served).toEqual(['slow', 'quick', 'quick again', 'new lane']);
  });

  it('keeps connections apart', async () => {
    const turns = new RequestTurns();
    await turns.take('c1', 0);
    let other = false;
    await turns.take('c2', 0).then(() => (other = true));
    expect(other).toBe(true);
  });
});
