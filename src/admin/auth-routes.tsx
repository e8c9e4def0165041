// Signing in and out: first-owner setup, password, second factor (verify or enrol), logout.
// Registered inside the admin plugin, so the guard's hooks (admin-guard.tsx) apply.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { z } from 'zod';
import type { AdminAccount } from './admin-tables.ts';
import { adminViewContext, sendAdminPage } from './admin-view-context.ts';
import { endAllSessions, endSession } from './admin-sessions.ts';
import { checkPasswordStep, checkSecondFactor, completeEnrolment, pendingTotpSecret } from './admin-login.ts';
import { createFirstOwner, setupTokenValid } from './setup-link.ts';
import { totpUri } from './totp.ts';
import { knownAddressKey } from './access-signals/known-clients.ts';
import { recordSignInSignals } from './access-signals/sign-in-signals.ts';
import { newOwnerAlert } from './access-signals/account-signals.ts';
import { raiseAlert } from '../alerts/raise-alert.ts';
import { appendAuditEntry } from '../audit/audit-log.ts';
import { rotateSession, type AdminRuntime } from './admin-guard.tsx';
import { MessagePage, type AdminViewContext } from './views/admin-layout.tsx';
import { LoginPage, MfaEnrolPage, MfaVerifyPage, RecoveryCodesPage, SetupPage } from './views/auth-pages.tsx';

const Email = z.string().trim().toLowerCase().max(254).pipe(z.email());
/** Whatever arrives is an attempt, counted and audited like any other: never a form error. */
const formText = (value: unknown, max: number) => (typeof value === 'string' ? value.slice(0, max) : '');
const CodeForm = z.object({ code: z.string().trim().max(64) });
const SetupForm = z.object({ token: z.string().max(128), email: Email, password: z.string().max(1024), passwordConfirm: z.string().max(1024) });
const SetupQuery = z.object({ token: z.string().max(128).catch('') });
const LoginQuery = z.object({ m: z.enum(['expired', 'loggedout', 'created']).optional().catch(undefined) });

