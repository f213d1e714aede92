import type { NextFunction, Request, Response } from 'express';

/**
 * Body-parser failures happen before Nest routes, so its exception filter never sees them; this answers them
 * in the same `{ error: { code, message } }` shape.
 */
export function bodyErrors(err: unknown, req: Request, res: Response, next: NextFunction): void {
  const e = err as { type?: string; limit?: number; status?: number } | undefined;
  if (!e?.type) return next(err);
  const tooLarge = e.type === 'entity.too.large';
  res.status(tooLarge ? 413 : 400).json({
    error: {
      code: tooLarge ? 'request.too_large' : 'validation.failed',
      message: tooLarge
        ? `Request body exceeds the ${e.limit ?? ''} byte limit.`
        : e.type === 'entity.parse.failed'
          ? 'Request body is not valid JSON.'
          : `Request body could not be read (${e.type}).`,
      requestId: (req as Request & { id?: string }).id,
    },
  });
}
