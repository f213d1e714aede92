import type { Response } from 'express';
import type { CairnConfig } from '../../config/config';
import { CSRF_COOKIE, SESSION_COOKIE } from './cookies';
import { newToken } from './tokens';

export function setSessionCookie(res: Response, config: CairnConfig, token: string, maxAgeSeconds: number) {
  res.cookie(SESSION_COOKIE, token, {
    httpOnly: true,
    secure: config.cookieSecure,
    sameSite: 'lax',
    path: '/',
    maxAge: maxAgeSeconds * 1000,
  });
}

export function clearSessionCookie(res: Response, config: CairnConfig) {
  res.clearCookie(SESSION_COOKIE, {
    httpOnly: true,
    secure: config.cookieSecure,
    sameSite: 'lax',
    path: '/',
  });
}

/** A fresh CSRF token; rotated at sign-in so a token planted before sign-in is worthless after it. */
export function issueCsrfCookie(res: Response, config: CairnConfig): string {
  const token = newToken();
  // Readable by the page (it must echo it in a header), unreadable by other origins.
  res.cookie(CSRF_COOKIE, token, {
    httpOnly: false,
    secure: config.cookieSecure,
    sameSite: 'strict',
    path: '/',
  });
  return token;
}
