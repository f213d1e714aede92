/**
 * HubSpot's error bodies. API errors share one shape:
 * `{ status: "error", message, correlationId, category, subCategory?, context?, errors?, links? }`;
 * rate-limit errors carry `errorType: "RATE_LIMIT"` and `policyName`; the OAuth token endpoint
 * answers with `{ status: "BAD_…", message, correlationId }`.
 */
import { type Response } from 'express';

export interface HsErrorBody {
  status: string;
  message: string;
  correlationId: string;
  category?: string;
  subCategory?: string;
  context?: Record<string, string[]>;
  errors?: Array<Record<string, unknown>>;
  links?: Record<string, string>;
  errorType?: string;
  policyName?: string;
  requestId?: string;
}

export class HsHttpError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly body: Omit<HsErrorBody, 'correlationId'> & { correlationId?: string },
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
  }
}

export function hsError(
  httpStatus: number,
  category: string,
  message: string,
  extra: Partial<Omit<HsErrorBody, 'status' | 'message' | 'category'>> = {},
): HsHttpError {
  return new HsHttpError(httpStatus, { status: 'error', message, category, ...extra });
}

export const validation = (message: string, extra: Partial<HsErrorBody> = {}): HsHttpError =>
  hsError(400, 'VALIDATION_ERROR', message, extra);

export const notFound = (message: string, extra: Partial<HsErrorBody> = {}): HsHttpError =>
  hsError(404, 'OBJECT_NOT_FOUND', message, extra);

export function sendHsError(res: Response, err: HsHttpError, correlationId: string): void {
  for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
  const { correlationId: given, ...rest } = err.body;
  // HubSpot puts correlationId after message and before category; key order is cosmetic but kept.
  const body: Record<string, unknown> = {
    status: rest.status,
    message: rest.message,
    correlationId: given ?? correlationId,
  };
  for (const [k, v] of Object.entries(rest))
    if (k !== 'status' && k !== 'message' && v !== undefined) body[k] = v;
  res.status(err.httpStatus).json(body);
}

/** One entry of a "Property values were not valid" error. */
export interface PropertyValidationResult {
  isValid: false;
  message: string;
  error: string;
  name: string;
  localizedErrorMessage?: string;
}

export function propertyValuesInvalid(results: PropertyValidationResult[]): HsHttpError {
  return validation(`Property values were not valid: ${JSON.stringify(results)}`);
}
