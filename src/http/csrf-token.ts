// The CSRF token of a page, its secret issued from the pooled CSPRNG (src/http/security-headers.ts)
// when the visitor has none yet. @fastify/csrf-protection would issue it with randomBytes(18), the
// largest single cost of a cookie-less product page (issue 16). The secret is the same 18 bytes in
// the same cookie with the same attributes, and the token is still @fastify/csrf's, bound to it:
// the POST check (app.csrfProtection) is unchanged.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { csrfCookieName } from '../app.ts';
import { pooledRandom } from './security-headers.ts';

/** @fastify/csrf's default secret length. */
const SECRET_BYTES = 18;

export function csrfTokenFor(request: FastifyRequest, reply: FastifyReply): string {
  const name = csrfCookieName(request.server.shop.config.https);
  if (!request.cookies[name]) {
    const secret = pooledRandom(SECRET_BYTES, 'base64url');
    // As the plugin is registered in src/app.ts: Path=/, no Domain (__Host- over HTTPS), not signed.
    reply.setCookie(name, secret, request.server.web.cookieOptions({ signed: false, path: '/', domain: undefined }));
    // generateCsrf reads the secret from the request's cookies: it now finds this one and sets none.
    request.cookies[name] = secret;
  }
  return reply.generateCsrf();
}
