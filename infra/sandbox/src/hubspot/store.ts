/**
 * Everything one HubSpot emulator instance holds: CRM records, property definitions and groups,
 * associations, owners, OAuth apps, codes and tokens. Tests read and write it directly to arrange
 * data and to assert on what the "CRM" ended up holding.
 */
import { type Rng } from '../core/random';
import {
  type HsGroupDef,
  type HsObjectType,
  type HsPropertyDef,
  ALL_SCOPES,
  CREATED_PROPERTY,
  DEFAULT_DEAL_STAGES,
  OBJECT_TYPES,
  associationTypeIds,
  builtinGroups,
  builtinProperties,
} from './schema';

export interface HsRecord {
  id: string;
  type: HsObjectType;
  properties: Record<string, string | null>;
  createdAt: Date;
  updatedAt: Date;
  archived: boolean;
  archivedAt?: Date;
  /** Value history per property, newest first (what `propertiesWithHistory` returns). */
  history: Record<string, HsHistoryEntry[]>;
}

export interface HsHistoryEntry {
  value: string | null;
  timestamp: string;
  sourceType: string;
}

export interface HsApp {
  appId: number;
  name: string;
  clientId: string;
  clientSecret: string;
  /** Accepted redirect URIs; empty means any http(s) URI is accepted. */
  redirectUris: string[];
  /** Scopes the app may request. */
  scopes: string[];
}

export interface HsAccessToken {
  token: string;
  kind: 'oauth' | 'private';
  appId: number;
  clientId?: string;
  hubId: number;
  userId: number;
  user: string;
  scopes: string[];
  issuedAt: number;
  expiresAt: number;
  refreshToken?: string;
}

export interface HsRefreshToken {
  token: string;
  appId: number;
  clientId: string;
  hubId: number;
  userId: number;
  user: string;
  scopes: string[];
  revoked: boolean;
}

export interface HsAuthCode {
  code: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  expiresAt: number;
  used: boolean;
}

export interface HsConsentTicket {
  id: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state?: string;
}

export interface HsOwner {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  userId: number;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

export interface HsAssociationType {
  category: 'HUBSPOT_DEFINED' | 'USER_DEFINED';
  typeId: number;
  label: string | null;
}

export interface HubSpotStoreOptions {
  rng: Rng;
  hubId?: number;
  hubDomain?: string;
  /** Clock in epoch ms; tests may freeze or advance it. */
  now?: () => number;
  /** Lifetime of access tokens in seconds (HubSpot: 1800). */
  accessTokenTtlSeconds?: number;
}

const FIRST_ID: Record<HsObjectType, number> = {
  contacts: 101,
  companies: 5001,
  deals: 9001,
  emails: 30001,
  tasks: 60001,
};

export class HubSpotStore {
  readonly hubId: number;
  readonly hubDomain: string;
  readonly userId = 7000001;
  readonly user = 'admin@cairn-sandbox.example';
  accessTokenTtlSeconds: number;
  private readonly clock: () => number;
  private readonly rng: Rng;

  private readonly records: Record<HsObjectType, Map<string, HsRecord>>;
  private readonly nextId: Record<HsObjectType, number>;
  private readonly props: Record<HsObjectType, Map<string, HsPropertyDef>>;
  private readonly groupDefs: Record<HsObjectType, Map<string, HsGroupDef>>;
  /** `${fromType}:${fromId}` → `${toType}:${toId}` → association types. */
  private readonly assoc = new Map<string, Map<string, HsAssociationType[]>>();

  readonly owners: HsOwner[] = [];
  readonly apps = new Map<string, HsApp>();
  readonly accessTokens = new Map<string, HsAccessToken>();
  readonly refreshTokens = new Map<string, HsRefreshToken>();
  readonly authCodes = new Map<string, HsAuthCode>();
  readonly consentTickets = new Map<string, HsConsentTicket>();

