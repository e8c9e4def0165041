// Server-to-server notifications from the gateway. Verified over the raw body bytes; replays
// and duplicates are no-ops; rejections are security events (aggregated per address and minute).
// A 5xx makes the gateway retry, so infrastructure faults are not swallowed.
import type { FastifyInstance } from 'fastify';
import { ShopError } from '../http/error-catalog.ts';
import { recordSecurityEvent } from '../security-events/record-security-event.ts';
import { recordRejectedNotification } from '../security-events/rejected-notifications.ts';
import { confirmPayment, queryAndSettle } from './confirm-payment.ts';
import type { PaymentState, PaymentStatus } from './payment-provider.ts';

/** Statuses that could move an order towards "paid": never taken from a notification alone. */
const MONEY_CLAIMS = new Set<PaymentStatus>(['captured', 'authorized']);

export async function paymentRoutes(app: FastifyInstance) {
  const shop = app.shop;
  // Signatures are over the exact bytes received: keep them instead of a parsed object.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.post<{ Params: { provider: string } }>('/payments/:provider/notifications', { config: { rateLimit: { max: app.web.rateLimits.notifications, timeWindow: '1 minute' } } }, async (request, reply) => {
    const provider = shop.payments;
    if (!provider || provider.name !== request.params.provider) throw new ShopError('MAMORI_ERR_NOT_FOUND');
    const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const verified = await provider.verifyNotification({ headers: request.headers, rawBody });
    if (!verified.ok) {
      await recordRejectedNotification(shop.db.db, { provider: provider.name, reason: verified.error, detail: verified.detail, clientIp: request.ip, now: shop.clock() });
      request.log.warn({ reason: verified.error }, 'payment notification rejected');
      throw new ShopError(verified.error === 'MALFORMED' ? 'MAMORI_ERR_MALFORMED_BODY' : 'MAMORI_ERR_VALIDATION', `notification rejected: ${verified.error}`);
    }
    const n = verified.value;
    if (!n.trusted) {
      // A gateway whose signature does not protect the fields: take the notification as a
      // trigger only, and settle from the shop's own query.
      const attempt = await shop.db.db.selectFrom('payment_attempts').where('provider', '=', provider.name).where('transaction_id', '=', n.transactionId).select('order_id').executeTakeFirst();
      if (attempt) await queryAndSettle(shop, attempt.order_id, 'notification', request.log);
      return reply.send({ received: true });
    }
    let state: PaymentState = { transactionId: n.transactionId, orderReference: n.orderReference, status: n.status, amount: n.amount, currency: n.currency, refundedAmount: 0 };
    if (MONEY_CLAIMS.has(n.status)) {
      // Even a correctly signed "captured" is confirmed by the shop's own status query before
      // the order becomes paid: a leaked notification secret must not let anyone forge a paid
      // order. It costs one query per payment; an unreachable gateway gets a 503 and retries.
      const attempt = await shop.db.db.selectFrom('payment_attempts').where('provider', '=', provider.name).where('transaction_id', '=', n.transactionId).select('order_id').executeTakeFirst();
      if (attempt) {
        const queried = await provider.getPayment(n.transactionId);
        if (!queried.ok && queried.error === 'GATEWAY_UNAVAILABLE') throw new ShopError('MAMORI_ERR_PAYMENT_UNAVAILABLE', 'payment status could not be confirmed; retry later');
        if (!queried.ok || queried.value.status !== n.status) {
          await recordSecurityEvent(shop.db.db, 'payment.notification_unconfirmed', {
            orderId: attempt.order_id, transactionId: n.transactionId, eventId: n.eventId, claimed: n.status,
            queried: queried.ok ? queried.value.status : queried.error,
          }, shop.clock(), request.ip);
          request.log.warn({ orderId: attempt.order_id, claimed: n.status }, 'signed notification contradicted by the gateway status query');
        }
        if (!queried.ok) return reply.send({ received: true, outcome: 'unconfirmed' });
        state = queried.value;
      }
    }
    const result = await confirmPayment(shop, {
      provider: provider.name,
      eventId: n.eventId,
      state,
      source: 'notification',
      now: shop.clock(),
      clientIp: request.ip,
    }, request.log);
    // Refund notifications carry no refunded total: read it from the gateway.
    if (result.orderId && (n.status === 'refunded' || n.status === 'partially_refunded')) await queryAndSettle(shop, result.orderId, 'notification', request.log);
    return reply.send({ received: true, outcome: result.outcome });
  });
}
