import type { ApiErrorBody } from './types';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * Reads the `{ error: { code, message, details } }` envelope from an openapi-fetch `error`
 * (or any parsed body). Falls back to a generic message keyed on the HTTP status.
 */
export function toApiError(body: unknown, response?: Response): ApiErrorBody {
  if (isRecord(body) && isRecord(body.error)) {
    const { code, message, details } = body.error;
    return {
      code: typeof code === 'string' ? code : 'unknown',
      message: typeof message === 'string' && message ? message : fallbackMessage(response?.status),
      details,
    };
  }
  return {
    code: response ? `http.${response.status}` : 'network',
    message: fallbackMessage(response?.status),
  };
}

function fallbackMessage(status: number | undefined): string {
  if (status === undefined) return 'Cairn could not be reached. Check your connection and try again.';
  if (status === 401) return 'Your session has ended. Sign in again.';
  if (status === 403) return 'You don’t have permission to do that.';
  if (status === 404) return 'That item no longer exists.';
  if (status === 429) return 'Too many requests. Wait a moment and try again.';
  if (status >= 500) return 'Something went wrong on our side. Try again in a moment.';
  return `The request failed (HTTP ${status}).`;
}

/** A single readable sentence for an API error, including validation details when present. */
export function describeApiError(error: ApiErrorBody): string {
  if (error.code === 'validation.failed' && Array.isArray(error.details) && error.details.length > 0) {
    const messages = error.details.map((d) => (typeof d === 'string' ? d : JSON.stringify(d)));
    return messages.map(sentence).join(' ');
  }
  return error.message;
}

function sentence(text: string): string {
  const t = text.trim();
  if (!t) return t;
  const capital = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** `details.retryAfterSeconds` of a throttling error, if present. */
export function retryAfterSeconds(error: ApiErrorBody): number | undefined {
  const d = error.details;
  if (isRecord(d) && typeof d.retryAfterSeconds === 'number' && d.retryAfterSeconds > 0) {
    return Math.ceil(d.retryAfterSeconds);
  }
  return undefined;
}

/** Runs a request and turns thrown network failures into the same envelope. */
export async function settle<T extends { response: Response; error?: unknown }>(
  request: Promise<T>,
): Promise<{ ok: true; result: T } | { ok: false; error: ApiErrorBody; status?: number }> {
  try {
    const result = await request;
    if (result.response.ok) return { ok: true, result };
    return { ok: false, error: toApiError(result.error, result.response), status: result.response.status };
  } catch {
    return { ok: false, error: toApiError(undefined) };
  }
}
