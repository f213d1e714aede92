/**
 * Everything one Salesforce emulator instance holds: the org, its users, sObject metadata (with
 * custom fields added through the Tooling API), records (deleted ones stay, flagged, for queryAll and
 * the replication endpoints), OAuth apps/codes/sessions, query cursors, Bulk API 2.0 jobs and the
 * daily API request counter.
 */
import { createHmac } from 'node:crypto';
import { type Rng } from '../core/random';
import { makeId } from './ids';
import { type SfField, type SfObjectDef, OPPORTUNITY_STAGES, standardObjects } from './schema';
import { type SfValue, type SoqlRecord, type SoqlSource, parseSfDateTime, sfDateTime } from './soql';

export type { SfValue } from './soql';

export interface SfRecord extends SoqlRecord {
  id: string;
  type: string;
  fields: Record<string, SfValue>;
}

export interface SfConnectedApp {
  name: string;
  clientId: string;
  clientSecret: string;
  /** Accepted callback URLs; empty accepts any http(s) URL. */
  redirectUris: string[];
  /** Refuse authorization requests without a code_challenge (Salesforce: "Require PKCE"). */
  requirePkce: boolean;
  /** Issue a new refresh token on every refresh (Salesforce: refresh token rotation). */
  rotateRefreshTokens: boolean;
}

export interface SfSession {
  token: string;
  userId: string;
  clientId: string;
  issuedAt: number;
  expiresAt: number;
  revoked: boolean;
  refreshToken?: string;
}

export interface SfRefreshToken {
  token: string;
  userId: string;
  clientId: string;
  scope: string;
  revoked: boolean;
}

export interface SfAuthCode {
  code: string;
  clientId: string;
  redirectUri: string;
  codeChallenge?: string;
  scope: string;
  userId: string;
  expiresAt: number;
  used: boolean;
}

export interface SfConsentTicket {
  id: string;
  clientId: string;
  redirectUri: string;
  codeChallenge?: string;
  scope: string;
  state?: string;
}

export interface SfCursor {
  id: string;
  userId: string;
  records: Array<Record<string, unknown>>;
  totalSize: number;
  batchSize: number;
  lastUsed: number;
}

export interface SfDeletedEntry {
  id: string;
  type: string;
  deletedDate: number;
}

export interface SalesforceStoreOptions {
  rng: Rng;
  now?: () => number;
  /** Daily API request allowance (Sforce-Limit-Info). */
  dailyApiLimit?: number;
  /** Session lifetime in seconds (Salesforce default: 2 hours). */
  sessionTimeoutSeconds?: number;
}

const POD = '5g';

export class SalesforceStore implements SoqlSource {
  readonly orgId: string;
  /** The integration user every OAuth grant acts as. */
  readonly userId: string;
  readonly username = 'integration@cairn-sandbox.example';
  readonly objects: Map<string, SfObjectDef>;
  private readonly lowerNames = new Map<string, string>();
  private readonly data = new Map<string, Map<string, SfRecord>>();
  /** 15-character id → record, across all types. */
  private readonly index = new Map<string, SfRecord>();
  readonly deletedLog: SfDeletedEntry[] = [];
  private readonly counters = new Map<string, number>();
  private readonly clock: () => number;
  readonly rng: Rng;

  readonly apps = new Map<string, SfConnectedApp>();
  readonly sessions = new Map<string, SfSession>();
  readonly refreshTokens = new Map<string, SfRefreshToken>();
  readonly authCodes = new Map<string, SfAuthCode>();
  readonly consentTickets = new Map<string, SfConsentTicket>();
  readonly cursors = new Map<string, SfCursor>();
  /** Custom fields created through the Tooling API, by id. */
  readonly customFields = new Map<string, SfRecord>();

  apiUsage: { used: number; limit: number };
  sessionTimeoutSeconds: number;

  constructor(options: SalesforceStoreOptions) {
    this.rng = options.rng;
    this.clock = options.now ?? Date.now;
    this.apiUsage = { used: 0, limit: options.dailyApiLimit ?? 100_000 };
    this.sessionTimeoutSeconds = options.sessionTimeoutSeconds ?? 7200;
    this.objects = standardObjects();
    for (const name of this.objects.keys()) {
      this.lowerNames.set(name.toLowerCase(), name);
      this.data.set(name, new Map());
    }
    this.orgId = makeId('00D', POD, 4242);
    this.userId = this.insert('User', {
      Username: this.username,
      FirstName: 'Integration',
      LastName: 'User',
      Email: this.username,
      Alias: 'integ',
      IsActive: true,
    }).id;
  }

