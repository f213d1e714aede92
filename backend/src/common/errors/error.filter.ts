import { ArgumentsHost, Catch, HttpException, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError } from './domain-error';
import { ERROR_STATUS, type ErrorCode } from './error-codes';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown; requestId?: string };
}

/** Maps every thrown error to `{ error: { code, message } }`; internal errors are logged, never echoed. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request & { log?: { error: (o: object, m: string) => void }; id?: string }>();
    const res = http.getResponse<Response>();
    const { status, code, message, details } = toHttp(exception);
    if (status >= 500) req.log?.error({ err: exception }, 'request failed');
    const body: ErrorBody = { error: { code, message, details, requestId: req.id } };
    if (code === 'auth.too_many_attempts' && details && typeof details === 'object') {
      const retry = (details as { retryAfterSeconds?: number }).retryAfterSeconds;
      if (retry) res.setHeader('Retry-After', String(retry));
    }
    res.status(status).json(body);
  }
}

function toHttp(e: unknown): { status: number; code: string; message: string; details?: unknown } {
  if (e instanceof DomainError) {
    return { status: ERROR_STATUS[e.code], code: e.code, message: e.message, details: e.details };
  }
  if (e instanceof HttpException) {
    const status = e.getStatus();
    const response = e.getResponse();
    const detail = typeof response === 'object' ? (response as { message?: unknown }).message : undefined;
    const code: ErrorCode =
      status === 404
        ? 'route.not_found'
        : status === 413
          ? 'request.too_large'
          : status === 400
            ? 'validation.failed'
            : 'internal';
    return {
      status,
      code,
      message: Array.isArray(detail) ? 'The request is not valid.' : e.message,
      details: Array.isArray(detail) ? detail : undefined,
    };
  }
  return { status: 500, code: 'internal', message: 'Something went wrong on our side.' };
}
