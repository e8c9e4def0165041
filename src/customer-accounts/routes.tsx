// /account: registration, verification, sign-in and out, password reset, the account page
// (orders, addresses, settings, APPI export and deletion). Registered inside the storefront's
// HTML group in app.ts, so every POST here is CSRF-checked at preValidation like the checkout.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ComponentChildren } from 'preact';
import { z } from 'zod';
import { renderPage } from '../layout/page-layout.tsx';
import { buildViewContext } from '../http/view-context-builder.ts';
import type { ViewContext } from '../layout/view-context.ts';
import { blankCardNumbers } from '../card-data/card-number-guard.ts';
import { parseCustomerDetails } from '../checkout/customer-details.ts';
import { getOrderDetail } from '../orders/service.ts';
import { OrderPage, type ReceiptFormState } from '../orders/views/order-page.tsx';
import type { OrderDetail } from '../orders/service.ts';
import { receiptRefusal, storedReceipt } from '../orders/issue-receipt.ts';
import { issueReceiptPdf, receiptFailureStatus } from '../receipts/receipt-pdf.ts';
import { containsCardNumber } from '../card-data/card-number-guard.ts';
import { accountRuntime, type CustomerAccountOptions } from './account-runtime.ts';
import { customerSessionCookie, endCustomerSession, lookupCustomerSession, openCustomerSession, type CustomerSession } from './customer-sessions.ts';
import { parseRegistration, registerCustomer, verifyCustomerEmail, type AccountFieldError } from './register-customer.ts';
import { signInCustomer } from './sign-in-customer.ts';
import { CustomerEmail } from './customer-email.ts';
import { completePasswordReset, requestPasswordReset } from './reset-password.ts';
import { tokenValid } from './customer-tokens.ts';
import { changePassword, confirmEmailChange, mailCustomer, requestEmailChange } from './change-account.ts';
import { addAddress, customerOwnsOrder, deleteAddress, deleteCustomer, exportCustomerData, listAddresses, listCustomerOrders, setDefaultAddress } from './account-queries.ts';
import { authenticationOptions, deletePasskey, listPasskeys, registerPasskey, registrationOptions, relyingPartyOf, verifyPasskeySignIn } from './customer-passkeys.ts';
import { sendProblem } from '../http/error-handler.tsx';
import { messagesFor } from '../i18n/locale.ts';
import { ACCOUNT_PERMISSIONS_POLICY } from '../http/security-headers.ts';
import { AccountPage, ConfirmLinkPage, LoginPage, RegisterPage, ResetPasswordPage, ResetRequestPage } from './views/account-pages.tsx';
import { RowIdParam } from '../http/row-id.js';
// Two-step verification (issue 18): its routes live in totp-routes.tsx.
import { customerTotpRoutes } from './totp-routes.tsx';
import { remainingRecoveryCodes } from './customer-totp.ts';

const str = (body: unknown, key: string, max = 300): string => {
  const v = (body && typeof body === 'object' ? (body as Record<string, unknown>)[key] : undefined);
  return typeof v === 'string' ? v.slice(0, max) : '';
};
const Id = RowIdParam;
const OrderId = z.uuid();

/** The signed-in customer of a request (web session, both factors), if any. */
export async function signedInCustomer(request: FastifyRequest): Promise<CustomerSession | undefined> {
  const shop = request.server.shop;
  const c = shop.config.customerAccounts;
  const s = await lookupCustomerSession(shop.db.db, request.cookies[customerSessionCookie(shop.config.https)], 'web', { idleMs: c.sessionIdleMs, maxMs: c.sessionMaxMs }, shop.clock());
  return s?.stage === 'full' ? s : undefined;
}