  constructor(options: HubSpotStoreOptions) {
    this.rng = options.rng;
    this.clock = options.now ?? Date.now;
    this.hubId = options.hubId ?? 24681357;
    this.hubDomain = options.hubDomain ?? 'cairn-sandbox.hubspot.com';
    this.accessTokenTtlSeconds = options.accessTokenTtlSeconds ?? 1800;
    this.records = {
      contacts: new Map(),
      companies: new Map(),
      deals: new Map(),
      emails: new Map(),
      tasks: new Map(),
    };
    this.nextId = { ...FIRST_ID };
    this.props = {} as Record<HsObjectType, Map<string, HsPropertyDef>>;
    this.groupDefs = {} as Record<HsObjectType, Map<string, HsGroupDef>>;
    for (const t of OBJECT_TYPES) {
      this.props[t] = new Map(builtinProperties(t).map((p) => [p.name, p]));
      this.groupDefs[t] = new Map(builtinGroups(t).map((g) => [g.name, g]));
    }
  }

  now(): Date {
    return new Date(this.clock());
  }

  nowMs(): number {
    return this.clock();
  }

  /** A correlation id for error bodies (seeded). */
  correlationId(): string {
    return this.rng.uuid();
  }

  randomToken(kind: 'access' | 'refresh' | 'code' | 'ticket' | 'private'): string {
    switch (kind) {
      case 'access':
        return `C${this.rng.alphanumeric(23)}-${this.rng.alphanumeric(40)}_${this.rng.alphanumeric(48)}`;
      case 'refresh':
        return `na1-${this.rng.hex(4)}-${this.rng.hex(4)}-${this.rng.hex(4)}-${this.rng.hex(4)}-${this.rng.hex(12)}`;
      case 'private':
        return `pat-na1-${this.rng.uuid()}`;
      case 'code':
        return `na1-${this.rng.uuid()}`;
      case 'ticket':
        return this.rng.alphanumeric(32);
    }
  }

  // ------------------------------------------------------------------ apps and tokens

  registerApp(app: Partial<HsApp> & { clientId?: string; clientSecret?: string } = {}): HsApp {
    const full: HsApp = {
      appId: app.appId ?? 1000000 + this.apps.size + 1,
      name: app.name ?? 'Cairn',
      clientId: app.clientId ?? this.rng.uuid(),
      clientSecret: app.clientSecret ?? this.rng.uuid(),
      redirectUris: app.redirectUris ?? [],
      scopes: app.scopes ?? ALL_SCOPES,
    };
    this.apps.set(full.clientId, full);
    return full;
  }

  /** Issues a private-app style token (never expires) for tests that do not walk the OAuth flow. */
  createPrivateAppToken(scopes: string[] = ALL_SCOPES): string {
    const token = this.randomToken('private');
    this.accessTokens.set(token, {
      token,
      kind: 'private',
      appId: 1,
      hubId: this.hubId,
      userId: this.userId,
      user: this.user,
      scopes,
      issuedAt: this.nowMs(),
      expiresAt: Number.POSITIVE_INFINITY,
    });
    return token;
  }

  issueAccessToken(app: HsApp, scopes: string[], refreshToken: string): HsAccessToken {
    const token = this.randomToken('access');
    const issuedAt = this.nowMs();
    const entry: HsAccessToken = {
      token,
      kind: 'oauth',
      appId: app.appId,
      clientId: app.clientId,
      hubId: this.hubId,
      userId: this.userId,
      user: this.user,
      scopes,
      issuedAt,
      expiresAt: issuedAt + this.accessTokenTtlSeconds * 1000,
      refreshToken,
    };
    this.accessTokens.set(token, entry);
    return entry;
  }

  expireAccessTokens(): number {
    const now = this.nowMs();
    let n = 0;
    for (const t of this.accessTokens.values()) {
      if (t.expiresAt > now) {
        t.expiresAt = now - 1;
        n++;
      }
    }
    return n;
  }

