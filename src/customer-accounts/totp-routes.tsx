// Two-step verification over HTTP (customer-totp.ts): /account/totp (turn on: QR code and key,
// confirmed by a first code; recovery codes shown once), /account/totp/disable (password and a
// code), /account/totp/recovery-codes (new codes, the same way), and /account/login/totp, the second step of a password sign-in. Between the two steps the
// browser holds a 'password'-stage row of customer_sessions: server-side, bound to that cookie,
// valid for PASSWORD_STAGE_MS, and never a signed-in session (signedInCustomer wants 'full'). The
// right code replaces it with a new id at stage 'full', as a password sign-in rotates.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import QRCode from 'qrcode';
import type { ViewContext } from '../layout/view-context.ts';
import { totpUri } from '../admin/totp.ts';
import type { AccountRuntime } from './account-runtime.ts';
import { endCustomerSession, lookupCustomerSession, type CustomerSession } from './customer-sessions.ts';
import { checkSignInSecondFactor, confirmEnrolment, disableTotp, enrolmentSecret, renewRecoveryCodes } from './customer-totp.ts';
import type { AccountFieldError } from './register-customer.ts';
import { LoginPage } from './views/account-pages.tsx';
import { TotpEnrolPage, TotpLoginPage, TotpRecoveryCodesPage } from './views/totp-pages.tsx';

type Words = (ctx: ViewContext) => string;

export interface TotpRouteDeps {
  rt: AccountRuntime;
  page(request: FastifyRequest, reply: FastifyReply, title: Words, body: (ctx: ViewContext) => ComponentChildren, status?: number): Promise<FastifyReply>;
  startSession(request: FastifyRequest, reply: FastifyReply, customerId: number, stage: 'password' | 'full'): Promise<void>;
  requireCustomer(request: FastifyRequest, reply: FastifyReply): Promise<CustomerSession | undefined>;
  renderAccount(request: FastifyRequest, reply: FastifyReply, s: CustomerSession, extra: { errorNotice?: Words; errors?: AccountFieldError[] }, status: number): Promise<FastifyReply>;
  waitMs(ms: number): Promise<void>;
  authLimit: object;
  cookieName: string;
  passkeys: boolean;
}

const str = (body: unknown, key: string, max: number): string => {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' ? v.slice(0, max) : '';
};

