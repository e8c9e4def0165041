// Server-to-server notifications from the gateway. Verified over the raw body bytes; replays
// and duplicates are no-ops; anything rejected is a security event. A 5xx makes the gateway
// retry, so infrastructure faults are not swallowed.
import type { FastifyInstance } from 'fastify';
import { ShopError } from '../http/error-catalog.ts';
import { recordSecurityEvent } from '../security-events/record-security-event.ts';
import { confirmPayment, queryAndSettle } from './confirm-payment.ts';

export async function paymentRoutes(app: FastifyInstance) {
  const shop = app.shop;
  // Signatures are over the exact bytes received: keep them instead of a parsed object.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  // Generous for a gateway's bursts and retries; a flood of forged posts cannot fill the
  // security-event table unchecked.
  app.post<{ Params: { provider: string } }>('/payments/:provider/notifications', { config: { rateLimit: { max: app.web.rateLimits.notifications, timeWindow: '1 minute' } } }, async (request, reply) => {
    const provider = shop.payments;
    if (!provider || provider.name !== request.params.provider) throw new ShopError('MAMORI_ERR_NOT_FOUND');
    const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const verified = await provider.verifyNotification({ headers: request.headers, rawBody });
    if (!verified.ok) {
      await recordSecurityEvent(shop.db.db, 'payment.notification_rejected', { provider: provider.name, reason: verified.error, detail: verified.detail }, shop.clock(), request.ip);
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
    const result = await confirmPayment(shop, {
      provider: provider.name,
      eventId: n.eventId,
      state: { transactionId: n.transactionId, orderReference: n.orderReference, status: n.status, amount: n.amount, currency: n.currency, refundedAmount: 0 },
      source: 'notification',
      now: shop.clock(),
      clientIp: request.ip,
    }, request.log);
    // Refund notifications carry no refunded total: read it from the gateway.
    if (result.orderId && (n.status === 'refunded' || n.status === 'partially_refunded')) await queryAndSettle(shop, result.orderId, 'notification', request.log);
    return reply.send({ received: true, outcome: result.outcome });
  });
}
