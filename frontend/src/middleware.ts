import { NextResponse, type NextRequest } from 'next/server';

/**
 * Passes the requested path to server components (for `?next=` after sign-in) and sends
 * visitors without a session cookie straight to the sign-in page.
 */
export function middleware(request: NextRequest) {
  const path = `${request.nextUrl.pathname}${request.nextUrl.search}`;
  if (!request.cookies.has('cairn_session')) {
    const url = request.nextUrl.clone();
    url.pathname = '/sign-in';
    url.search = `?next=${encodeURIComponent(path)}`;
    return NextResponse.redirect(url);
  }
  const headers = new Headers(request.headers);
  headers.set('x-cairn-path', path);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  matcher: ['/w/:path*'],
};
