import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { renderPage } from '../layout/page-layout.tsx';
import { buildViewContext } from '../http/view-context-builder.ts';
import { ShopError } from '../http/error-catalog.ts';
import { ORDER_ACCESS_COOKIE } from '../http/cookies.ts';
import { startPayment } from '../payments/start-payment.ts';
import { queryAndSettle } from '../payments/confirm-payment.ts';
import { messagesFor } from '../i18n/locale.ts';
import { customerOrderPath } from '../checkout/checkout-cart.ts';
import { findOrderByNumberAndEmail, getOrderForToken, type OrderDetail } from './service.ts';
import { OrderPage } from './views/order-page.tsx';
import { OrderLookupPage } from './views/order-lookup-page.tsx';
import { blankCardNumbers, containsCardNumber } from '../card-data/card-number-guard.ts';
import { sendOrderConfirmation } from './send-order-confirmation.ts';

const OrderId = z.uuid();
const PAYMENT_NOTICES = ['paymentReceived', 'paymentAwaiting', 'paymentDeclined', 'paymentCancelled', 'paymentBlocked', 'checkoutPaused', 'gatewayUnavailable'] as const;
type PaymentNotice = (typeof PAYMENT_NOTICES)[number];
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

  async function authorisedOrder(orderId: unknown, token: unknown): Promise<{ detail: OrderDetail; token: string }> {
    const id = OrderId.safeParse(orderId);
    const t = Token.safeParse(token);
    // Same answer for "no such order" and "wrong token": nothing to enumerate.
    if (!id.success || !t.success) throw new ShopError('MAMORI_ERR_ORDER_NOT_FOUND');
    const detail = await getOrderForToken(db, id.data, t.data);
    if (!detail) throw new ShopError('MAMORI_ERR_ORDER_NOT_FOUND');
    return { detail, token: t.data };
  }

  async function renderOrder(request: FastifyRequest, reply: FastifyReply, detail: OrderDetail, token: string | undefined, notice?: string) {
    const ctx = await buildViewContext(request, reply);
    return reply.type('text/html; charset=utf-8').send(
      renderPage(ctx, { title: ctx.m.order.orderTitle(detail.order.order_number), description: ctx.m.order.orderTitle(detail.order.order_number), indexable: false },
        <OrderPage ctx={ctx} detail={detail} token={token} justPlaced={detail.order.status === 'pending_payment' || detail.order.status === 'paid'} notice={notice} />),
    );
  }

  app.get<{ Params: { orderId: string }; Querystring: { token?: string; payment?: string } }>('/orders/:orderId', { config: lookupLimit }, async (request, reply) => {
    const { detail, token } = await authorisedOrder(request.params.orderId, request.query.token);
    const notice = PAYMENT_NOTICES.find((n) => n === request.query.payment);
    return renderOrder(request, reply, detail, token, notice && messagesFor(request.locale).order[notice]);
  });

  app.post<{ Params: { orderId: string } }>('/orders/:orderId/pay', { config: lookupLimit }, async (request, reply) => {
    const { detail, token } = await authorisedOrder(request.params.orderId, (request.body as Record<string, unknown> | undefined)?.token);
    const r = await startPayment(shop, detail.order.id, request.ip, request.log);
    if (r.ok) {
      // The order mail goes out at the first payment start (if checkout could not start one).
      await sendOrderConfirmation(shop, detail.order.id, shop.config.publicUrl + customerOrderPath(detail.order.id, token), request.log);
      return reply.redirect(r.redirectUrl, 303);
    }
    const notice = r.error === 'PAYMENT_BLOCKED' ? 'paymentBlocked' : r.error === 'CHECKOUT_PAUSED' ? 'checkoutPaused' : r.error === 'ORDER_NOT_PAYABLE' ? undefined : 'gatewayUnavailable';
    return reply.redirect(customerOrderPath(detail.order.id, token) + (notice ? `&payment=${notice}` : ''), 303);
  });

  app.get<{ Params: { orderId: string }; Querystring: { cancelled?: string } }>('/orders/:orderId/payment-return', async (request, reply) => {
    const [cookieOrder, cookieToken] = (request.cookies[ORDER_ACCESS_COOKIE] ?? '').split('.');
    if (cookieOrder !== request.params.orderId) return reply.redirect(`/orders/lookup?lang=${request.locale}`, 303);
    const { detail, token } = await authorisedOrder(cookieOrder, cookieToken);
    // Never trust the browser's return: ask the gateway, and settle only from its answer.
    const settled = detail.order.status === 'pending_payment' ? await queryAndSettle(shop, detail.order.id, 'return', request.log) : undefined;
    const after = await db.selectFrom('orders').where('id', '=', detail.order.id).select(['status', 'payment_status']).executeTakeFirstOrThrow();
    const notice: PaymentNotice =
      after.status === 'paid' || after.status === 'fulfilled' ? 'paymentReceived'
      : settled?.outcome === 'gateway_unavailable' ? 'paymentAwaiting'
      : after.payment_status === 'declined' ? 'paymentDeclined'
      : after.payment_status === 'cancelled' || after.payment_status === 'expired' || request.query.cancelled ? 'paymentCancelled'
      : 'paymentAwaiting';
    return reply.redirect(`${customerOrderPath(detail.order.id, token)}&payment=${notice}`, 303);
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
