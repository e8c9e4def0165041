import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { renderPage } from '../layout/page-layout.tsx';
import { messagesFor } from '../i18n/locale.ts';
import { buildViewContext } from '../http/view-context-builder.ts';
import { ShopError } from '../http/error-catalog.ts';
import { ORDER_ACCESS_COOKIE } from '../http/cookies.ts';
import { startPayment } from '../payments/start-payment.ts';
import { queryAndSettle } from '../payments/confirm-payment.ts';
import { customerOrderPath } from '../checkout/checkout-cart.ts';
import { findOrderByNumberAndEmail, getOrderDetail, getOrderForToken, type OrderDetail } from './service.ts';
import { returnTokenKey, verifyReturnToken } from './return-token.ts';
import { allowedReturnUrl, returnUrlWithOutcome } from '../checkout/return-url.ts';
import { OrderPage } from './views/order-page.tsx';
import { renderStorefrontReturnPage } from './views/storefront-return-page.tsx';
import { OrderLookupPage } from './views/order-lookup-page.tsx';
import { blankCardNumbers, containsCardNumber } from '../card-data/card-number-guard.ts';
import { sendOrderConfirmation } from './send-order-confirmation.ts';
import { orderPaymentDetails } from '../payment-methods/order-payment-method.ts';
import { receiptRefusal, storedReceipt } from './issue-receipt.ts';
import { issueReceiptPdf, receiptFailureStatus } from '../receipts/receipt-pdf.ts';
import type { ReceiptFormState } from './views/order-page.tsx';

const OrderId = z.uuid();
const PAYMENT_NOTICES = ['paymentReceived', 'paymentAwaiting', 'paymentDeclined', 'paymentCancelled', 'paymentBlocked', 'checkoutPaused', 'gatewayUnavailable'] as const;
type PaymentNotice = (typeof PAYMENT_NOTICES)[number];
/** Notices that mean "not paid": the result page is headed and announced as an error. */
const FAILURE_NOTICES: readonly PaymentNotice[] = ['paymentDeclined', 'paymentCancelled', 'paymentBlocked', 'checkoutPaused', 'gatewayUnavailable'];
/** How the customer reached the order: its access token, or the gateway return's token. */
type OrderAccess = { token: string } | { returnToken: string };
const Token = z.string().regex(/^[A-Za-z0-9_-]{20,100}$/);
// NUL is dropped: PostgreSQL refuses it in a query parameter (a 500 before).
const lookupText = (max: number) => z.string().transform((s) => s.replace(/\u0000/g, '').trim()).pipe(z.string().max(max));
const LookupForm = z.object({ orderNumber: lookupText(20), email: lookupText(254) });

