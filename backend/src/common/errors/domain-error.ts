import type { ErrorCode } from './error-codes';

/** A failure the caller can act on; its code is mapped to HTTP by the error filter alone. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
