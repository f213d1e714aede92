export interface LimitedRun<T> {
  /** The items whose work succeeded. */
  done: T[];
  /** The first failure; after it no further item was started. */
  failure: { error: unknown } | null;
}

/**
 * Runs `work` on each item, at most `limit` at a time, in the order of the list. After a failure no further
 * item starts, and the ones running finish before this resolves: none is left working behind the caller's back.
 */
export async function runLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<LimitedRun<T>> {
  const run: LimitedRun<T> = { done: [], failure: null };
  let next = 0;
  const lane = async () => {
    while (next < items.length && run.failure === null) {
      const item = items[next++]!;
      try {
        await work(item);
        run.done.push(item);
      } catch (error) {
        run.failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return run;
}
