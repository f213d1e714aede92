import { Inject, Injectable, Logger } from '@nestjs/common';
import { ScoringService } from './scoring.service';

const IDLE_MS = 1_000;

/**
 * Online scoring in the worker: drains the queue ingestion and the CRM pull fill, batch after batch, and
 * sleeps a second when it is empty. Several workers may run it: claims skip each other's locked rows.
 */
@Injectable()
export class ScoringLoop {
  private readonly log = new Logger('ScoringLoop');

  constructor(@Inject(ScoringService) private readonly scoring: ScoringService) {}

  start(): { stop: () => Promise<void> } {
    let running = true;
    let wake: (() => void) | null = null;
    const done = (async () => {
      while (running) {
        let scored = 0;
        try {
          scored = await this.scoring.drainQueue();
        } catch (e) {
          this.log.error(`scoring failed; the batch stays queued: ${(e as Error).message}`);
        }
        if (!scored && running) await new Promise<void>((r) => ((wake = r), setTimeout(r, IDLE_MS)));
      }
    })();
    return {
      stop: async () => {
        running = false;
        (wake as (() => void) | null)?.();
        await done;
      },
    };
  }
}