export async function authRoutes(app: FastifyInstance, rt: AdminRuntime) {
  const shop = app.shop;
  const { db, now, cookie } = rt;
  const viewContext = adminViewContext;
  const html = sendAdminPage;

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
    if (created.auditEntryId !== undefined) await raiseAlert(shop, newOwnerAlert(created.account, created.auditEntryId, 'setup-link', 'setup-link'));
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
    const body = (request.body ?? {}) as Record<string, unknown>;
    const email = formText(body.email, 1024).trim();
    const result = await checkPasswordStep(db, email, formText(body.password, 1024), now(), request.ip, rt.loginGuard());
    if (!result.ok) {
      await rt.waitAfterFailure(result.failures);
      const ctx = viewContext(request, reply);
      const message = result.error === 'LOCKED' ? ctx.m.login.locked : ctx.m.login.invalid;
      return html(reply, ctx, ctx.m.login.title, <LoginPage ctx={ctx} email={email.slice(0, 254)} error={message} />, 401);
    }
    await rotateSession(rt, request, reply, result.account, 'password');
    return reply.code(303).redirect('/admin/mfa');
  });

  app.get('/mfa', async (request, reply) => {
    const account = request.adminSession!.account;
    const ctx = viewContext(request, reply);
    if (account.mfa_enrolled_at) return html(reply, ctx, ctx.m.mfa.verifyTitle, <MfaVerifyPage ctx={ctx} />);
    return renderEnrolment(reply, ctx, account);
  });

  async function renderEnrolment(reply: FastifyReply, ctx: AdminViewContext, account: AdminAccount, error?: string) {
    const secret = await pendingTotpSecret(db, rt.totpBox(), account);
    const qrSvg = await QRCode.toString(totpUri(secret, `Mamori ${shop.config.shopName}`, account.email), { type: 'svg', margin: 2, width: 220, errorCorrectionLevel: 'M' });
    return html(reply, ctx, ctx.m.mfa.enrolTitle, <MfaEnrolPage ctx={ctx} qrSvg={qrSvg} secret={secret} {...(error ? { error } : {})} />, error ? 401 : 200);
  }

  /** After a lock the password-stage session is gone: back to the login page with the reason. */
  async function lockedOut(request: FastifyRequest, reply: FastifyReply) {
    if (request.adminSession) await endSession(db, request.adminSession.idHash);
    reply.clearCookie(cookie.name, cookie.options);
    request.adminSession = null;
    const ctx = viewContext(request, reply);
    return html(reply, ctx, ctx.m.login.title, <LoginPage ctx={ctx} error={ctx.m.login.locked} />, 401);
  }

  // ---- admin-access signals (access-signals/sign-in-signals.ts) -------------------------------

  // The browser's own long-lived id (random, HttpOnly, only its hash stored per account): what a
  // "browser never seen for this account" is judged by. 400 days is the most browsers keep a cookie.
  const device = { name: shop.config.https ? '__Secure-mamori_admin_device' : 'mamori_admin_device', options: { ...cookie.options, maxAge: 400 * 86_400 } };
  let addressKey: Buffer | undefined;
  async function noteSignIn(request: FastifyRequest, reply: FastifyReply, account: AdminAccount, loginAuditEntryId: number) {
    addressKey ??= knownAddressKey(rt.loginGuard().nameKey);
    const { deviceId } = await recordSignInSignals(shop, addressKey, {
      account, ip: request.ip, userAgent: String(request.headers['user-agent'] ?? ''), deviceCookie: request.cookies[device.name], loginAuditEntryId,
    });
    reply.setCookie(device.name, deviceId, device.options);
  }

  app.post('/mfa/verify', async (request, reply) => {
    const form = CodeForm.safeParse(request.body ?? {});
    const account = request.adminSession!.account;
    const result = await checkSecondFactor(db, rt.totpBox(), account, form.success ? form.data.code : '', now(), request.ip, rt.loginGuard());
    if (!result.ok) {
      await rt.waitAfterFailure(result.failures);
      if (result.error === 'LOCKED') return lockedOut(request, reply);
      if (result.error === 'NOT_ENROLLED') return reply.code(303).redirect('/admin/mfa');
      const ctx = viewContext(request, reply);
      return html(reply, ctx, ctx.m.mfa.verifyTitle, <MfaVerifyPage ctx={ctx} error={ctx.m.mfa.invalid} />, 401);
    }
    await noteSignIn(request, reply, account, result.loginAuditEntryId);
    await rotateSession(rt, request, reply, account, 'full');
    return reply.code(303).redirect('/admin');
  });

  app.post('/mfa/enrol', async (request, reply) => {
    const form = CodeForm.safeParse(request.body ?? {});
    const account = request.adminSession!.account;
    if (account.mfa_enrolled_at) return reply.code(303).redirect('/admin/mfa');
    const result = await completeEnrolment(db, rt.totpBox(), account, form.success ? form.data.code : '', now(), request.ip, rt.loginGuard());
    if (!result.ok) {
      await rt.waitAfterFailure(result.failures);
      if (result.error === 'LOCKED') return lockedOut(request, reply);
      const ctx = viewContext(request, reply);
      return renderEnrolment(reply, ctx, account, ctx.m.mfa.invalid);
    }
    await noteSignIn(request, reply, account, result.loginAuditEntryId);
    await rotateSession(rt, request, reply, { ...account, mfa_enrolled_at: now().toISOString() }, 'full');
    const ctx = viewContext(request, reply);
    return html(reply, ctx, ctx.m.mfa.recoveryTitle, <RecoveryCodesPage ctx={ctx} codes={result.recoveryCodes} />);
  });

  app.post('/logout', async (request, reply) => {
    const s = request.adminSession;
    if (s) {
      await endSession(db, s.idHash);
      if (s.stage === 'full') await appendAuditEntry(db, { actor: `admin:${s.account.id}`, action: 'auth.logout', target: `account:${s.account.id}`, ip: request.ip, at: now() });
    }
    reply.clearCookie(cookie.name, cookie.options);
    return reply.code(303).redirect('/admin/login?m=loggedout');
  });

  app.post('/logout-everywhere', async (request, reply) => {
    const { account } = request.adminSession!;
    const ended = await endAllSessions(db, account.id);
    await appendAuditEntry(db, { actor: `admin:${account.id}`, action: 'auth.logout_everywhere', target: `account:${account.id}`, ip: request.ip, after: { sessionsEnded: ended }, at: now() });
    reply.clearCookie(cookie.name, cookie.options);
    return reply.code(303).redirect('/admin/login?m=loggedout');
  });
}