  revokeRefreshTokens(): number {
    let n = 0;
    for (const t of this.refreshTokens.values()) {
      if (!t.revoked) {
        t.revoked = true;
        n++;
      }
    }
    return n;
  }

  // ------------------------------------------------------------------ owners

  addOwner(
    owner: Omit<HsOwner, 'id' | 'createdAt' | 'updatedAt' | 'archived' | 'userId'> & { id?: string },
  ): HsOwner {
    const at = this.now().toISOString();
    const full: HsOwner = {
      id: owner.id ?? String(80000001 + this.owners.length),
      email: owner.email,
      firstName: owner.firstName,
      lastName: owner.lastName,
      userId: 7000100 + this.owners.length,
      createdAt: at,
      updatedAt: at,
      archived: false,
    };
    this.owners.push(full);
    return full;
  }

  // ------------------------------------------------------------------ property definitions

  properties(type: HsObjectType, archived = false): HsPropertyDef[] {
    return [...this.props[type].values()].filter((p) => p.archived === archived);
  }

  property(type: HsObjectType, name: string): HsPropertyDef | undefined {
    const p = this.props[type].get(name);
    return p && !p.archived ? p : undefined;
  }

  addProperty(type: HsObjectType, def: HsPropertyDef): HsPropertyDef {
    this.props[type].set(def.name, def);
    return def;
  }

  groups(type: HsObjectType, archived = false): HsGroupDef[] {
    return [...this.groupDefs[type].values()].filter((g) => g.archived === archived);
  }

  group(type: HsObjectType, name: string): HsGroupDef | undefined {
    return this.groupDefs[type].get(name);
  }

  addGroup(type: HsObjectType, def: HsGroupDef): HsGroupDef {
    this.groupDefs[type].set(def.name, def);
    return def;
  }

  // ------------------------------------------------------------------ records

  /** All records of a type (archived ones only when asked), by ascending id. */
  list(type: HsObjectType, options: { archived?: boolean } = {}): HsRecord[] {
    const archived = options.archived ?? false;
    return [...this.records[type].values()]
      .filter((r) => r.archived === archived)
      .sort((a, b) => Number(a.id) - Number(b.id));
  }

  count(type: HsObjectType): number {
    return this.list(type).length;
  }

  get(type: HsObjectType, id: string, options: { archived?: boolean } = {}): HsRecord | undefined {
    const r = this.records[type].get(id);
    if (!r) return undefined;
    if (options.archived === undefined) return r.archived ? undefined : r;
    return r.archived === options.archived ? r : undefined;
  }

  /** The first live record whose property equals `value` (case-insensitive for strings). */
  findBy(type: HsObjectType, property: string, value: string): HsRecord | undefined {
    const wanted = value.toLowerCase();
    if (property === 'hs_object_id') return this.get(type, value);
    for (const r of this.records[type].values()) {
      if (!r.archived && (r.properties[property] ?? '').toLowerCase() === wanted) return r;
    }
    return undefined;
  }

  /**
   * Creates a record. Values are stored as given (the HTTP layer validates and normalises); derived
   * properties (hs_object_id, create/modified dates, deal stage flags, email domain) are maintained here.
   */
  create(
    type: HsObjectType,
    properties: Record<string, string | null | undefined>,
    options: { createdAt?: Date | string; id?: string } = {},
  ): HsRecord {
    const id = options.id ?? String(this.nextId[type]++);
    if (options.id && Number(options.id) >= this.nextId[type]) this.nextId[type] = Number(options.id) + 1;
    const createdAt = options.createdAt ? new Date(options.createdAt) : this.now();
    const record: HsRecord = {
      id,
      type,
      properties: {},
      createdAt,
      updatedAt: createdAt,
      archived: false,
      history: {},
    };
    for (const [k, v] of Object.entries(properties))
      if (v !== undefined) record.properties[k] = v === '' ? null : v;
    record.properties.hs_object_id = id;
    record.properties[CREATED_PROPERTY[type]] = createdAt.toISOString();
    this.derive(record, undefined, createdAt);
    this.stampModified(record, createdAt);
    this.recordHistory(record, {}, createdAt);
    this.records[type].set(id, record);
    return record;
  }

