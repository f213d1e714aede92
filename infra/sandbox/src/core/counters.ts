/**
 * What an emulator received: every request is recorded with its route pattern (as registered, e.g.
 * `/crm/v3/objects/:objectType`), its concrete path and the status it was answered with, so a test
 * can assert "the client retried once after the 429" or "the connector made exactly 3 queryMore calls".
 */

export interface RequestRecord {
  /** Sequence number, starting at 1. */
  seq: number;
  at: Date;
  method: string;
  /** The registered route pattern, or `(unmatched)`. */
  route: string;
  /** The concrete path, without the query string. */
  path: string;
  /** The full original URL (path and query string). */
  url: string;
  status: number;
}

/** `${METHOD} ${routePattern}`, e.g. `GET /crm/v3/objects/:objectType`. */
export type RouteKey = string;

export class RequestCounters {
  private readonly log: RequestRecord[] = [];
  private seq = 0;
  private readonly written = new Map<string, number>();

  /**
   * Called by write routes for each record a request changed (batch update, sObject Collections, Bulk 2.0
   * rows, single-record PATCH), so a test can prove every record was written once and none twice.
   */
  recordWrite(object: string, id: string): void {
    const key = `${object}/${id}`;
    this.written.set(key, (this.written.get(key) ?? 0) + 1);
  }

  /** How many times API requests wrote `object`/`id`; without arguments, every record's count. */
  writes(): Map<string, number>;
  writes(object: string, id: string): number;
  writes(object?: string, id?: string): number | Map<string, number> {
    if (object === undefined) return new Map(this.written);
    return this.written.get(`${object}/${id}`) ?? 0;
  }

  /** Records written at least once, and writes beyond the first (duplicates), per object (or all). */
  writeTotals(object?: string): { records: number; writes: number; duplicates: number } {
    let records = 0;
    let writes = 0;
    for (const [key, n] of this.written) {
      if (object !== undefined && !key.startsWith(`${object}/`)) continue;
      records++;
      writes += n;
    }
    return { records, writes, duplicates: writes - records };
  }

  /** Called by the app once a response has been sent. */
  record(entry: Omit<RequestRecord, 'seq'>): void {
    this.log.push({ ...entry, seq: ++this.seq });
  }

  /** Number of requests received in total. */
  get total(): number {
    return this.log.length;
  }

  /**
   * Number of requests for a route key (`'GET /crm/v3/objects/:objectType'`), optionally only those
   * answered with `status`. Without a key, counts every request (with that status).
   */
  count(key?: RouteKey, status?: number): number {
    return this.log.filter(
      (r) =>
        (key === undefined || `${r.method} ${r.route}` === key) &&
        (status === undefined || r.status === status),
    ).length;
  }

  /** Counts per route key. */
  byRoute(): Record<RouteKey, number> {
    const out: Record<RouteKey, number> = {};
    for (const r of this.log) {
      const key = `${r.method} ${r.route}`;
      out[key] = (out[key] ?? 0) + 1;
    }
    return out;
  }

  /** Counts per status code. */
  byStatus(): Record<number, number> {
    const out: Record<number, number> = {};
    for (const r of this.log) out[r.status] = (out[r.status] ?? 0) + 1;
    return out;
  }

  /** The recorded requests, oldest first, optionally filtered. */
  requests(filter?: {
    key?: RouteKey;
    method?: string;
    pathPrefix?: string;
    status?: number;
  }): RequestRecord[] {
    return this.log.filter(
      (r) =>
        (filter?.key === undefined || `${r.method} ${r.route}` === filter.key) &&
        (filter?.method === undefined || r.method === filter.method) &&
        (filter?.pathPrefix === undefined || r.path.startsWith(filter.pathPrefix)) &&
        (filter?.status === undefined || r.status === filter.status),
    );
  }

  reset(): void {
    this.log.length = 0;
    this.written.clear();
  }
}
