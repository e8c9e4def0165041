// Cancelling an order: an unpaid one at the gateway too, a paid one with a full refund (which is
// a refund like any other: the staff limit applies to it); the stock goes back. The state
// change, the stock release and the audit entry are one transaction.
import type { ShopContext, ShopLogger } from '../shop-context.ts';
import { queryAndSettle } from '../payments/confirm-payment.ts';
import { appendAuditEntry } from '../audit/audit-log.ts';
import { actorIp, actorLabel, type OrderActor } from './order-actor.ts';
import { lockOrder } from './lock-order.ts';
import { refundOrder } from './refund-order.ts';
import { releaseReservedStock, transitionOrder } from './service.ts';
import { notifyCustomer } from './notify-customer.ts';
import { releaseCouponRedemption } from '../coupons/coupon-service.ts';

export type CancelResult =
  | { ok: true }
  | { ok: false; error: 'ORDER_NOT_FOUND' | 'NOT_CANCELLABLE' | 'OVER_LIMIT' | 'GATEWAY_UNAVAILABLE' | 'GATEWAY_REJECTED'; detail?: string };

const CANCELLABLE = ['pending_payment', 'paid', 'payment_review'] as const;

export async function cancelOrder(shop: ShopContext, orderId: string, reason: string, actor: OrderActor, log: ShopLogger): Promise<CancelResult> {
  const db = shop.db.db;
  const load = () => db.selectFrom('orders').where('id', '=', orderId).select(['status', 'payment_transaction_id', 'refunded_total', 'total']).executeTakeFirst();
  let order = await load();
  if (!order) return { ok: false, error: 'ORDER_NOT_FOUND' };
  if (order.status === 'pending_payment' && order.payment_transaction_id) {
    // The customer may have paid a moment ago: learn that before cancelling, or money would be
    // taken for a cancelled order.
    await queryAndSettle(shop, orderId, 'reconciliation', log);
    order = (await load())!;
  }
  if (order.status === 'paid' || order.status === 'payment_review') {
    if (order.refunded_total < order.total) {
      const refund = await refundOrder(shop, orderId, undefined, `cancelled: ${reason}`, actor, log);
      if (!refund.ok) {
        if (refund.error === 'OVER_LIMIT' || refund.error === 'GATEWAY_UNAVAILABLE' || refund.error === 'ORDER_NOT_FOUND') return { ok: false, error: refund.error, detail: refund.detail };
        return { ok: false, error: refund.error === 'GATEWAY_REJECTED' ? 'GATEWAY_REJECTED' : 'NOT_CANCELLABLE', detail: refund.detail };
      }
    }
  } else if (order.status === 'pending_payment') {
    if (shop.payments && order.payment_transaction_id) {
      const c = await shop.payments.cancelPayment(order.payment_transaction_id);
      if (!c.ok && c.error === 'GATEWAY_UNAVAILABLE') return { ok: false, error: 'GATEWAY_UNAVAILABLE', detail: c.detail };
    }
  } else {
    return { ok: false, error: 'NOT_CANCELLABLE' };
  }
  const done = await db.transaction().execute(async (trx) => {
    const now = shop.clock();
    const locked = await lockOrder(trx, orderId);
    if (!locked || !(CANCELLABLE as readonly string[]).includes(locked.status)) return false;
    if (!(await transitionOrder(trx, orderId, [...CANCELLABLE], 'cancelled', `cancelled: ${reason}`, now))) return false;
    await releaseReservedStock(trx, orderId);
    // A cancelled order (unpaid, or paid and refunded in full) did not use its coupon: the slot goes back.
    const released = await releaseCouponRedemption(trx, orderId);
    const ip = actorIp(actor);
    await appendAuditEntry(trx, {
      actor: actorLabel(actor), action: 'order.cancelled', target: `order:${orderId}`, ...(ip ? { ip } : {}),
      before: { status: locked.status }, after: { status: 'cancelled', reason, ...(released ? { couponReleased: true } : {}) }, at: now,
    });
    return true;
  });
  if (!done) return { ok: false, error: 'NOT_CANCELLABLE' };
  await notifyCustomer(shop, orderId, { kind: 'cancelled' }, log);
  return { ok: true };
}
