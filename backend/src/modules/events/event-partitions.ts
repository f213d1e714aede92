import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * Events are partitioned by calendar month (UTC). Partitions are made on first use, under an advisory lock so
 * concurrent writers (or API replicas) do not race on the DDL; each process remembers what exists.
 */
@Injectable()
export class EventPartitions {
  private readonly known = new Set<string>();

  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  async ensureFor(timestamps: Date[]): Promise<void> {
    const missing = new Set<string>();
    for (const t of timestamps) {
      const month = monthKey(t);
      if (!this.known.has(month)) missing.add(month);
    }
    for (const month of missing) {
      await this.ds.transaction(async (em) => {
        await em.query(`SELECT pg_advisory_xact_lock(hashtext('cairn.events.partition'))`);
        const [y, m] = month.split('-').map(Number) as [number, number];
        const from = new Date(Date.UTC(y, m - 1, 1)).toISOString();
        const to = new Date(Date.UTC(y, m, 1)).toISOString();
        await em.query(
          `CREATE TABLE IF NOT EXISTS events_${y}_${String(m).padStart(2, '0')} PARTITION OF events FOR VALUES FROM ('${from}') TO ('${to}')`,
        );
      });
      this.known.add(month);
    }
  }
}

function monthKey(t: Date): string {
  return `${t.getUTCFullYear()}-${t.getUTCMonth() + 1}`;
}