  now(): number {
    return this.clock();
  }

  nextId(prefix: string): string {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    return makeId(prefix, POD, 1_000_000 + n * 7);
  }

  // ---------------------------------------------------------------- metadata

  object(name: string): SfObjectDef | undefined {
    const canonical = this.lowerNames.get(name.toLowerCase());
    return canonical ? this.objects.get(canonical) : undefined;
  }

  field(def: SfObjectDef, name: string): SfField | undefined {
    const exact = def.fields.get(name);
    if (exact) return exact;
    const lower = name.toLowerCase();
    for (const f of def.fields.values()) if (f.name.toLowerCase() === lower) return f;
    return undefined;
  }

  addCustomField(objectName: string, field: SfField): void {
    const def = this.object(objectName);
    if (!def) throw new Error(`unknown sObject ${objectName}`);
    def.fields.set(field.name, field);
  }

  // ---------------------------------------------------------------- records

  rows(def: SfObjectDef, includeDeleted: boolean): SfRecord[] {
    const all = [...(this.data.get(def.name)?.values() ?? [])];
    return includeDeleted ? all : all.filter((r) => r.fields.IsDeleted !== true);
  }

  /** Live records of a type (and deleted ones when asked). */
  all(type: string, options: { includeDeleted?: boolean } = {}): SfRecord[] {
    const def = this.object(type);
    return def ? this.rows(def, options.includeDeleted ?? false) : [];
  }

  count(type: string): number {
    return this.all(type).length;
  }

  byId(id: string): SfRecord | undefined {
    return this.index.get(id.slice(0, 15));
  }

  /** A live record of the given type. */
  get(type: string, id: string, options: { includeDeleted?: boolean } = {}): SfRecord | undefined {
    const r = this.byId(id);
    if (!r || r.type !== this.object(type)?.name) return undefined;
    if (r.fields.IsDeleted === true && !options.includeDeleted) return undefined;
    return r;
  }

  /** The sObject type an id belongs to (from its key prefix). */
  typeOfId(id: string): string | undefined {
    const prefix = id.slice(0, 3);
    for (const def of this.objects.values()) if (def.keyPrefix === prefix) return def.name;
    return undefined;
  }

  /**
   * Inserts a record with canonical field names and already-coerced values (the HTTP layer validates).
   * System fields, defaults and derived fields (Name, Opportunity stage flags, Task IsClosed) are set here.
   */
  insert(
    type: string,
    values: Record<string, SfValue>,
    options: { createdAt?: number | string | Date; userId?: string } = {},
  ): SfRecord {
    const def = this.object(type);
    if (!def) throw new Error(`unknown sObject ${type}`);
    const at = options.createdAt === undefined ? this.now() : new Date(options.createdAt).getTime();
    const userId = options.userId ?? this.userId ?? '';
    const id = this.nextId(def.keyPrefix);
    const fields: Record<string, SfValue> = {};
    for (const f of def.fields.values()) {
      if (f.defaultValue !== null && f.defaultedOnCreate) fields[f.name] = f.defaultValue;
      else if (f.type === 'boolean') fields[f.name] = false;
    }
    Object.assign(fields, values);
    fields.Id = id;
    fields.IsDeleted = false;
    fields.CreatedDate = sfDateTime(at);
    fields.LastModifiedDate = sfDateTime(at);
    fields.SystemModstamp = sfDateTime(at);
    fields.CreatedById = userId || id;
    fields.LastModifiedById = userId || id;
    if (def.hasOwner && !fields.OwnerId) fields.OwnerId = userId;
    const record: SfRecord = { id, type: def.name, fields };
    this.derive(record, undefined, at);
    this.data.get(def.name)?.set(id, record);
    this.index.set(id.slice(0, 15), record);
    return record;
  }

  update(
    type: string,
    id: string,
    values: Record<string, SfValue>,
    options: { at?: number | string | Date; userId?: string } = {},
  ): SfRecord {
    const record = this.get(type, id);
    if (!record) throw new Error(`no ${type} ${id}`);
    const at = options.at === undefined ? this.now() : new Date(options.at).getTime();
    const before = { ...record.fields };
    Object.assign(record.fields, values);
    this.derive(record, before, at);
    record.fields.LastModifiedDate = sfDateTime(at);
    record.fields.SystemModstamp = sfDateTime(at);
    record.fields.LastModifiedById = options.userId ?? this.userId;
    return record;
  }

