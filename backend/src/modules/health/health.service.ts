import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TemporalService } from '../temporal/temporal.module';

export interface Check {
  ok: boolean;
  latencyMs: number;
  error?: string;
}

@Injectable()
export class HealthService {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(TemporalService) private readonly temporal: TemporalService,
  ) {}

  async readiness(): Promise<{ ok: boolean; checks: Record<'postgres' | 'temporal', Check> }> {
    const [postgres, temporal] = await Promise.all([
      timed(() => this.ds.query('SELECT 1')),
      timed(() => this.temporal.check()),
    ]);
    return { ok: postgres.ok && temporal.ok, checks: { postgres, temporal } };
  }
}

async function timed(probe: () => Promise<unknown>, timeoutMs = 3000): Promise<Check> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (e) {
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: (e as Error).message };
  } finally {
    clearTimeout(timer);
  }
}
