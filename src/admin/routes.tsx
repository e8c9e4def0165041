// The back office under /admin. Order of defences for every request: IP allow-list (onRequest,
// before anything else), session lookup and the role table (onRequest, before the body is even
// parsed), CSRF on every POST (preValidation). Responses are never cached.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CookieSerializeOptions } from '@fastify/cookie';
import { setTimeout as sleep } from 'node:timers/promises';
import QRCode from 'qrcode';
import { z } from 'zod';
import { adminDb, ADMIN_ROLES, type AdminAccount } from './admin-tables.ts';
import { adminMessagesFor, adminViewContext, sendAdminPage } from './admin-view-context.ts';
import { accessFor, roleMayUse } from './route-access.ts';
import { parseIpAllowList } from './ip-allow-list.ts';
import { createSession, endAllSessions, endSession, lookupSession, type SessionStage } from './admin-sessions.ts';
import { checkPasswordStep, checkSecondFactor, completeEnrolment, pendingTotpSecret, failureDelayMs } from './admin-login.ts';
import { accountForAudit, createAccount, findAccount, listAccounts } from './admin-accounts.ts';
import { createFirstOwner, setupTokenValid } from './setup-link.ts';
import { totpUri } from './totp.ts';
import { loadTotpKey, totpSecretBox } from './totp-secret-box.ts';
import { appendAuditEntry } from '../audit/audit-log.ts';
import { MessagePage, type AdminViewContext } from './views/admin-layout.tsx';
import { LoginPage, MfaEnrolPage, MfaVerifyPage, RecoveryCodesPage, SetupPage } from './views/auth-pages.tsx';
import { DashboardPage } from './views/dashboard-page.tsx';
import { AccountsPage, type AccountFormValues } from './views/accounts-page.tsx';
import { SecurityPage, StatusPage, type LatestSecurityCheck } from './views/system-pages.tsx';
import { catalogAdminRoutes } from './catalog-routes.tsx';
import { orderAdminRoutes } from './order-routes.tsx';
import { auditAdminRoutes } from './audit-routes.tsx';

export interface AdminPluginOptions {
  /** CIDR list (ADMIN_ALLOWED_IPS); unset = no restriction. */
  allowedIps?: string | undefined;
  /** Added to the answer time of a failed login per consecutive failure (ADMIN_LOGIN_DELAY_STEP_MS, default 500). */
  failureDelayStepMs?: number | undefined;
}

const Email = z.string().trim().toLowerCase().max(254).pipe(z.email());
const LoginForm = z.object({ email: z.string().trim().max(254), password: z.string().max(1024) });
const CodeForm = z.object({ code: z.string().trim().max(64) });
const SetupForm = z.object({ token: z.string().max(128), email: Email, password: z.string().max(1024), passwordConfirm: z.string().max(1024) });
const SetupQuery = z.object({ token: z.string().max(128).catch('') });
const Yen = z.union([z.literal('').transform(() => null), z.coerce.number().int().min(0).max(100_000_000)]);
/** datetime-local gives `YYYY-MM-DDTHH:MM`; the form says the time is UTC. */
const Instant = z.union([
  z.literal('').transform(() => null),
  z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/).transform((s) => new Date(`${s}:00Z`).toISOString()),
]);
const AccountCreateForm = z.object({
  email: Email, role: z.enum(ADMIN_ROLES), password: z.string().max(1024),
  refundLimit: Yen.optional().default(null), accessExpiresAt: Instant.optional().default(null),
});
const AccountUpdateForm = z.object({
  role: z.enum(ADMIN_ROLES), refundLimit: Yen.optional().default(null), accessExpiresAt: Instant.optional().default(null),
  disabled: z.literal('1').optional(),
  resetMfa: z.literal('1').optional(),
});
const AccountParams = z.object({ id: z.coerce.number().int().positive() });
const LoginQuery = z.object({ m: z.enum(['expired', 'loggedout', 'created']).optional().catch(undefined) });

