import { setTimeout as sleep } from 'node:timers/promises';

/** Polls until `check` gives something truthy, and returns it; throws after `ms`. */
export async function until<T>(check: () => Promise<T>, ms = 30_000, every = 100): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > end) throw new Error(`not reached within ${ms} ms`);
    await sleep(every);
  }
}
