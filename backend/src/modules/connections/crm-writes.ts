import type { Client as HubSpotClient } from '@hubspot/api-client';
import type { Connection } from 'jsforce';

/** A record the CRM did not take, and what to do about it. */
export interface WriteFailure {
  recordId: string;
  reason: string;
  /** The CRM asked to wait (rate limit, or an unavailable service with `Retry-After`): try again after this. */
  retryAfterMs?: number;
  /** A passing failure (5xx, network, a locked row): try again with back-off. Absent: the CRM refused it. */
  retryable?: boolean;
}

export interface SliceResult {
  written: number;
  failed: WriteFailure[];
}

/** The access token was refused mid-write: refresh it and send the slice again. */
export class WriteSessionExpired extends Error {}

export interface HubSpotInput {
  id: string;
  properties: Record<string, string>;
}

export interface SalesforceInput {
  Id: string;
  [field: string]: string | number | null;
}

/** Waits advised by HubSpot's 429 bodies when no `Retry-After` says otherwise. */
const HUBSPOT_POLICY_WAIT: Record<string, number> = {
  TEN_SECONDLY_ROLLING: 10_000,
  SECONDLY: 1_000,
  DAILY: 3_600_000,
};

/** One HubSpot batch update (≤ 100 inputs): accepted records, per-record errors, or the call's failure. */
export async function hubspotBatch(
  api: HubSpotClient['crm']['contacts']['batchApi'],
  inputs: HubSpotInput[],
): Promise<SliceResult> {
  try {
    const res = await api.update({ inputs });
    const failed: WriteFailure[] = [];
    for (const e of (
      res as { errors?: { message: string; category?: string; context?: { ids?: string[] } }[] }
    ).errors ?? []) {
      for (const id of e.context?.ids ?? []) failed.push({ recordId: id, reason: e.message });
    }
    return { written: res.results.length, failed };
  } catch (e) {
    const failure = hubspotFailure(e);
    return { written: 0, failed: inputs.map((i) => ({ recordId: i.id, ...failure })) };
  }
}

/** Classifies a failed HubSpot call; a refused token becomes `WriteSessionExpired`. */
export function hubspotFailure(e: unknown): Omit<WriteFailure, 'recordId'> {
  const err = e as {
    code?: number;
    body?: { message?: string; policyName?: string };
    headers?: Record<string, string>;
  };
  const reason = `HubSpot: ${err.body?.message ?? (e as Error).message}`;
  const advised = retryAfterMs(err.headers?.['retry-after'] ?? err.headers?.['Retry-After']);
  if (err.code === 401) throw new WriteSessionExpired(reason);
  if (err.code === 429) {
    return { reason, retryAfterMs: advised ?? HUBSPOT_POLICY_WAIT[err.body?.policyName ?? ''] ?? 10_000 };
  }
  if (err.code === undefined || err.code >= 500 || err.code === 408) {
    return advised !== undefined ? { reason, retryAfterMs: advised } : { reason, retryable: true };
  }
  return { reason };
}

/** One sObject Collections update (≤ 200 records of one object). */
export async function salesforceCollection(
  conn: Connection,
  object: string,
  records: SalesforceInput[],
): Promise<SliceResult> {
  try {
    const results = await conn.sobject(object).update(records, { allOrNone: false });
    const failed: WriteFailure[] = [];
    let written = 0;
    results.forEach((r, k) => {
      if (r.success) {
        written++;
        return;
      }
      const errors =
        (r as { errors?: { statusCode?: string; errorCode?: string; message?: string }[] }).errors ?? [];
      const codes = errors.map((x) => x.statusCode ?? x.errorCode ?? '').join(',');
      failed.push({
        recordId: records[k]!.Id,
        reason: `Salesforce: ${errors.map((x) => `${x.statusCode ?? x.errorCode}: ${x.message}`).join('; ') || 'failed'}`,
        ...(/UNABLE_TO_LOCK_ROW|SERVER_UNAVAILABLE/.test(codes) ? { retryable: true } : {}),
      });
    });
    return { written, failed };
  } catch (e) {
    const failure = salesforceFailure(e);
    return { written: 0, failed: records.map((r) => ({ recordId: r.Id, ...failure })) };
  }
}

export interface BulkOptions {
  pollIntervalMs: number;
  pollTimeoutMs: number;
}

/**
 * A Bulk API 2.0 update job for one object: create, upload the CSV, close, poll, read the results. Rows in
 * `failedResults` are refused records; unprocessed or unaccounted rows are passing failures.
 */
export async function salesforceBulk(
  conn: Connection,
  object: string,
  records: SalesforceInput[],
  options: BulkOptions,
): Promise<SliceResult> {
  try {
    const job = conn.bulk2.createJob({ object, operation: 'update', lineEnding: 'LF' });
    await job.open();
    await job.uploadData(toCsv(records));
    await job.close();
    await job.poll(options.pollIntervalMs, options.pollTimeoutMs);
    const res = await job.getAllResults();
    const ok = new Set(res.successfulResults.map((r) => String(r.sf__Id)));
    const refused = new Map(res.failedResults.map((r) => [String(r.sf__Id), String(r.sf__Error)]));
    const failed: WriteFailure[] = [];
    for (const r of records) {
      if (ok.has(r.Id)) continue;
      const error = refused.get(r.Id);
      failed.push(
        error !== undefined
          ? { recordId: r.Id, reason: `Salesforce bulk: ${error}` }
          : { recordId: r.Id, reason: 'Salesforce bulk: not processed', retryable: true },
      );
    }
    return { written: records.length - failed.length, failed };
  } catch (e) {
    const failure = salesforceFailure(e);
    return { written: 0, failed: records.map((r) => ({ recordId: r.Id, ...failure })) };
  }
}

/** Classifies a failed Salesforce call; a refused session becomes `WriteSessionExpired`. */
export function salesforceFailure(e: unknown): Omit<WriteFailure, 'recordId'> {
  const err = e as { errorCode?: string; name?: string; message?: string };
  const code = err.errorCode ?? err.name ?? '';
  const text = `${code} ${err.message ?? ''}`;
  const reason = `Salesforce: ${err.message ?? code}`;
  if (/INVALID_SESSION_ID/.test(text)) throw new WriteSessionExpired(reason);
  if (/REQUEST_LIMIT_EXCEEDED/.test(text)) {
    return { reason, retryAfterMs: /TotalRequests/.test(text) ? 3_600_000 : 5_000 };
  }
  if (
    /SERVER_UNAVAILABLE|UNKNOWN_EXCEPTION|ERROR_HTTP_5\d\d|UNABLE_TO_LOCK_ROW|JobPollingTimeout|timed out|ECONN|ETIMEDOUT|socket|fetch failed/i.test(
      text,
    )
  ) {
    return { reason, retryable: true };
  }
  return { reason };
}

/** `Retry-After` as seconds or an HTTP date, in milliseconds; undefined when absent or unreadable. */
export function retryAfterMs(header: string | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Bulk 2.0 CSV: `#N/A` clears a field (an empty cell would leave it as it is); RFC 4180 quoting. */
export function toCsv(records: SalesforceInput[]): string {
  const header = Object.keys(records[0] ?? { Id: '' });
  const cell = (v: string | number | null | undefined) => {
    if (v === null || v === undefined) return '#N/A';
    const s = String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${[header.join(','), ...records.map((r) => header.map((h) => cell(r[h])).join(','))].join('\n')}\n`;
}
