/**
 * The provider-neutral shape of what a pull brings back, and the per-stream cursor. Plain types and
 * functions: the pullers produce them, the repository stores them.
 */

export type CrmProvider = 'hubspot' | 'salesforce';
export type SyncKind = 'full' | 'incremental';

/** What a record is to Cairn, whatever the CRM calls it. */
export type RecordRole = 'person' | 'company' | 'deal' | 'email' | 'link';

export interface CrmRecord {
  objectType: string;
  externalId: string;
  role: RecordRole;
  properties: Record<string, unknown>;
  remoteUpdatedAt: Date | null;
  archived: boolean;
  createdAt: Date | null;
  /** People: the address that finds (or founds) their profile. */
  email?: string | null;
  /** Companies: the web domain that finds (or founds) the account. */
  domain?: string | null;
  name?: string | null;
  deal?: {
    stage: string | null;
    amount: number | null;
    ownerId: string | null;
    closeDate: string | null;
    /** When the deal entered its stage; `exact` when the CRM says so, else the change time Cairn first saw. */
    stageEnteredAt: Date | null;
    exact: boolean;
  };
}

export interface CrmAssociation {
  fromType: string;
  fromId: string;
  toType: string;
  toId: string;
  label: string | null;
}

/** Where one stream stands: `cursor` is the high-water mark of completed passes, the rest the pass in progress. */
export interface StreamState {
  cursor: Date | null;
  after: string | null;
  windowFrom: Date | null;
  maxSeen: Date | null;
}

export interface PulledPage {
  records: CrmRecord[];
  associations: CrmAssociation[];
  /** External ids of the stream's object type the CRM reports deleted/archived. */
  deletions: { objectType: string; externalIds: string[] };
  next: StreamState;
  /** The stream's pass is complete (next.cursor is the new high-water mark). */
  finished: boolean;
}

/** Records modified this long before the cursor are read again: clocks and commit order are not exact. */
export const LOOK_BACK_MS = 10 * 60_000;

export const emptyState = (): StreamState => ({ cursor: null, after: null, windowFrom: null, maxSeen: null });

export function later(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a.getTime() >= b.getTime() ? a : b;
}

/** Parses CRM date-times, including Salesforce's `+0000` offsets. */
export function parseCrmDate(v: unknown): Date | null {
  if (v === null || v === undefined || v === '') return null;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v;
  const s = String(v).replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const d = new Date(/^\d+$/.test(s) ? Number(s) : s);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function domainOf(v: unknown): string | null {
  if (typeof v !== 'string' || !v.trim()) return null;
  try {
    const s = v.trim();
    return new URL(s.includes('://') ? s : `https://${s}`).hostname.replace(/^www\./, '').toLowerCase();
  } catch {
    return null;
  }
}

export function normaliseEmail(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const e = v.trim().toLowerCase();
  return e.includes('@') ? e : null;
}

export function numberOrNull(v: unknown): number | null {
  if (v === null || v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/** The CRM said to slow down: try the same page again after `retryAfterMs`. */
export class RateLimitedError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
    this.name = 'RateLimitedError';
  }
}

/** The CRM refused the session: refresh the token once and try again. */
export class SessionExpiredError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SessionExpiredError';
  }
}