export async function customerAccountRoutes(app: FastifyInstance, opts: CustomerAccountOptions = {}) {
  const shop = app.shop;
  const rt = accountRuntime(shop, opts);
  app.addHook('onClose', async () => rt.settleMails());
  const waitMs = opts.waitMs ?? ((ms: number) => sleep(ms).then(() => undefined));
  const cookieName = customerSessionCookie(shop.config.https);
  const limits = shop.config.customerAccounts;
  const authLimit = { rateLimit: { max: limits.authPerMinute, timeWindow: '1 minute' } };
  const rp = relyingPartyOf(shop.config.publicUrl, shop.config.shopName);

  // Account pages carry personal data: no cache may keep them. They are also the only pages that
  // may use WebAuthn: everywhere else, the way to payment included, the shop-wide policy forbids it.
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.url.startsWith('/account')) {
      reply.header('cache-control', 'no-store');
      if (rp) reply.header('permissions-policy', ACCOUNT_PERMISSIONS_POLICY);
    }
    return payload;
  });

  async function page(request: FastifyRequest, reply: FastifyReply, title: (ctx: ViewContext) => string, body: (ctx: ViewContext) => ComponentChildren, status = 200) {
    const ctx = await buildViewContext(request, reply);
    return reply.code(status).type('text/html; charset=utf-8').send(renderPage(ctx, { title: title(ctx), description: title(ctx), indexable: false }, body(ctx)));
  }

  async function startSession(request: FastifyRequest, reply: FastifyReply, customerId: number, stage: 'password' | 'full') {
    // Rotated at sign-in: whatever id the browser had before never becomes a signed-in session.
    const old = await lookupCustomerSession(shop.db.db, request.cookies[cookieName], 'web', { idleMs: limits.sessionIdleMs, maxMs: limits.sessionMaxMs }, rt.now());
    if (old) await endCustomerSession(shop.db.db, old.idHash);
    const id = await openCustomerSession(shop.db.db, customerId, stage, 'web', { ip: request.ip, userAgent: String(request.headers['user-agent'] ?? '') }, rt.now());
    reply.setCookie(cookieName, id, app.web.cookieOptions({ path: '/', maxAge: Math.floor(limits.sessionMaxMs / 1000) }));
  }

  const requireCustomer = async (request: FastifyRequest, reply: FastifyReply): Promise<CustomerSession | undefined> => {
    const s = await signedInCustomer(request);
    if (!s) void reply.redirect(`/account/login?lang=${request.locale}`, 303);
    return s;
  };

  // --- registration and verification ---
  app.get('/account/register', async (request, reply) => page(request, reply, (c) => c.m.account.registerTitle, (ctx) => <RegisterPage ctx={ctx} values={{ email: '', name: '' }} errors={[]} />));

  app.post('/account/register', { config: authLimit }, async (request, reply) => {
    const parsed = parseRegistration(request.body, shop.config.shopName);
    if (!parsed.ok) {
      const values = blankCardNumbers({ email: str(request.body, 'email', 254), name: str(request.body, 'name', 100) });
      return page(request, reply, (c) => c.m.account.registerTitle, (ctx) => <RegisterPage ctx={ctx} values={values} errors={parsed.errors} />, 400);
    }
    await registerCustomer(rt, { ...parsed.value, locale: request.locale }, request.log);
    return page(request, reply, (c) => c.m.account.registerTitle, (ctx) => <RegisterPage ctx={ctx} values={{ email: '', name: '' }} errors={[]} notice={ctx.m.account.registerSent(parsed.value.email)} />);
  });

  app.get<{ Querystring: { token?: string } }>('/account/verify', async (request, reply) => {
    const ok = await tokenValid(shop.db.db, request.query.token, 'verify_email', rt.now());
    return page(request, reply, (c) => c.m.account.verifyTitle, (ctx) => (
      <ConfirmLinkPage ctx={ctx} title={ctx.m.account.verifyTitle} action="/account/verify" token={String(request.query.token ?? '')} button={ctx.m.account.verifyTitle} error={ok ? undefined : ctx.m.account.linkInvalid} />), ok ? 200 : 400);
  });

  app.post('/account/verify', async (request, reply) => {
    if (await verifyCustomerEmail(rt, str(request.body, 'token'))) {
      return page(request, reply, (c) => c.m.account.loginTitle, (ctx) => <LoginPage ctx={ctx} passkeys={rp !== undefined} email="" notice={ctx.m.account.verifyDone} />);
    }
    return page(request, reply, (c) => c.m.account.verifyTitle, (ctx) => <ConfirmLinkPage ctx={ctx} title={ctx.m.account.verifyTitle} action="/account/verify" token="" button="" error={ctx.m.account.linkInvalid} />, 400);
  });

  // --- sign-in and out ---
  app.get('/account/login', async (request, reply) => {
    if (await signedInCustomer(request)) return reply.redirect(`/account?lang=${request.locale}`, 303);
    return page(request, reply, (c) => c.m.account.loginTitle, (ctx) => <LoginPage ctx={ctx} passkeys={rp !== undefined} email="" />);
  });

  app.post('/account/login', { config: authLimit }, async (request, reply) => {
    const email = str(request.body, 'email', 254);
    const r = await signInCustomer(rt, email, str(request.body, 'password', 256), request.ip);
    if (r.ok) {
      await startSession(request, reply, r.customer.id, r.needsSecondFactor ? 'password' : 'full');
      return reply.redirect(r.needsSecondFactor ? `/account/login/totp?lang=${request.locale}` : `/account?lang=${request.locale}`, 303);
    }
    if (r.error === 'UNVERIFIED') {
      // Only someone who knows the password gets here: a fresh link, and the same words as registration.
      await registerCustomer(rt, { email: r.customer.email, name: r.customer.name, password: str(request.body, 'password', 256), locale: r.customer.locale }, request.log);
      return page(request, reply, (c) => c.m.account.loginTitle, (ctx) => <LoginPage ctx={ctx} passkeys={rp !== undefined} email="" notice={ctx.m.account.registerSent(r.customer.email)} />, 200);
    }
    await waitMs(r.delayMs);
    const values = blankCardNumbers({ email });
    return page(request, reply, (c) => c.m.account.loginTitle, (ctx) => <LoginPage ctx={ctx} passkeys={rp !== undefined} email={values.email} error={r.error === 'LOCKED' ? ctx.m.account.loginLocked : ctx.m.account.loginFailed} />, 401);
  });

  app.post('/account/logout', async (request, reply) => {
    const s = await lookupCustomerSession(shop.db.db, request.cookies[cookieName], 'web', { idleMs: limits.sessionIdleMs, maxMs: limits.sessionMaxMs }, rt.now());
    if (s) await endCustomerSession(shop.db.db, s.idHash);
    reply.clearCookie(cookieName, app.web.cookieOptions({ path: '/' }));
    return reply.redirect(`/?lang=${request.locale}`, 303);
  });

  // --- forgotten password ---
  app.get('/account/password-reset', async (request, reply) => page(request, reply, (c) => c.m.account.resetTitle, (ctx) => <ResetRequestPage ctx={ctx} email="" errors={[]} />));

  app.post('/account/password-reset', { config: authLimit }, async (request, reply) => {
    const email = CustomerEmail.safeParse(str(request.body, 'email', 254));
    if (!email.success) {
      const errors: AccountFieldError[] = [{ field: 'email', code: email.error.issues[0]?.message === 'cardNumber' ? 'cardNumber' : 'email' }];
      return page(request, reply, (c) => c.m.account.resetTitle, (ctx) => <ResetRequestPage ctx={ctx} email="" errors={errors} />, 400);
    }
    await requestPasswordReset(rt, email.data, request.log);
    return page(request, reply, (c) => c.m.account.resetTitle, (ctx) => <ResetRequestPage ctx={ctx} email="" errors={[]} notice={ctx.m.account.resetSent(email.data)} />);
  });

  app.get<{ Querystring: { token?: string } }>('/account/password-reset/confirm', async (request, reply) => {
    const ok = await tokenValid(shop.db.db, request.query.token, 'reset_password', rt.now());
    return page(request, reply, (c) => c.m.account.resetTitle, (ctx) => <ResetPasswordPage ctx={ctx} token={String(request.query.token ?? '')} errors={[]} error={ok ? undefined : ctx.m.account.linkInvalid} />, ok ? 200 : 400);
  });

  app.post('/account/password-reset/confirm', { config: authLimit }, async (request, reply) => {
    const token = str(request.body, 'token');
    const r = await completePasswordReset(rt, token, str(request.body, 'password', 300), request.log);
    if (r.ok) return page(request, reply, (c) => c.m.account.loginTitle, (ctx) => <LoginPage ctx={ctx} passkeys={rp !== undefined} email="" notice={ctx.m.account.resetDone} />);
    if (r.error === 'LINK_INVALID') return page(request, reply, (c) => c.m.account.resetTitle, (ctx) => <ResetPasswordPage ctx={ctx} token="" errors={[]} error={ctx.m.account.linkInvalid} />, 400);
    return page(request, reply, (c) => c.m.account.resetTitle, (ctx) => <ResetPasswordPage ctx={ctx} token={token} errors={[{ field: 'password', code: r.error }]} />, 400);
  });

  // --- the account page ---
  type Words = (ctx: ViewContext) => string;
  async function renderAccount(request: FastifyRequest, reply: FastifyReply, s: CustomerSession, extra: { notice?: Words | undefined; errors?: AccountFieldError[]; errorNotice?: Words | undefined } = {}, status = 200) {
    const [orders, addresses, passkeys, recoveryLeft] = await Promise.all([
      listCustomerOrders(shop.db.db, s.customer.id), listAddresses(shop.db.db, s.customer.id), rp ? listPasskeys(shop.db.db, s.customer.id) : undefined,
      remainingRecoveryCodes(shop.db.db, s.customer.id),
    ]);
    const totp = { enrolledAt: s.customer.totp_enrolled_at, recoveryLeft };
    return page(request, reply, (c) => c.m.account.accountTitle, (ctx) => (
      <AccountPage ctx={ctx} data={{ email: s.customer.email, orders, addresses, passkeys, totp }} notice={extra.notice?.(ctx)} errors={extra.errors ?? []} errorNotice={extra.errorNotice?.(ctx)} />), status);
  }
  const wrongPassword: Words = (ctx) => ctx.m.account.wrongPassword;
  const NOTICES = ['saved', 'changePasswordDone', 'changeEmailDone', 'passkeyRegistered', 'passkeyDeleted', 'totpEnabled', 'totpDisabled', 'totpRecoveryRenewed'] as const;

  app.get<{ Querystring: { done?: string } }>('/account', async (request, reply) => {
    const s = await requireCustomer(request, reply);
    if (!s) return reply;
    const done = NOTICES.find((n) => n === request.query.done);
    return renderAccount(request, reply, s, done ? { notice: (ctx) => ctx.m.account[done] } : {});
  });

  /** One of the signed-in customer's own orders; another's (or none) is not found, never "forbidden". */
  async function ownOrder(s: CustomerSession, orderId: string): Promise<OrderDetail | undefined> {
    const id = OrderId.safeParse(orderId);
    return id.success && (await customerOwnsOrder(shop.db.db, s.customer.id, id.data)) ? await getOrderDetail(shop.db.db, id.data) : undefined;
  }
  const orderNotFound = (request: FastifyRequest, reply: FastifyReply) => page(request, reply, (c) => c.m.errors.notFound, (ctx) => <p>{ctx.m.errors.notFound}</p>, 404);

  // The order page of the history, with the 領収書 download as on the order's own page (the session is the access).
  async function renderAccountOrder(request: FastifyRequest, reply: FastifyReply, detail: OrderDetail, receiptForm?: { value?: string; error?: string }, status = 200) {
    const refused = receiptRefusal(detail.order);
    const stored = refused ? undefined : await storedReceipt(shop.db.db, detail.order.id);
    const receipt: ReceiptFormState | undefined = !refused || receiptForm?.error ? {
      action: `/account/orders/${detail.order.id}/receipt`, hidden: {},
      issuedTo: stored?.addressee, value: receiptForm?.value ?? detail.order.name, error: receiptForm?.error,
    } : undefined;
    return page(request, reply, (c) => c.m.order.orderTitle(detail.order.order_number), (ctx) => <OrderPage ctx={ctx} detail={detail} receipt={receipt} />, status);
  }

  app.get<{ Params: { orderId: string } }>('/account/orders/:orderId', async (request, reply) => {
    const s = await requireCustomer(request, reply);
    if (!s) return reply;
    const detail = await ownOrder(s, request.params.orderId);
    return detail ? renderAccountOrder(request, reply, detail) : orderNotFound(request, reply);
  });

  app.post<{ Params: { orderId: string } }>('/account/orders/:orderId/receipt', async (request, reply) => {
    const s = await requireCustomer(request, reply);
    if (!s) return reply;
    const detail = await ownOrder(s, request.params.orderId);
    if (!detail) return orderNotFound(request, reply);
    const addressee = (request.body as Record<string, unknown> | undefined)?.addressee;
    const r = await issueReceiptPdf(shop, detail.order.id, addressee, { kind: 'customer', ip: request.ip }, request.locale);
    if (r.ok) return reply.type('application/pdf').header('content-disposition', `attachment; filename="${r.filename}"`).header('cache-control', 'no-store').send(r.pdf);
    const typed = typeof addressee === 'string' && !containsCardNumber(addressee) ? addressee.slice(0, 100) : '';
    const words = messagesFor(request.locale).receipt.errors;
    return renderAccountOrder(request, reply, detail, { value: typed, error: words[r.error === 'ORDER_NOT_FOUND' ? 'NOT_PAID' : r.error] }, receiptFailureStatus(r.error));
  });

  app.post('/account/password', { config: authLimit }, async (request, reply) => {
    const s = await requireCustomer(request, reply);
    if (!s) return reply;
    const r = await changePassword(rt, s.customer, str(request.body, 'currentPassword', 256), str(request.body, 'newPassword', 300), s.idHash, request.log);
    if (r.ok) return reply.redirect(`/account?done=changePasswordDone&lang=${request.locale}#settings`, 303);
    const errors: AccountFieldError[] = r.error === 'WRONG_PASSWORD' ? [] : [{ field: 'newPassword', code: r.error }];
    return renderAccount(request, reply, s, { errors, ...(r.error === 'WRONG_PASSWORD' ? { errorNotice: wrongPassword } : {}) }, 400);
  });

  app.post('/account/email', { config: authLimit }, async (request, reply) => {
    const s = await requireCustomer(request, reply);
    if (!s) return reply;
    const email = CustomerEmail.safeParse(str(request.body, 'newEmail', 254));
    if (!email.success) return renderAccount(request, reply, s, { errors: [{ field: 'newEmail', code: email.error.issues[0]?.message === 'cardNumber' ? 'cardNumber' : 'email' }] }, 400);
    const r = await requestEmailChange(rt, s.customer, email.data, str(request.body, 'emailPassword', 256), request.log);
    if (!r.ok) return renderAccount(request, reply, s, { errorNotice: wrongPassword }, 400);
    return renderAccount(request, reply, s, { notice: (ctx) => ctx.m.account.changeEmailSent(email.data) });
  });

  app.get<{ Querystring: { token?: string } }>('/account/email/confirm', async (request, reply) => {
    const ok = await tokenValid(shop.db.db, request.query.token, 'change_email', rt.now());
    return page(request, reply, (c) => c.m.account.changeEmailTitle, (ctx) => (
      <ConfirmLinkPage ctx={ctx} title={ctx.m.account.changeEmailTitle} action="/account/email/confirm" token={String(request.query.token ?? '')} button={ctx.m.account.changeEmailTitle} error={ok ? undefined : ctx.m.account.linkInvalid} />), ok ? 200 : 400);
  });

  app.post('/account/email/confirm', async (request, reply) => {
    if (await confirmEmailChange(rt, str(request.body, 'token'), request.log)) return reply.redirect(`/account?done=changeEmailDone&lang=${request.locale}`, 303);
    return page(request, reply, (c) => c.m.account.changeEmailTitle, (ctx) => <ConfirmLinkPage ctx={ctx} title={ctx.m.account.changeEmailTitle} action="/account/email/confirm" token="" button="" error={ctx.m.account.linkInvalid} />, 400);
  });

  // --- saved addresses ---
  app.post('/account/addresses', async (request, reply) => {
    const s = await requireCustomer(request, reply);
    if (!s) return reply;
    const b = request.body;
    const parsed = parseCustomerDetails({
      email: s.customer.email, name: str(b, 'name'), phone: str(b, 'phone'),
      shippingAddress: { country: 'JP', postalCode: str(b, 'postalCode'), prefecture: str(b, 'prefecture'), city: str(b, 'city'), line1: str(b, 'line1'), line2: str(b, 'line2') },
    });
    if (!parsed.ok) {
      const errors: AccountFieldError[] = parsed.errors.map((e) => ({ field: e.field.replace(/^shippingAddress\./, ''), code: e.code }));
      return renderAccount(request, reply, s, { errors }, 400);
    }
    await addAddress(shop.db.db, s.customer.id, parsed.value, str(b, 'isDefault') === '1', rt.now());
    return reply.redirect(`/account?done=saved&lang=${request.locale}#addresses`, 303);
  });

  app.post<{ Params: { id: string } }>('/account/addresses/:id/default', async (request, reply) => {
    const s = await requireCustomer(request, reply);
    if (!s) return reply;
    const id = Id.safeParse(request.params.id);
    if (id.success) await setDefaultAddress(shop.db.db, s.customer.id, id.data);
    return reply.redirect(`/account?done=saved&lang=${request.locale}#addresses`, 303);
  });

  app.post<{ Params: { id: string } }>('/account/addresses/:id/delete', async (request, reply) => {
    const s = await requireCustomer(request, reply);
    if (!s) return reply;
    const id = Id.safeParse(request.params.id);
    if (id.success) await deleteAddress(shop.db.db, s.customer.id, id.data);
    return reply.redirect(`/account?done=saved&lang=${request.locale}#addresses`, 303);
  });

  // --- APPI: the customer's data, and deleting the account ---
  app.get('/account/data.json', async (request, reply) => {
    const s = await requireCustomer(request, reply);
    if (!s) return reply;
    const data = await exportCustomerData(shop.db.db, s.customer.id);
    return reply.type('application/json; charset=utf-8').header('content-disposition', 'attachment; filename="my-data.json"')
      .send(JSON.stringify({ shop: shop.config.shopName, exportedAt: rt.now().toISOString(), ...data }, null, 2));
  });

  app.post('/account/delete', { config: authLimit }, async (request, reply) => {
    const s = await requireCustomer(request, reply);
    if (!s) return reply;
    if (!(await rt.passwords.verify(str(request.body, 'deletePassword', 256), s.customer.password_hash))) {
      return renderAccount(request, reply, s, { errorNotice: wrongPassword }, 400);
    }
    await deleteCustomer(shop.db.db, s.customer.id);
    mailCustomer(rt, s.customer, { kind: 'changed', what: 'deleted' }, request.log);
    reply.clearCookie(cookieName, app.web.cookieOptions({ path: '/' }));
    return page(request, reply, (c) => c.m.account.deleteTitle, (ctx) => (
      <section><h1>{ctx.m.account.deleteTitle}</h1><p role="status">{ctx.m.account.deleted}</p><p>{ctx.m.account.deleteKeeps}</p></section>));
  });

  // --- passkeys (customer-passkeys.ts): JSON for public/passkeys.js, CSRF-checked like the forms ---
  const problem = (request: FastifyRequest, reply: FastifyReply, code: Parameters<typeof sendProblem>[2], detail?: (m: ViewContext['m']) => string) =>
    sendProblem(request, reply, code, detail ? detail(messagesFor(request.locale)) : undefined);

  app.post('/account/passkeys/options', async (request, reply) => {
    if (!rp) return problem(request, reply, 'MAMORI_ERR_PASSKEYS_UNAVAILABLE');
    const s = await signedInCustomer(request);
    if (!s) return problem(request, reply, 'MAMORI_ERR_SIGN_IN_REQUIRED');
    return reply.send(await registrationOptions(shop.db.db, rp, s.customer, rt.now()));
  });

  app.post('/account/passkeys', { config: authLimit }, async (request, reply) => {
    if (!rp) return problem(request, reply, 'MAMORI_ERR_PASSKEYS_UNAVAILABLE');
    const s = await signedInCustomer(request);
    if (!s) return problem(request, reply, 'MAMORI_ERR_SIGN_IN_REQUIRED');
    const r = await registerPasskey(shop.db.db, rp, s.customer.id, (request.body as { credential?: unknown } | undefined)?.credential, rt.now());
    if (!r.ok) return problem(request, reply, 'MAMORI_ERR_PASSKEY_REJECTED', (m) => (r.error === 'TOO_MANY' ? m.account.passkeyTooMany : m.account.passkeyFailed));
    mailCustomer(rt, s.customer, { kind: 'changed', what: 'passkey' }, request.log);
    return reply.send({ redirect: `/account?done=passkeyRegistered&lang=${request.locale}#passkeys` });
  });

  app.post('/account/passkeys/delete', async (request, reply) => {
    const s = await requireCustomer(request, reply);
    if (!s) return reply;
    if (await deletePasskey(shop.db.db, s.customer.id, str(request.body, 'credentialId', 1400))) {
      mailCustomer(rt, s.customer, { kind: 'changed', what: 'passkeyRemoved' }, request.log);
    }
    return reply.redirect(`/account?done=passkeyDeleted&lang=${request.locale}#passkeys`, 303);
  });

  app.post('/account/login/passkey/options', { config: authLimit }, async (request, reply) => {
    if (!rp) return problem(request, reply, 'MAMORI_ERR_PASSKEYS_UNAVAILABLE');
    return reply.send(await authenticationOptions(shop.db.db, rp, rt.now()));
  });

  app.post('/account/login/passkey', { config: authLimit }, async (request, reply) => {
    if (!rp) return problem(request, reply, 'MAMORI_ERR_PASSKEYS_UNAVAILABLE');
    const r = await verifyPasskeySignIn(shop.db.db, rp, (request.body as { credential?: unknown } | undefined)?.credential, rt.now());
    if (!r.ok) return problem(request, reply, 'MAMORI_ERR_PASSKEY_SIGN_IN_FAILED', (m) => m.account.passkeyLoginFailed);
    // No TOTP step here, on purpose: a passkey with user verification (required at registration
    // and here) is already two factors — something held (the device's private key, which never
    // leaves it and signs only for this origin) and something known or been (its PIN, screen lock
    // or biometric). It is phishing-resistant, which a typed TOTP code is not, so asking for a
    // code too would add friction without adding a factor.
    await startSession(request, reply, r.customerId, 'full');
    return reply.send({ redirect: `/account?lang=${request.locale}` });
  });

  // --- two-step verification (totp-routes.tsx) ---
  customerTotpRoutes(app, { rt, page, startSession, requireCustomer, renderAccount, waitMs, authLimit, cookieName, passkeys: rp !== undefined });
}
