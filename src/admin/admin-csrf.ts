// CSRF tokens of the back office, bound to the admin session rather than to the shop's `_csrf`
// cookie: any host under the shop's domain can plant cookies for it (cookie tossing), so a
// cookie-held secret shared with the storefront proves nothing. Signed-in and half-signed-in
// sessions keep a CSRF secret in their server-side row; before login (login, setup forms) the
// secret is a short-lived pre-session cookie, `__Host-` prefixed over HTTPS so that no other host
// can set it. Tokens are `salt.HMAC(secret, salt)`: a fresh salt per page, so the token in the HTML
// changes with each response (nothing stable for compression side channels to recover).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CookieSerializeOptions } from '@fastify/cookie';
import { accessFor } from './route-access.ts';

/** Long enough to fill in the login form; a later post gets "form expired, reload". */
export const PRE_SESSION_MAX_AGE_S = 60 * 60;

const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function preSessionCookie(https: boolean): { name: string; options: CookieSerializeOptions } {
  return {
    // `__Host-` needs Secure, Path=/ and no Domain: then only this exact host can set the cookie.
    name: https ? '__Host-mamori_admin_pre' : 'mamori_admin_pre',
    options: { path: '/', httpOnly: true, sameSite: 'strict', secure: https, maxAge: PRE_SESSION_MAX_AGE_S },
  };
}

function mac(secret: string, salt: string): Buffer {
  return createHmac('sha256', secret).update(`mamori-admin-csrf\0${salt}`).digest();
}

export function csrfTokenFor(secret: string): string {
  const salt = randomBytes(16).toString('base64url');
  return `${salt}.${mac(secret, salt).toString('base64url')}`;
}

export function csrfTokenValid(secret: string, token: unknown): boolean {
  if (typeof token !== 'string' || token.length > 200) return false;
  const [salt, given, extra] = token.split('.');
  if (!salt || !given || extra !== undefined) return false;
  const expected = mac(secret, salt);
  const actual = Buffer.from(given, 'base64url');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** The pre-session cookie of this request, if well-formed (read once, by the guard). */
export function readPreSession(request: FastifyRequest): string | null {
  const value = request.cookies[preSessionCookie(request.server.shop.config.https).name];
  return value && SECRET_PATTERN.test(value) ? value : null;
}

/** The token for the forms of this page: the session's secret, or the pre-session cookie's (set now if missing). */
export function adminCsrfToken(request: FastifyRequest, reply: FastifyReply): string {
  const sessionSecret = request.adminSession?.csrfSecret;
  if (sessionSecret) return csrfTokenFor(sessionSecret);
  if (!request.adminPreSession) {
    const cookie = preSessionCookie(request.server.shop.config.https);
    request.adminPreSession = randomBytes(32).toString('base64url');
    reply.setCookie(cookie.name, request.adminPreSession, cookie.options);
  }
  return csrfTokenFor(request.adminPreSession);
}

/**
 * Whether a POST carries a token of this admin session. The pre-session's token is accepted only
 * on the routes anyone may use (login, setup, logout): never where a session's rights are used.
 */
export function adminCsrfValid(request: FastifyRequest): boolean {
  const token = (request.body as Record<string, unknown> | undefined)?._csrf;
  const sessionSecret = request.adminSession?.csrfSecret;
  if (sessionSecret && csrfTokenValid(sessionSecret, token)) return true;
  const url = request.routeOptions.url;
  const pre = request.adminPreSession;
  return pre !== null && url !== undefined && accessFor(request.method, url) === 'public' && csrfTokenValid(pre, token);
}
