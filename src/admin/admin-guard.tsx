// The defences in front of every /admin route, in order: IP allow-list (onRequest, before
// anything else), session lookup and the role table (onRequest, before the body is even parsed),
// CSRF on every POST (preValidation). Responses are never cached.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { AdminAccount, AdminDb } from './admin-tables.ts';
import { adminMessagesFor, adminViewContext, sendAdminPage } from './admin-view-context.ts';
import { accessFor, roleMayUse } from './route-access.ts';
import type { IpAllowList } from './ip-allow-list.ts';
import type { TotpSecretBox } from './totp-secret-box.ts';
import { endSession, lookupSession, openSession, type SessionStage } from './admin-sessions.ts';
import { adminCsrfValid, readPreSession } from './admin-csrf.ts';
import type { LoginGuard } from './login-throttle.ts';
import { MessagePage } from './views/admin-layout.tsx';
import { LoginPage } from './views/auth-pages.tsx';
import { currentShopProfile } from '../shop-settings/shop-profile.ts';

/** The session cookie of the back office. */
export interface AdminSessionCookie {
  name: string;
  options: CookieSerializeOptions;
}

export function adminSessionCookie(https: boolean): AdminSessionCookie {
  // `__Host-` would demand Path=/; the cookie is scoped to /admin instead, so over HTTPS it gets
  // the `__Secure-` prefix (browser-enforced Secure) and no Domain attribute (host-only).
  return {
    name: https ? '__Secure-mamori_admin' : 'mamori_admin',
    options: { path: '/admin', httpOnly: true, sameSite: 'strict', secure: https },
  };
}

/** What the admin route files share, built once by routes.tsx. */
export interface AdminRuntime {
  db: AdminDb;
  now: () => Date;
  cookie: AdminSessionCookie;
  allowList: IpAllowList | undefined;
  /** The TOTP secret box, its key loaded (or the key file created) on first use. */
  totpBox: () => TotpSecretBox;
  /** Lockout policy and the key for attempted names (derived from the TOTP key, on first use). */
  loginGuard: () => LoginGuard;
  /** Waits before a failed login step is answered (consecutive failures of the client so far). */
  waitAfterFailure: (failures: number) => Promise<void>;
}

export function adminClient(request: FastifyRequest) {
  return { ip: request.ip, userAgent: String(request.headers['user-agent'] ?? '') };
}

/** A new session id (and CSRF secret) for a new stage; the old one is deleted, never upgraded in place. */
export async function rotateSession(rt: AdminRuntime, request: FastifyRequest, reply: FastifyReply, account: AdminAccount, stage: SessionStage) {
  if (request.adminSession) await endSession(rt.db, request.adminSession.idHash);
  const opened = await openSession(rt.db, account.id, stage, adminClient(request), rt.now());
  reply.setCookie(rt.cookie.name, opened.id, rt.cookie.options);
  request.adminSession = { account, stage, idHash: opened.idHash, csrfSecret: opened.csrfSecret };
}

/** Refuses a POST whose token is not this admin session's (see admin-csrf.ts). */
export async function verifyAdminCsrf(request: FastifyRequest, reply: FastifyReply) {
  if (adminCsrfValid(request)) return;
  request.log.warn({ url: request.url }, 'admin form refused: CSRF token not of this admin session');
  const ctx = adminViewContext(request, reply);
  return sendAdminPage(reply, ctx, ctx.m.errors.csrf, <MessagePage title={ctx.m.errors.csrf} message={ctx.m.errors.csrf} />, 403);
}

export function installAdminGuard(app: FastifyInstance, rt: AdminRuntime) {
  const { db, now, cookie, allowList } = rt;
  app.decorateRequest('adminSession', null);
  app.decorateRequest('adminPreSession', null);
  app.decorateRequest('adminShopProfile', null);

  // Every route must be in the access table, or the shop refuses to start.
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (!accessFor(method, route.url)) throw new Error(`admin route ${method} ${route.url} has no entry in ADMIN_ROUTE_ACCESS`);
    }
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    if (allowList && !allowList.allows(request.ip)) {
      request.log.warn({ ip: request.ip }, 'admin request refused by the IP allow-list');
      return reply.code(403).type('text/plain; charset=utf-8').send(adminMessagesFor(request.locale).errors.ipRefused);
    }
    // Cached (src/shop-settings/shop-profile.ts): the saved name and time zone head every page.
    request.adminShopProfile = await currentShopProfile(request.server.shop);
    const url = request.routeOptions.url;
    if (!url) return; // no such route: the not-found handler answers
    const access = accessFor(request.method, url);
    request.adminPreSession = readPreSession(request);
    const sessionId = request.cookies[cookie.name];
    const found = await lookupSession(db, sessionId, now());
    if (found.ok) {
      request.adminSession = { account: found.account, stage: found.stage, idHash: found.idHash, csrfSecret: found.csrfSecret };
    } else if (sessionId) {
      reply.clearCookie(cookie.name, cookie.options);
    }
    if (access === 'public') return;
    // Says why a request was turned away (no session, wrong stage, role), for people and tests.
    const refuse = (reason: 'signed-out' | 'second-factor-due' | 'role') => reply.header('x-mamori-admin-refused', reason);
    if (access === 'second-factor') {
      if (found.ok && found.stage === 'password') return;
      refuse('signed-out');
      return reply.code(303).redirect('/admin/login');
    }
    if (!found.ok || found.stage !== 'full') {
      refuse(found.ok ? 'second-factor-due' : 'signed-out');
      if (request.method === 'GET' || request.method === 'HEAD') {
        return reply.code(303).redirect(found.ok ? '/admin/mfa' : found.error === 'EXPIRED' ? '/admin/login?m=expired' : '/admin/login');
      }
      const ctx = adminViewContext(request, reply);
      return sendAdminPage(reply, ctx, ctx.m.login.title, <LoginPage ctx={ctx} notice={ctx.m.login.expired} />, 401);
    }
    if (!access || !roleMayUse(access, found.account.role)) {
      refuse('role');
      const ctx = adminViewContext(request, reply);
      return sendAdminPage(reply, ctx, ctx.m.errors.forbidden, <MessagePage title={ctx.m.errors.forbidden} message={ctx.m.errors.forbidden} />, 403);
    }
  });

  // HTML forms: CSRF-checked at preValidation, after formbody has parsed the body. A multipart
  // route parses its body in its own preValidation hook, after this one; it marks itself
  // `csrfAfterBody` and runs verifyAdminCsrf as a route hook (see catalog-routes.tsx).
  app.addHook('preValidation', async (request, reply) => {
    if (request.method !== 'POST' || request.routeOptions.config?.csrfAfterBody === true) return;
    return verifyAdminCsrf(request, reply);
  });

  app.setNotFoundHandler(async (request, reply) => {
    const ctx = adminViewContext(request, reply);
    return sendAdminPage(reply, ctx, ctx.m.errors.notFound, <MessagePage title={ctx.m.errors.notFound} message={ctx.m.errors.notFound} />, 404);
  });
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route checks CSRF itself, after parsing a multipart body (see the preValidation hook). */
    csrfAfterBody?: boolean;
  }
}
