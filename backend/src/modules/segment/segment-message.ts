import { randomUUID } from 'node:crypto';

/** Segment's limits (HTTP tracking API docs): what one message and one batch may weigh. */
export const MAX_MESSAGE_BYTES = 32 * 1024;
export const MAX_BATCH_BYTES = 500 * 1024;
export const MAX_BATCH_MESSAGES = 2500;

export const MESSAGE_TYPES = ['identify', 'track', 'page', 'screen', 'group', 'alias'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export type Consent = 'granted' | 'denied' | undefined;

/** A message checked and reduced to what Cairn stores; `raw` fields stay JSON objects. */
export interface TrackedMessage {
  messageId: string;
  type: MessageType;
  event: string | null;
  userId: string | null;
  anonymousId: string | null;
  previousId: string | null;
  groupId: string | null;
  email: string | null;
  url: string | null;
  traits: Record<string, unknown>;
  properties: Record<string, unknown>;
  context: Record<string, unknown>;
  consent: Consent;
  timestamp: Date;
  receivedAt: Date;
}

export type ParseResult = { ok: true; message: TrackedMessage } | { ok: false; reason: string };

type Json = Record<string, unknown>;

/**
 * Validates one message and corrects the client's clock: timestamp = receivedAt − (sentAt − originalTimestamp),
 * so an event keeps its true place in time even when the sender's clock is off.
 */
export function parseMessage(
  raw: unknown,
  opts: { receivedAt: Date; batchSentAt?: unknown; impliedType?: MessageType; bodyBytes?: number },
): ParseResult {
  if (!isObject(raw)) return fail('message must be a JSON object');
  // A message is never larger than the body it came in, so a body within the limit needs no measuring.
  if (opts.bodyBytes === undefined || opts.bodyBytes > MAX_MESSAGE_BYTES) {
    const size = Buffer.byteLength(JSON.stringify(raw));
    if (size > MAX_MESSAGE_BYTES)
      return fail(`message is ${size} bytes; the limit is ${MAX_MESSAGE_BYTES} (32 KB)`);
  }

  const type = (opts.impliedType ?? raw['type']) as MessageType;
  if (!MESSAGE_TYPES.includes(type)) {
    return fail(
      `type must be one of ${MESSAGE_TYPES.join(', ')} (got ${JSON.stringify(raw['type'] ?? null)})`,
    );
  }
  const userId = idString(raw['userId']);
  const anonymousId = idString(raw['anonymousId']);
  const previousId = idString(raw['previousId']);
  const groupId = idString(raw['groupId']);
  if (type === 'alias') {
    if (!userId || !previousId) return fail('alias needs userId and previousId');
  } else if (!userId && !anonymousId) {
    return fail('userId or anonymousId is required');
  }
  if (type === 'group' && !groupId) return fail('group needs groupId');
  const event = typeof raw['event'] === 'string' ? raw['event'].trim() : null;
  if (type === 'track' && !event) return fail('track needs a non-empty event name');
  for (const field of ['properties', 'traits', 'context'] as const) {
    if (raw[field] !== undefined && raw[field] !== null && !isObject(raw[field]))
      return fail(`${field} must be an object`);
  }
  const messageId = raw['messageId'];
  if (messageId !== undefined && (typeof messageId !== 'string' || !messageId || messageId.length > 200)) {
    return fail('messageId must be a non-empty string of at most 200 characters');
  }

  const timestamp = correctedTimestamp(raw, opts.receivedAt, opts.batchSentAt);
  if (!timestamp) return fail('timestamp, originalTimestamp or sentAt is not a valid ISO-8601 date');

  const context = (raw['context'] as Json | undefined) ?? {};
  const traits = (raw['traits'] as Json | undefined) ?? {};
  const contextTraits = isObject(context['traits']) ? (context['traits'] as Json) : {};
  const properties = (raw['properties'] as Json | undefined) ?? {};
  const page = isObject(context['page']) ? (context['page'] as Json) : {};
  const email =
    emailOf(traits['email']) ??
    emailOf(contextTraits['email']) ??
    (type === 'identify' ? emailOf(userId) : null);
  const url =
    stringOrNull(properties['url']) ?? stringOrNull(page['url']) ?? stringOrNull(properties['path']);

  return {
    ok: true,
    message: {
      messageId: (messageId as string | undefined) ?? `cairn-${randomUUID()}`,
      type,
      event: type === 'page' || type === 'screen' ? (stringOrNull(raw['name']) ?? event) : event,
      userId,
      anonymousId,
      previousId,
      groupId,
      email,
      url,
      traits: type === 'identify' || type === 'group' ? traits : contextTraits,
      properties,
      context,
      consent: consentOf(context, { ...contextTraits, ...traits }),
      timestamp,
      receivedAt: opts.receivedAt,
    },
  };
}

function correctedTimestamp(raw: Json, receivedAt: Date, batchSentAt: unknown): Date | null {
  const original = raw['originalTimestamp'] ?? raw['timestamp'];
  const sentAt = raw['sentAt'] ?? batchSentAt;
  const originalAt = original === undefined ? undefined : toDate(original);
  const sentAtDate = sentAt === undefined ? undefined : toDate(sentAt);
  if (originalAt === null || sentAtDate === null) return null;
  if (originalAt && sentAtDate)
    return new Date(receivedAt.getTime() - (sentAtDate.getTime() - originalAt.getTime()));
  if (originalAt) return originalAt;
  return receivedAt;
}

/**
 * Segment's consent management sends `context.consent.categoryPreferences`; a profile trait can also say it.
 * Analytics consent is what matters for scoring and write-back.
 */
function consentOf(context: Json, traits: Json): Consent {
  const consent = isObject(context['consent']) ? (context['consent'] as Json) : undefined;
  const prefs =
    consent && isObject(consent['categoryPreferences'])
      ? (consent['categoryPreferences'] as Json)
      : undefined;
  const analytics = prefs?.['Analytics'] ?? prefs?.['analytics'];
  if (analytics === false) return 'denied';
  if (traits['cairn_opt_out'] === true || traits['consent'] === 'denied') return 'denied';
  if (analytics === true || traits['consent'] === 'granted') return 'granted';
  return undefined;
}

function toDate(v: unknown): Date | null {
  if (typeof v !== 'string' && typeof v !== 'number') return null;
  const d = new Date(v);
  const t = d.getTime();
  // Outside 1990–2100 is a broken clock or a unit mistake (seconds vs milliseconds), not an event.
  return Number.isFinite(t) && t > 631152000000 && t < 4102444800000 ? d : null;
}

function idString(v: unknown): string | null {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') return null;
  const s = v.trim();
  return s && s.length <= 255 ? s : null;
}

function emailOf(v: unknown): string | null {
  return typeof v === 'string' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim()) ? v.trim().toLowerCase() : null;
}

function stringOrNull(v: unknown): string | null {
  return typeof v === 'string' && v ? v.slice(0, 2048) : null;
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail(reason: string): ParseResult {
  return { ok: false, reason };
}