export async function adminRoutes(app: FastifyInstance, opts: AdminPluginOptions = {}) {
  const shop = app.shop;
  const allowedIps = opts.allowedIps ?? shop.config.admin.allowedIps;
  const parsedAllowList = parseIpAllowList(allowedIps);
  // A typo in the allow-list must not silently open the back office: refuse to start.
  if (!parsedAllowList.ok) throw new Error(`ADMIN_ALLOWED_IPS: not an IP address or CIDR: ${parsedAllowList.entry}`);
  const allowList = parsedAllowList.list;
  const delayStep = opts.failureDelayStepMs ?? shop.config.admin.loginDelayStepMs;
  const failureDelay = (failures: number) => failureDelayMs(delayStep, failures);

  const db = adminDb(shop.db.db);
  const secretBox = totpSecretBox(loadTotpKey({ ADMIN_TOTP_KEY: shop.config.admin.totpKey }, shop.config.dataDir));
  const now = () => shop.clock();
  const https = shop.config.https;
  // `__Host-` would demand Path=/; the cookie is scoped to /admin instead, so over HTTPS it gets
  // the `__Secure-` prefix (browser-enforced Secure) and no Domain attribute (host-only).
  const cookieName = https ? '__Secure-mamori_admin' : 'mamori_admin';
  const cookieOptions: CookieSerializeOptions = { path: '/admin', httpOnly: true, sameSite: 'strict', secure: https };

  app.decorateRequest('adminSession', null);

  // Every route must be in the access table, or the shop refuses to start.
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (!accessFor(method, route.url)) throw new Error(`admin route ${method} ${route.url} has no entry in ADMIN_ROUTE_ACCESS`);
    }
  });

  const viewContext = adminViewContext;
  const html = sendAdminPage;

  function client(request: FastifyRequest) {
    return { ip: request.ip, userAgent: String(request.headers['user-agent'] ?? '') };
  }

  /** A new session id for a new stage; the old one is deleted, never upgraded in place. */
  async function rotateSession(request: FastifyRequest, reply: FastifyReply, accountId: number, stage: SessionStage) {
    if (request.adminSession) await endSession(db, request.adminSession.idHash);
    const id = await createSession(db, accountId, stage, client(request), now());
    reply.setCookie(cookieName, id, cookieOptions);
  }

  app.addHook('onRequest', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    if (allowList && !allowList.allows(request.ip)) {
      request.log.warn({ ip: request.ip }, 'admin request refused by the IP allow-list');
      return reply.code(403).type('text/plain; charset=utf-8').send(adminMessagesFor(request.locale).errors.ipRefused);
    }
    const url = request.routeOptions.url;
    if (!url) return; // no such route: the not-found handler answers
    const access = accessFor(request.method, url);
    const sessionId = request.cookies[cookieName];
    const found = await lookupSession(db, sessionId, now());
    if (found.ok) {
      request.adminSession = { account: found.account, stage: found.stage, idHash: found.idHash };
    } else if (sessionId) {
      reply.clearCookie(cookieName, cookieOptions);
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
        return reply.code(303).redirect(found.ok ? '/admin/mfa' : !found.ok && found.error === 'EXPIRED' ? '/admin/login?m=expired' : '/admin/login');
      }
      const ctx = viewContext(request, reply);
      return html(reply, ctx, ctx.m.login.title, <LoginPage ctx={ctx} notice={ctx.m.login.expired} />, 401);
    }
    if (!access || !roleMayUse(access, found.account.role)) {
      refuse('role');
      const ctx = viewContext(request, reply);
      return html(reply, ctx, ctx.m.errors.forbidden, <MessagePage title={ctx.m.errors.forbidden} message={ctx.m.errors.forbidden} />, 403);
    }
  });

  // HTML forms: CSRF-checked at preValidation, after formbody has parsed the body (as in app.ts).
  // A multipart route parses its body in its own preValidation hook, after this one; it marks
  // itself `csrfAfterBody` and runs the same check as a route hook (see catalog-routes.tsx).
  app.addHook('preValidation', (request, reply, done) => {
    const checksItself = request.routeOptions.config?.csrfAfterBody === true;
    if (request.method === 'POST' && !checksItself) return app.csrfProtection(request, reply, done);
    done();
  });

  app.setErrorHandler(async (err: Error & { code?: string; statusCode?: number }, request, reply) => {
    if (err.code === 'FST_CSRF_INVALID_TOKEN' || err.code === 'FST_CSRF_MISSING_SECRET') {
      const ctx = viewContext(request, reply);
      return html(reply, ctx, ctx.m.errors.csrf, <MessagePage title={ctx.m.errors.csrf} message={ctx.m.errors.csrf} />, 403);
    }
    throw err; // the shop's one error handler
  });

  app.setNotFoundHandler(async (request, reply) => {
    const ctx = viewContext(request, reply);
    return html(reply, ctx, ctx.m.errors.notFound, <MessagePage title={ctx.m.errors.notFound} message={ctx.m.errors.notFound} />, 404);
  });

  // ---- first owner -------------------------------------------------------------------------

  app.get('/setup', async (request, reply) => {
    const { token } = SetupQuery.parse(request.query ?? {});
    const ctx = viewContext(request, reply);
    if (!(await setupTokenValid(db, token, now()))) {
      return html(reply, ctx, ctx.m.setup.title, <MessagePage title={ctx.m.setup.title} message={ctx.m.setup.invalidLink} />, 410);
    }
    return html(reply, ctx, ctx.m.setup.title, <SetupPage ctx={ctx} token={token} />);
  });

  app.post('/setup', async (request, reply) => {
    const form = SetupForm.safeParse(request.body ?? {});
    const ctx = viewContext(request, reply);
    const token = typeof (request.body as Record<string, unknown> | undefined)?.token === 'string' ? String((request.body as Record<string, unknown>).token).slice(0, 128) : '';
    if (!form.success) return html(reply, ctx, ctx.m.setup.title, <SetupPage ctx={ctx} token={token} error={ctx.m.errors.badRequest} />, 400);
    const { email, password, passwordConfirm } = form.data;
    if (password !== passwordConfirm) return html(reply, ctx, ctx.m.setup.title, <SetupPage ctx={ctx} token={token} email={email} error={ctx.m.setup.mismatch} />, 400);
    const created = await createFirstOwner(db, form.data.token, { email, password }, now(), request.ip);
    if (!created.ok) {
      if (created.error === 'SETUP_LINK_INVALID') return html(reply, ctx, ctx.m.setup.title, <MessagePage title={ctx.m.setup.title} message={ctx.m.setup.invalidLink} />, 410);
      return html(reply, ctx, ctx.m.setup.title, <SetupPage ctx={ctx} token={token} email={email} error={ctx.m.password[created.error]} />, 400);
    }
    return reply.code(303).redirect('/admin/login?m=created');
  });

  // ---- login -------------------------------------------------------------------------------

  app.get('/login', async (request, reply) => {
    if (request.adminSession?.stage === 'full') return reply.code(303).redirect('/admin');
    const { m: notice } = LoginQuery.parse(request.query ?? {});
    const ctx = viewContext(request, reply);
    const text = notice === 'expired' ? ctx.m.login.expired : notice === 'loggedout' ? ctx.m.login.loggedOut : notice === 'created' ? ctx.m.setup.done : undefined;
    return html(reply, ctx, ctx.m.login.title, <LoginPage ctx={ctx} notice={text} />);
  });

  app.post('/login', { config: { rateLimit: { max: 30, timeWindow: '1 minute' } } }, async (request, reply) => {
    const form = LoginForm.safeParse(request.body ?? {});
    const ctx = viewContext(request, reply);
    if (!form.success) return html(reply, ctx, ctx.m.login.title, <LoginPage ctx={ctx} error={ctx.m.login.invalid} />, 400);
    const result = await checkPasswordStep(db, form.data.email, form.data.password, now(), request.ip);
    if (!result.ok) {
      await sleep(failureDelay(result.failures));
      const message = result.error === 'LOCKED' ? ctx.m.login.locked : ctx.m.login.invalid;
      return html(reply, ctx, ctx.m.login.title, <LoginPage ctx={ctx} email={form.data.email} error={message} />, 401);
    }
    await rotateSession(request, reply, result.account.id, 'password');
    return reply.code(303).redirect('/admin/mfa');
  });

  app.get('/mfa', async (request, reply) => {
    const account = request.adminSession!.account;
    const ctx = viewContext(request, reply);
    if (account.mfa_enrolled_at) return html(reply, ctx, ctx.m.mfa.verifyTitle, <MfaVerifyPage ctx={ctx} />);
    return renderEnrolment(request, reply, ctx, account);
  });

  async function renderEnrolment(request: FastifyRequest, reply: FastifyReply, ctx: AdminViewContext, account: AdminAccount, error?: string) {
    const secret = await pendingTotpSecret(db, secretBox, account);
    const qrSvg = await QRCode.toString(totpUri(secret, `Mamori ${shop.config.shopName}`, account.email), { type: 'svg', margin: 2, width: 220, errorCorrectionLevel: 'M' });
    return html(reply, ctx, ctx.m.mfa.enrolTitle, <MfaEnrolPage ctx={ctx} qrSvg={qrSvg} secret={secret} {...(error ? { error } : {})} />, error ? 401 : 200);
  }

  /** After a lock the password-stage session is gone: back to the login page with the reason. */
  function lockedOut(request: FastifyRequest, reply: FastifyReply) {
    reply.clearCookie(cookieName, cookieOptions);
    request.adminSession = null;
    const ctx = viewContext(request, reply);
    return html(reply, ctx, ctx.m.login.title, <LoginPage ctx={ctx} error={ctx.m.login.locked} />, 401);
  }

  app.post('/mfa/verify', async (request, reply) => {
    const form = CodeForm.safeParse(request.body ?? {});
    const account = request.adminSession!.account;
    const result = await checkSecondFactor(db, secretBox, account, form.success ? form.data.code : '', now(), request.ip);
    if (!result.ok) {
      await sleep(failureDelay(result.failures));
      if (result.error === 'LOCKED') return lockedOut(request, reply);
      if (result.error === 'NOT_ENROLLED') return reply.code(303).redirect('/admin/mfa');
      const ctx = viewContext(request, reply);
      return html(reply, ctx, ctx.m.mfa.verifyTitle, <MfaVerifyPage ctx={ctx} error={ctx.m.mfa.invalid} />, 401);
    }
    await rotateSession(request, reply, account.id, 'full');
    return reply.code(303).redirect('/admin');
  });

  app.post('/mfa/enrol', async (request, reply) => {
    const form = CodeForm.safeParse(request.body ?? {});
    const account = request.adminSession!.account;
    if (account.mfa_enrolled_at) return reply.code(303).redirect('/admin/mfa');
    const result = await completeEnrolment(db, secretBox, account, form.success ? form.data.code : '', now(), request.ip);
    if (!result.ok) {
      await sleep(failureDelay(result.failures));
      if (result.error === 'LOCKED') return lockedOut(request, reply);
      const ctx = viewContext(request, reply);
      return renderEnrolment(request, reply, ctx, account, ctx.m.mfa.invalid);
    }
    await rotateSession(request, reply, account.id, 'full');
    request.adminSession = { account: { ...account, mfa_enrolled_at: now().toISOString() }, stage: 'full', idHash: '' };
    const ctx = viewContext(request, reply);
    return html(reply, ctx, ctx.m.mfa.recoveryTitle, <RecoveryCodesPage ctx={ctx} codes={result.recoveryCodes} />);
  });

  app.post('/logout', async (request, reply) => {
    const s = request.adminSession;
    if (s) {
      await endSession(db, s.idHash);
      if (s.stage === 'full') await appendAuditEntry(db, { actor: `admin:${s.account.id}`, action: 'auth.logout', target: `account:${s.account.id}`, ip: request.ip, at: now() });
    }
    reply.clearCookie(cookieName, cookieOptions);
    return reply.code(303).redirect('/admin/login?m=loggedout');
  });

  app.post('/logout-everywhere', async (request, reply) => {
    const { account } = request.adminSession!;
    const ended = await endAllSessions(db, account.id);
    await appendAuditEntry(db, { actor: `admin:${account.id}`, action: 'auth.logout_everywhere', target: `account:${account.id}`, ip: request.ip, after: { sessionsEnded: ended }, at: now() });
    reply.clearCookie(cookieName, cookieOptions);
    return reply.code(303).redirect('/admin/login?m=loggedout');
  });

  // ---- signed-in pages ---------------------------------------------------------------------

  app.get('/', async (request, reply) => {
    const { account } = request.adminSession!;
    const sessions = await db.selectFrom('admin_sessions').where('account_id', '=', account.id).where('stage', '=', 'full')
      .select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const ctx = viewContext(request, reply);
    return html(reply, ctx, ctx.m.dashboard.title, <DashboardPage ctx={ctx} sessions={Number(sessions.n)} />);
  });

  async function accountsPage(request: FastifyRequest, reply: FastifyReply, extra: { notice?: string; error?: string; values?: AccountFormValues }, status = 200) {
    const ctx = viewContext(request, reply);
    const accounts = await listAccounts(db);
    return html(reply, ctx, ctx.m.accounts.title, <AccountsPage ctx={ctx} accounts={accounts} selfId={request.adminSession!.account.id} {...extra} />, status);
  }

  app.get('/accounts', async (request, reply) => accountsPage(request, reply, {}));

  app.post('/accounts', async (request, reply) => {
    const m = adminMessagesFor(request.locale);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values: AccountFormValues = { email: String(body.email ?? '').slice(0, 254), role: String(body.role ?? ''), refundLimit: String(body.refundLimit ?? '').slice(0, 12), accessExpiresAt: String(body.accessExpiresAt ?? '').slice(0, 16) };
    const form = AccountCreateForm.safeParse(body);
    if (!form.success) return accountsPage(request, reply, { error: m.accounts.invalid, values }, 400);
    const actor = request.adminSession!.account;
    const created = await createAccount(db, {
      email: form.data.email, password: form.data.password, role: form.data.role, refundLimit: form.data.refundLimit, accessExpiresAt: form.data.accessExpiresAt,
    }, now());
    if (!created.ok) return accountsPage(request, reply, { error: m.password[created.error], values }, 400);
    await appendAuditEntry(db, { actor: `admin:${actor.id}`, action: 'account.created', target: `account:${created.account.id}`, ip: request.ip, after: accountForAudit(created.account), at: now() });
    return accountsPage(request, reply, { notice: m.accounts.created });
  });

  app.post('/accounts/:id', async (request, reply) => {
    const m = adminMessagesFor(request.locale);
    const params = AccountParams.safeParse(request.params);
    const form = AccountUpdateForm.safeParse(request.body ?? {});
    if (!params.success || !form.success) return accountsPage(request, reply, { error: m.accounts.invalid }, 400);
    const actor = request.adminSession!.account;
    if (params.data.id === actor.id) return accountsPage(request, reply, { error: m.accounts.cannotChangeSelf }, 400);
    const before = await findAccount(db, params.data.id);
    if (!before) return reply.callNotFound();
    const disabled = form.data.disabled === '1' ? 1 : 0;
    const after = await db.updateTable('admin_accounts').set({
      role: form.data.role,
      refund_limit: form.data.role === 'staff' ? (form.data.refundLimit ?? 0) : null,
      access_expires_at: form.data.accessExpiresAt,
      disabled,
    }).where('id', '=', before.id).returningAll().executeTakeFirstOrThrow();
    if (form.data.resetMfa === '1') {
      // A lost authenticator: the account enrols again (new secret, new recovery codes) at its next login.
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('admin_accounts').set({ totp_secret: null, mfa_enrolled_at: null, totp_last_step: null }).where('id', '=', before.id).execute();
        await trx.deleteFrom('admin_recovery_codes').where('account_id', '=', before.id).execute();
      });
      await appendAuditEntry(db, { actor: `admin:${actor.id}`, action: 'mfa.reset', target: `account:${before.id}`, ip: request.ip, before: { mfaEnrolled: before.mfa_enrolled_at !== null }, after: { mfaEnrolled: false }, at: now() });
    }
    // A new role, a disabled account or a reset second factor takes effect now, not at the next login.
    if (after.role !== before.role || after.disabled !== before.disabled || after.access_expires_at !== before.access_expires_at || form.data.resetMfa === '1') await endAllSessions(db, before.id);
    await appendAuditEntry(db, { actor: `admin:${actor.id}`, action: 'account.updated', target: `account:${before.id}`, ip: request.ip, before: accountForAudit(before), after: accountForAudit(after), at: now() });
    return accountsPage(request, reply, { notice: m.accounts.updated });
  });

  await app.register(catalogAdminRoutes);
  await app.register(orderAdminRoutes);
  await app.register(auditAdminRoutes);

  app.get('/status', async (request, reply) => {
    const ctx = viewContext(request, reply);
    const engineVersion = await shop.db.engineVersion().catch(() => 'unavailable');
    const securityCheck = await shop.db.db.withTables<{ security_checks: LatestSecurityCheck & { id: number } }>()
      .selectFrom('security_checks').select(['started_at', 'status', 'findings', 'violations', 'node_eol']).orderBy('id', 'desc').limit(1).executeTakeFirst();
    return html(reply, ctx, ctx.m.status.title, <StatusPage ctx={ctx} database={shop.db.kind} engineVersion={engineVersion} nodeVersion={process.version} uptimeSeconds={Math.round(process.uptime())} securityCheck={securityCheck} />);
  });

  app.get('/security', async (request, reply) => {
    const ctx = viewContext(request, reply);
    return html(reply, ctx, ctx.m.security.title, <SecurityPage ctx={ctx} allowList={allowList?.entries} />);
  });
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route checks CSRF itself, after parsing a multipart body (see the preValidation hook). */
    csrfAfterBody?: boolean;
  }
}
