import { defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';

type RetryInterceptor = ReturnType<typeof makeGrpcRetryInterceptor>;

/**
 * Temporal's client retries a failed call on a timer. If the connection is closed while a retry waits, the timer
 * still fires and the retry throws "Channel has been shut down" as an uncaught exception, outside any promise the
 * caller could catch. So once closing, no new retry is scheduled, and the connection is closed only after the
 * last retry already scheduled has started.
 */
export class ClosableRetries {
  readonly interceptor: RetryInterceptor;
  private closing = false;
  private lastRetryAt = 0;

  constructor() {
    const defaults = defaultGrpcRetryOptions();
    this.interceptor = makeGrpcRetryInterceptor({
      retryableDecider: (attempt, status) => !this.closing && defaults.retryableDecider(attempt, status),
      delayFunction: (attempt, status) => {
        const delay = defaults.delayFunction(attempt, status);
        this.lastRetryAt = Math.max(this.lastRetryAt, Date.now() + delay);
        return delay;
      },
    });
  }

  /** Refuses further retries and resolves once every retry already on a timer has gone out. */
  async close(): Promise<void> {
    this.closing = true;
    const wait = this.lastRetryAt - Date.now();
    // A few milliseconds past the due time: the retry's own timer must have run first.
    if (wait > -5) await new Promise((resolve) => setTimeout(resolve, wait + 5));
  }
}
