interface Waiter {
  priority: number;
  order: number;
  grant: (release: () => void) => void;
}

/**
 * Turns at a connection's request budget for the lanes of this process: one reservation at a time, and when
 * several lanes wait, the one with the highest priority goes first (ties in arrival order).
 *
 * Why: the budget hands out slots in the order they are asked for, so lanes pulled side by side share it evenly.
 * A lane whose pages take longer to commit than a slot lasts cannot use the whole budget on its own; if it waits
 * its turn while a quicker lane takes every other slot, the quick lane finishes first and the slow one then runs
 * alone, below the budget. Serving the slowest lane first lets it go at its own pace from the start while the
 * quicker lanes fill the slots it leaves, so the phase ends when the budget, not one lane's commits, says so.
 */
export class RequestTurns {
  private readonly busy = new Set<string>();
  private readonly waiting = new Map<string, Waiter[]>();
  private arrivals = 0;

  /** Resolves when it is this caller's turn at the connection's budget; call the returned function when done. */
  take(connectionId: string, priority: number): Promise<() => void> {
    return new Promise((grant) => {
      const queue = this.waiting.get(connectionId) ?? [];
      queue.push({ priority, order: this.arrivals++, grant });
      this.waiting.set(connectionId, queue);
      this.next(connectionId);
    });
  }

  private next(connectionId: string): void {
    if (this.busy.has(connectionId)) return;
    const queue = this.waiting.get(connectionId);
    if (!queue?.length) {
      this.waiting.delete(connectionId);
      return;
    }
    let best = 0;
    for (let i = 1; i < queue.length; i++) {
      const w = queue[i]!;
      const b = queue[best]!;
      if (w.priority > b.priority || (w.priority === b.priority && w.order < b.order)) best = i;
    }
    const [waiter] = queue.splice(best, 1);
    this.busy.add(connectionId);
    let released = false;
    waiter!.grant(() => {
      if (released) return;
      released = true;
      this.busy.delete(connectionId);
      this.next(connectionId);
    });
  }
}