  /** Updates properties; returns the record. Modification dates move only when a value changed. */
  update(
    type: HsObjectType,
    id: string,
    properties: Record<string, string | null | undefined>,
    options: { at?: Date | string } = {},
  ): HsRecord {
    const record = this.get(type, id);
    if (!record) throw new Error(`no ${type} ${id}`);
    const at = options.at ? new Date(options.at) : this.now();
    const before = { ...record.properties };
    let changed = false;
    for (const [k, raw] of Object.entries(properties)) {
      if (raw === undefined) continue;
      const v = raw === '' ? null : raw;
      if ((record.properties[k] ?? null) !== v) {
        record.properties[k] = v;
        changed = true;
      }
    }
    if (changed) {
      this.derive(record, before, at);
      this.stampModified(record, at);
      this.recordHistory(record, before, at);
    }
    return record;
  }

  archive(type: HsObjectType, id: string): boolean {
    const record = this.get(type, id);
    if (!record) return false;
    const at = this.now();
    record.archived = true;
    record.archivedAt = at;
    record.updatedAt = at;
    return true;
  }

  private recordHistory(record: HsRecord, before: Record<string, string | null>, at: Date): void {
    for (const [k, v] of Object.entries(record.properties)) {
      if (k === 'hs_lastmodifieddate' || k === 'lastmodifieddate') continue;
      if (k in before && before[k] === v) continue;
      if (!(k in before) && v === null) continue;
      const list = record.history[k] ?? [];
      list.unshift({ value: v, timestamp: at.toISOString(), sourceType: 'API' });
      record.history[k] = list;
    }
  }

  private stampModified(record: HsRecord, at: Date): void {
    record.updatedAt = at;
    const iso = at.toISOString();
    record.properties.hs_lastmodifieddate = iso;
    if (record.type === 'contacts') record.properties.lastmodifieddate = iso;
  }

  private derive(record: HsRecord, before: Record<string, string | null> | undefined, at: Date): void {
    const p = record.properties;
    if (record.type === 'contacts') {
      const email = p.email ?? null;
      p.hs_email_domain = email && email.includes('@') ? (email.split('@')[1] ?? '').toLowerCase() : null;
    }
    if (record.type === 'deals') {
      const stage = p.dealstage ?? null;
      if (stage && !p.pipeline) p.pipeline = 'default';
      const def = DEFAULT_DEAL_STAGES.find((s) => s.id === stage);
      if (def) {
        p.hs_is_closed = def.metadata.isClosed;
        p.hs_is_closed_won = String(def.id === 'closedwon');
        p.hs_deal_stage_probability = def.metadata.probability;
        if (!before || before.dealstage !== stage) {
          const key = `hs_date_entered_${def.id}`;
          if (!p[key]) p[key] = (before ? at : record.createdAt).toISOString();
        }
      }
    }
  }

  // ------------------------------------------------------------------ associations

  private assocBucket(fromType: HsObjectType, fromId: string): Map<string, HsAssociationType[]> {
    const key = `${fromType}:${fromId}`;
    let bucket = this.assoc.get(key);
    if (!bucket) {
      bucket = new Map();
      this.assoc.set(key, bucket);
    }
    return bucket;
  }

  private addType(
    fromType: HsObjectType,
    fromId: string,
    toType: HsObjectType,
    toId: string,
    t: HsAssociationType,
  ): void {
    const bucket = this.assocBucket(fromType, fromId);
    const key = `${toType}:${toId}`;
    const list = bucket.get(key) ?? [];
    if (!list.some((x) => x.category === t.category && x.typeId === t.typeId)) list.push(t);
    bucket.set(key, list);
  }