export function customerTotpRoutes(app: FastifyInstance, d: TotpRouteDeps): void {
  const { rt } = d;
  const shop = rt.shop;
  const limits = shop.config.customerAccounts;

  async function pendingSignIn(request: FastifyRequest): Promise<CustomerSession | undefined> {
    const s = await lookupCustomerSession(shop.db.db, request.cookies[d.cookieName], 'web', { idleMs: limits.sessionIdleMs, maxMs: limits.sessionMaxMs }, rt.now());
    return s?.stage === 'password' ? s : undefined;
  }
  const toLogin = (request: FastifyRequest, reply: FastifyReply) => reply.redirect(`/account/login?lang=${request.locale}`, 303);

  // --- the sign-in's second step ---
  app.get('/account/login/totp', async (request, reply) => {
    if (!(await pendingSignIn(request))) return toLogin(request, reply);
    return d.page(request, reply, (c) => c.m.account.totpLoginTitle, (ctx) => <TotpLoginPage ctx={ctx} />);
  });

  app.post('/account/login/totp', { config: d.authLimit }, async (request, reply) => {
    const pending = await pendingSignIn(request);
    if (!pending) return toLogin(request, reply);
    const r = await checkSignInSecondFactor(rt, pending.customer.id, str(request.body, 'code', 40), request.ip, request.log);
    if (r.ok) {
      await d.startSession(request, reply, pending.customer.id, 'full');
      return reply.redirect(`/account?lang=${request.locale}`, 303);
    }
    await d.waitMs(r.delayMs);
    if (r.error === 'LOCKED') {
      // Locked: the half-done sign-in ends too, so the next try starts from the password again.
      await endCustomerSession(shop.db.db, pending.idHash);
      reply.clearCookie(d.cookieName, app.web.cookieOptions({ path: '/' }));
      return d.page(request, reply, (c) => c.m.account.loginTitle, (ctx) => <LoginPage ctx={ctx} passkeys={d.passkeys} email="" error={ctx.m.account.totpLocked} />, 401);
    }
    return d.page(request, reply, (c) => c.m.account.totpLoginTitle, (ctx) => <TotpLoginPage ctx={ctx} error={ctx.m.account.totpWrong} />, 401);
  });

  // --- turning it on ---
  async function enrolPage(request: FastifyRequest, reply: FastifyReply, s: CustomerSession, error?: Words, status = 200) {
    const e = await enrolmentSecret(rt, s.customer.id);
    if (!e.ok) return reply.redirect(`/account?lang=${request.locale}#totp`, 303);
    const qrSvg = await QRCode.toString(totpUri(e.secret, shop.config.shopName, s.customer.email), { type: 'svg', margin: 2, width: 220, errorCorrectionLevel: 'M' });
    return d.page(request, reply, (c) => c.m.account.totpEnrolTitle, (ctx) => <TotpEnrolPage ctx={ctx} qrSvg={qrSvg} secret={e.secret} error={error?.(ctx)} />, status);
  }

  app.get('/account/totp', async (request, reply) => {
    const s = await d.requireCustomer(request, reply);
    if (!s) return reply;
    return enrolPage(request, reply, s);
  });

  app.post('/account/totp', { config: d.authLimit }, async (request, reply) => {
    const s = await d.requireCustomer(request, reply);
    if (!s) return reply;
    const r = await confirmEnrolment(rt, s.customer.id, str(request.body, 'code', 40), request.ip, s.idHash, request.log);
    if (r.ok) return d.page(request, reply, (c) => c.m.account.totpRecoveryTitle, (ctx) => <TotpRecoveryCodesPage ctx={ctx} codes={r.recoveryCodes} />);
    await d.waitMs(r.delayMs);
    if (r.error === 'ALREADY_ON') return reply.redirect(`/account?lang=${request.locale}#totp`, 303);
    return enrolPage(request, reply, s, (ctx) => (r.error === 'LOCKED' ? ctx.m.account.totpLocked : ctx.m.account.totpWrong), 400);
  });

  // --- turning it off ---
  app.post('/account/totp/disable', { config: d.authLimit }, async (request, reply) => {
    const s = await d.requireCustomer(request, reply);
    if (!s) return reply;
    const r = await disableTotp(rt, s.customer.id, str(request.body, 'totpPassword', 256), str(request.body, 'totpCode', 40), request.ip, request.log);
    if (r.ok) return reply.redirect(`/account?done=totpDisabled&lang=${request.locale}#totp`, 303);
    await d.waitMs(r.delayMs);
    if (r.error === 'NOT_ON') return reply.redirect(`/account?lang=${request.locale}#totp`, 303);
    const words: Words = (ctx) => (r.error === 'WRONG_PASSWORD' ? ctx.m.account.wrongPassword : r.error === 'LOCKED' ? ctx.m.account.totpLocked : ctx.m.account.totpWrong);
    return d.renderAccount(request, reply, s, { errorNotice: words }, 400);
  });

  // --- new recovery codes, in place of the old ones ---
  app.post('/account/totp/recovery-codes', { config: d.authLimit }, async (request, reply) => {
    const s = await d.requireCustomer(request, reply);
    if (!s) return reply;
    const r = await renewRecoveryCodes(rt, s.customer.id, str(request.body, 'renewPassword', 256), str(request.body, 'renewCode', 40), request.ip, request.log);
    if (r.ok) return d.page(request, reply, (c) => c.m.account.totpRenewedTitle, (ctx) => <TotpRecoveryCodesPage ctx={ctx} codes={r.recoveryCodes} renewed />);
    await d.waitMs(r.delayMs);
    if (r.error === 'NOT_ON') return reply.redirect(`/account?lang=${request.locale}#totp`, 303);
    // At the field that was wrong; a lock is told at the code, whichever field tripped it.
    const error: AccountFieldError = r.error === 'WRONG_PASSWORD' ? { field: 'renewPassword', code: 'wrongPassword' } : { field: 'renewCode', code: r.error === 'LOCKED' ? 'totpLocked' : 'totpWrong' };
    const words: Words = (ctx) => (r.error === 'WRONG_PASSWORD' ? ctx.m.account.wrongPassword : r.error === 'LOCKED' ? ctx.m.account.totpLocked : ctx.m.account.totpWrong);
    return d.renderAccount(request, reply, s, { errors: [error], errorNotice: words }, 400);
  });
}