  delete(type: string, id: string, options: { at?: number | string | Date } = {}): boolean {
    const record = this.get(type, id);
    if (!record) return false;
    const at = options.at === undefined ? this.now() : new Date(options.at).getTime();
    record.fields.IsDeleted = true;
    record.fields.SystemModstamp = sfDateTime(at);
    this.deletedLog.push({ id: record.id, type: record.type, deletedDate: at });
    return true;
  }

  private derive(record: SfRecord, before: Record<string, SfValue> | undefined, at: number): void {
    const f = record.fields;
    if (record.type === 'Contact' || record.type === 'Lead' || record.type === 'User') {
      f.Name = [f.FirstName, f.LastName].filter((x) => typeof x === 'string' && x !== '').join(' ') || null;
    }
    if (record.type === 'Opportunity') {
      const stage = OPPORTUNITY_STAGES.find((s) => s.name === f.StageName);
      if (stage) {
        f.IsClosed = stage.closed;
        f.IsWon = stage.won;
        const stageChanged = !before || before.StageName !== f.StageName;
        const probabilityGiven = before
          ? before.Probability !== f.Probability
          : f.Probability !== null && f.Probability !== undefined;
        if (stageChanged && !probabilityGiven) f.Probability = stage.probability;
        if (stageChanged)
          f.ForecastCategoryName = stage.won ? 'Closed' : stage.closed ? 'Omitted' : 'Pipeline';
      }
    }
    if (record.type === 'Task') {
      const closed = f.Status === 'Completed';
      f.IsClosed = closed;
      if (closed && !f.CompletedDateTime) f.CompletedDateTime = sfDateTime(at);
    }
  }

  /** Ids of records whose SystemModstamp is within [start, end) (deleted ones excluded). */
  updatedBetween(type: string, start: number, end: number): string[] {
    return this.all(type)
      .filter((r) => {
        const t = parseSfDateTime(String(r.fields.SystemModstamp));
        return t >= start && t < end;
      })
      .map((r) => r.id);
  }

  deletedBetween(type: string, start: number, end: number): SfDeletedEntry[] {
    const def = this.object(type);
    return this.deletedLog.filter(
      (d) => d.type === def?.name && d.deletedDate >= start && d.deletedDate < end,
    );
  }

  // ---------------------------------------------------------------- OAuth

  registerApp(app: Partial<SfConnectedApp> = {}): SfConnectedApp {
    const full: SfConnectedApp = {
      name: app.name ?? 'Cairn',
      clientId: app.clientId ?? `3MVG9${this.rng.alphanumeric(80)}`,
      clientSecret: app.clientSecret ?? this.rng.hex(64).toUpperCase(),
      redirectUris: app.redirectUris ?? [],
      requirePkce: app.requirePkce ?? true,
      rotateRefreshTokens: app.rotateRefreshTokens ?? false,
    };
    this.apps.set(full.clientId, full);
    return full;
  }

  newAccessToken(): string {
    return `${this.orgId.slice(0, 15)}!AQ${this.rng.alphanumeric(4)}${this.rng.alphanumeric(96)}`;
  }

  newRefreshToken(): string {
    return `5Aep861${this.rng.alphanumeric(80)}`;
  }

  /** Opens a session (access token) for the integration user. */
  openSession(clientId: string, refreshToken?: string): SfSession {
    const issuedAt = this.now();
    const session: SfSession = {
      token: this.newAccessToken(),
      userId: this.userId,
      clientId,
      issuedAt,
      expiresAt: issuedAt + this.sessionTimeoutSeconds * 1000,
      revoked: false,
      ...(refreshToken ? { refreshToken } : {}),
    };
    this.sessions.set(session.token, session);
    return session;
  }

  /** A session token for tests that skip OAuth (no refresh token; expires like any session). */
  createSession(): string {
    return this.openSession('sandbox').token;
  }

  identityUrl(loginUrl: string): string {
    return `${loginUrl}/id/${this.orgId}/${this.userId}`;
  }

  signature(app: SfConnectedApp, id: string, issuedAt: string): string {
    return createHmac('sha256', app.clientSecret)
      .update(id + issuedAt)
      .digest('base64');
  }

  expireSessions(): number {
    const now = this.now();
    let n = 0;
    for (const s of this.sessions.values()) {
      if (!s.revoked && s.expiresAt > now) {
        s.expiresAt = now - 1;
        n++;
      }
    }
    return n;
  }

  revokeRefreshTokens(): number {
    let n = 0;
    for (const r of this.refreshTokens.values()) {
      if (!r.revoked) {
        r.revoked = true;
        n++;
      }
    }
    return n;
  }
}