  /**
   * Associates two records with HubSpot's default (unlabelled) type in both directions. The first
   * company of a contact or deal also becomes its primary company (and `associatedcompanyid`).
   */
  associate(
    fromType: HsObjectType,
    fromId: string,
    toType: HsObjectType,
    toId: string,
    options: { at?: Date | string } = {},
  ): HsAssociationType[] {
    const forward = associationTypeIds(fromType, toType);
    const backward = associationTypeIds(toType, fromType);
    if (!forward || !backward) throw new Error(`${fromType} cannot be associated with ${toType}`);
    this.addType(fromType, fromId, toType, toId, {
      category: 'HUBSPOT_DEFINED',
      typeId: forward.default,
      label: null,
    });
    this.addType(toType, toId, fromType, fromId, {
      category: 'HUBSPOT_DEFINED',
      typeId: backward.default,
      label: null,
    });
    const [owner, ownerId, company, companyId] =
      toType === 'companies'
        ? [fromType, fromId, toType, toId]
        : fromType === 'companies'
          ? [toType, toId, fromType, fromId]
          : [];
    if (owner && ownerId && company && companyId && (owner === 'contacts' || owner === 'deals')) {
      const hasPrimary = this.associationsOf(owner, ownerId, 'companies').some((a) =>
        a.types.some((t) => t.typeId === associationTypeIds(owner, 'companies')?.primary),
      );
      if (!hasPrimary) {
        const p1 = associationTypeIds(owner, 'companies')?.primary;
        const p2 = associationTypeIds('companies', owner)?.primary;
        if (p1 && p2) {
          this.addType(owner, ownerId, 'companies', companyId, {
            category: 'HUBSPOT_DEFINED',
            typeId: p1,
            label: 'Primary',
          });
          this.addType('companies', companyId, owner, ownerId, {
            category: 'HUBSPOT_DEFINED',
            typeId: p2,
            label: 'Primary',
          });
          if (owner === 'contacts' && this.get('contacts', ownerId)) {
            this.update('contacts', ownerId, { associatedcompanyid: companyId }, options);
          }
        }
      }
    }
    return this.assocBucket(fromType, fromId).get(`${toType}:${toId}`) ?? [];
  }

  /** Adds a specific association type (used by the labelled-association endpoint). */
  associateWithType(
    fromType: HsObjectType,
    fromId: string,
    toType: HsObjectType,
    toId: string,
    type: { category: 'HUBSPOT_DEFINED' | 'USER_DEFINED'; typeId: number },
  ): void {
    const forward = associationTypeIds(fromType, toType);
    const backward = associationTypeIds(toType, fromType);
    const label = forward?.primary === type.typeId ? 'Primary' : null;
    this.addType(fromType, fromId, toType, toId, { ...type, label });
    if (backward) {
      const back = forward?.primary === type.typeId && backward.primary ? backward.primary : backward.default;
      this.addType(toType, toId, fromType, fromId, { category: type.category, typeId: back, label });
    }
  }

  dissociate(fromType: HsObjectType, fromId: string, toType: HsObjectType, toId: string): void {
    this.assoc.get(`${fromType}:${fromId}`)?.delete(`${toType}:${toId}`);
    this.assoc.get(`${toType}:${toId}`)?.delete(`${fromType}:${fromId}`);
  }

  /** Associations from one record to records of `toType` (live ones only), by ascending id. */
  associationsOf(
    fromType: HsObjectType,
    fromId: string,
    toType: HsObjectType,
  ): Array<{ toObjectId: string; types: HsAssociationType[] }> {
    const bucket = this.assoc.get(`${fromType}:${fromId}`);
    if (!bucket) return [];
    const out: Array<{ toObjectId: string; types: HsAssociationType[] }> = [];
    for (const [key, types] of bucket) {
      const [t, id] = key.split(':') as [HsObjectType, string];
      if (t === toType && this.get(t, id)) out.push({ toObjectId: id, types: [...types] });
    }
    return out.sort((a, b) => Number(a.toObjectId) - Number(b.toObjectId));
  }
}
