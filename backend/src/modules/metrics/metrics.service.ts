import { Inject, Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { ResolutionRepository } from '../events/resolution.repository';

type InboxState = Awaited<ReturnType<ResolutionRepository['waitingOverall']>>;

const INBOX_GAUGES: [keyof InboxState, string, string][] = [
  ['events', 'cairn_event_inbox_events', 'Events acknowledged and not yet resolved into profiles and events'],
  ['lagSeconds', 'cairn_event_inbox_lag_seconds', 'Age of the oldest acknowledged event not yet resolved'],
];

@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'cairn_http_request_duration_seconds',
    help: 'HTTP request duration by route template',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor(@Inject(ResolutionRepository) private readonly resolution: ResolutionRepository) {
    collectDefaultMetrics({ register: this.registry, prefix: 'cairn_' });
    // Read at scrape time, so every API process reports the shared inbox as it is; one query serves both.
    let inbox: Promise<InboxState> | undefined;
    const read = () => (inbox ??= this.resolution.waitingOverall().finally(() => (inbox = undefined)));
    for (const [field, name, help] of INBOX_GAUGES) {
      new Gauge({
        name,
        help,
        registers: [this.registry],
        async collect() {
          this.set((await read())[field]);
        },
      });
    }
  }

  /** Times every request, refused ones included, by route template (URLs would explode label cardinality). */
  readonly middleware = (req: Request, res: Response, next: NextFunction): void => {
    const end = this.httpDuration.startTimer({ method: req.method });
    res.once('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path;
      end({ route: route ? `${req.baseUrl}${route}` : 'unmatched', status: String(res.statusCode) });
    });
    next();
  };
}