export async function orderRoutes(app: FastifyInstance) {
  const shop = app.shop;
  const db = shop.db.db;
  const lookupLimit = { rateLimit: { max: app.web.rateLimits.lookup, timeWindow: '1 minute' } };

  // Order pages carry personal data and the access token is in their URL: no cache (browser,
  // proxy, back/forward) may keep a copy.
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('cache-control', 'no-store');
    return payload;
  });

  async function authorisedOrder(orderId: unknown, given: { token?: unknown; rt?: unknown }): Promise<{ detail: OrderDetail; access: OrderAccess }> {
    const id = OrderId.safeParse(orderId);
    // Same answer for "no such order", "wrong token" and "expired return token": nothing to enumerate.
    if (!id.success) throw new ShopError('MAMORI_ERR_ORDER_NOT_FOUND');
    if (given.token === undefined && typeof given.rt === 'string' && verifyReturnToken(returnTokenKey(shop.config), id.data, given.rt, shop.clock())) {
      const detail = await getOrderDetail(db, id.data);
      if (detail) return { detail, access: { returnToken: given.rt } };
      throw new ShopError('MAMORI_ERR_ORDER_NOT_FOUND');
    }
    const t = Token.safeParse(given.token);
    if (!t.success) throw new ShopError('MAMORI_ERR_ORDER_NOT_FOUND');
    const detail = await getOrderForToken(db, id.data, t.data);
    if (!detail) throw new ShopError('MAMORI_ERR_ORDER_NOT_FOUND');
    return { detail, access: { token: t.data } };
  }

  const orderPath = (orderId: string, access: OrderAccess) =>
    'token' in access ? customerOrderPath(orderId, access.token) : `/orders/${orderId}?rt=${encodeURIComponent(access.returnToken)}`;

  async function renderOrder(request: FastifyRequest, reply: FastifyReply, detail: OrderDetail, access: OrderAccess | undefined, notice?: PaymentNotice, receiptForm?: { value?: string; error?: string }, status = 200) {
    const ctx = await buildViewContext(request, reply);
    const payment = await orderPaymentDetails(shop, detail.order.id);
    // The receipt form needs the access the page was opened with (the lookup form gives none to post back).
    const stored = access && !receiptRefusal(detail.order) ? await storedReceipt(db, detail.order.id) : undefined;
    const receipt: ReceiptFormState | undefined = access && (!receiptRefusal(detail.order) || receiptForm?.error) ? {
      action: `/orders/${detail.order.id}/receipt`,
      hidden: 'token' in access ? { token: access.token } : { rt: access.returnToken },
      issuedTo: stored?.addressee, value: receiptForm?.value ?? detail.order.name, error: receiptForm?.error,
    } : undefined;
    return reply.code(status).type('text/html; charset=utf-8').send(
      renderPage(ctx, { title: ctx.m.order.orderTitle(detail.order.order_number), description: ctx.m.order.orderTitle(detail.order.order_number), indexable: false },
        <OrderPage ctx={ctx} detail={detail} token={access && 'token' in access ? access.token : undefined} returnToken={access && 'returnToken' in access ? access.returnToken : undefined}
          justPlaced={detail.order.status === 'pending_payment' || detail.order.status === 'paid'}
          notice={notice && ctx.m.order[notice]} noticeIsError={notice !== undefined && FAILURE_NOTICES.includes(notice)} payment={payment} receipt={receipt} />),
    );
  }

  app.get<{ Params: { orderId: string }; Querystring: { token?: string; rt?: string; payment?: string } }>('/orders/:orderId', { config: lookupLimit }, async (request, reply) => {
    const { detail, access } = await authorisedOrder(request.params.orderId, request.query);
    const notice = PAYMENT_NOTICES.find((n) => n === request.query.payment);
    return renderOrder(request, reply, detail, access, notice);
  });

  app.post<{ Params: { orderId: string } }>('/orders/:orderId/pay', { config: lookupLimit }, async (request, reply) => {
    const body = (request.body as Record<string, unknown> | undefined) ?? {};
    const { detail, access } = await authorisedOrder(request.params.orderId, { token: body.token, rt: body.rt });
    const r = await startPayment(shop, detail.order.id, request.ip, request.log);
    if (r.ok) {
      // The order mail goes out at the first payment start (if checkout could not start one). A
      // return token came from a payment already started, so that mail was claimed then.
      if ('token' in access) await sendOrderConfirmation(shop, detail.order.id, shop.config.publicUrl + customerOrderPath(detail.order.id, access.token), request.log);
      return reply.redirect(r.redirectUrl, 303);
    }
    const notice = r.error === 'PAYMENT_BLOCKED' ? 'paymentBlocked' : r.error === 'CHECKOUT_PAUSED' ? 'checkoutPaused' : r.error === 'ORDER_NOT_PAYABLE' ? undefined : 'gatewayUnavailable';
    return reply.redirect(orderPath(detail.order.id, access) + (notice ? `&payment=${notice}` : ''), 303);
  });

  // 領収書: a POST (it records the issue and fixes the 宛名), authorised like the order page.
  app.post<{ Params: { orderId: string } }>('/orders/:orderId/receipt', { config: lookupLimit }, async (request, reply) => {
    const body = (request.body as Record<string, unknown> | undefined) ?? {};
    const { detail, access } = await authorisedOrder(request.params.orderId, { token: body.token, rt: body.rt });
    const r = await issueReceiptPdf(shop, detail.order.id, body.addressee, { kind: 'customer', ip: request.ip }, request.locale);
    if (r.ok) return reply.type('application/pdf').header('content-disposition', `attachment; filename="${r.filename}"`).send(r.pdf);
    const typed = typeof body.addressee === 'string' && !containsCardNumber(body.addressee) ? body.addressee.slice(0, 100) : '';
    const words = messagesFor(request.locale).receipt.errors;
    return renderOrder(request, reply, detail, access, undefined, { value: typed, error: words[r.error === 'ORDER_NOT_FOUND' ? 'NOT_PAID' : r.error] }, receiptFailureStatus(r.error));
  });

  app.get<{ Params: { orderId: string }; Querystring: { cancelled?: string; rt?: string } }>('/orders/:orderId/payment-return', async (request, reply) => {
    // The return token in the URL the shop gave the gateway opens the page in any browser; the
    // order cookie still works for payments started before return tokens existed.
    const [cookieOrder, cookieToken] = (request.cookies[ORDER_ACCESS_COOKIE] ?? '').split('.');
    const byReturnToken = OrderId.safeParse(request.params.orderId).success && verifyReturnToken(returnTokenKey(shop.config), request.params.orderId, request.query.rt, shop.clock());
    if (!byReturnToken && cookieOrder !== request.params.orderId) return reply.redirect(`/orders/lookup?lang=${request.locale}`, 303);
    const { detail, access } = await authorisedOrder(request.params.orderId, byReturnToken ? { rt: request.query.rt } : { token: cookieToken });
    // Never trust the browser's return: ask the gateway, and settle only from its answer.
    const settled = detail.order.status === 'pending_payment' ? await queryAndSettle(shop, detail.order.id, 'return', request.log) : undefined;
    const after = await db.selectFrom('orders').where('id', '=', detail.order.id).select(['status', 'payment_status', 'return_url']).executeTakeFirstOrThrow();
    const notice: PaymentNotice =
      after.status === 'paid' || after.status === 'fulfilled' ? 'paymentReceived'
      : settled?.outcome === 'gateway_unavailable' ? 'paymentAwaiting'
      : after.payment_status === 'declined' ? 'paymentDeclined'
      : after.payment_status === 'cancelled' || after.payment_status === 'expired' || request.query.cancelled ? 'paymentCancelled'
      : 'paymentAwaiting';
    // A Store API order goes back to its storefront (still an allowed origin), which holds the access token.
    const storefront = after.return_url ? allowedReturnUrl(after.return_url, shop.config.storeApi.returnOrigins) : null;
    if (storefront) {
      return reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').type('text/html; charset=utf-8')
        .send(renderStorefrontReturnPage(request.locale, returnUrlWithOutcome(storefront, detail.order.id, notice)));
    }
    return reply.redirect(`${orderPath(detail.order.id, access)}&payment=${notice}`, 303);
  });

  app.get('/orders/lookup', async (request, reply) => {
    const ctx = await buildViewContext(request, reply);
    return reply.type('text/html; charset=utf-8').send(
      renderPage(ctx, { title: ctx.m.order.lookupTitle, description: ctx.m.order.lookupIntro, indexable: false }, <OrderLookupPage ctx={ctx} values={{ orderNumber: '', email: '' }} />),
    );
  });

  app.post('/orders/lookup', { config: lookupLimit }, async (request, reply) => {
    const form = LookupForm.safeParse(request.body);
    const values = form.success ? form.data : { orderNumber: '', email: '' };
    // A card number typed into the lookup is neither looked up nor echoed back.
    if (containsCardNumber(values.orderNumber) || containsCardNumber(values.email)) {
      const ctx = await buildViewContext(request, reply);
      return reply.code(400).type('text/html; charset=utf-8').send(renderPage(ctx, { title: ctx.m.order.lookupTitle, description: ctx.m.order.lookupIntro, indexable: false },
        <OrderLookupPage ctx={ctx} values={blankCardNumbers(values)} error={ctx.m.errors.cardNumber} />));
    }
    const detail = form.success && values.orderNumber && values.email ? await findOrderByNumberAndEmail(db, values.orderNumber, values.email) : undefined;
    if (detail) return renderOrder(request, reply, detail, undefined);
    const ctx = await buildViewContext(request, reply);
    return reply.code(404).type('text/html; charset=utf-8').send(
      renderPage(ctx, { title: ctx.m.order.lookupTitle, description: ctx.m.order.lookupIntro, indexable: false },
        <OrderLookupPage ctx={ctx} values={values} error={ctx.m.order.lookupNotFound} />),
    );
  });
}
