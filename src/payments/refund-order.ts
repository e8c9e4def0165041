// Refunds and cancellations go through the payment port and are recorded on the order.
// The back office puts buttons on these; the customer is told by e-mail there.
import type { ShopContext, ShopLogger } from '../shop-context.ts';
import { releaseReservedStock, transitionOrder } from '../orders/service.ts';
import { queryAndSettle } from './confirm-payment.ts';
import { notifyCustomer } from '../orders/notify-customer.ts';

export type RefundResult =
  | { ok: true; refundedTotal: number }
  | { ok: false; error: 'ORDER_NOT_FOUND' | 'NOT_REFUNDABLE' | 'AMOUNT_TOO_LARGE' | 'GATEWAY_UNAVAILABLE' | 'GATEWAY_REJECTED'; detail?: string };

export async function refundOrder(shop: ShopContext, orderId: string, amount: number | undefined, reason: string, log: ShopLogger): Promise<RefundResult> {
  const db = shop.db.db;
  const order = await db.selectFrom('orders').where('id', '=', orderId).select(['status', 'total', 'refunded_total', 'payment_provider', 'payment_transaction_id']).executeTakeFirst();
  if (!order) return { ok: false, error: 'ORDER_NOT_FOUND' };
  const provider = shop.payments;
  if (!provider || order.payment_provider !== provider.name || !order.payment_transaction_id || !['paid', 'fulfilled', 'payment_review', 'cancelled'].includes(order.status)) {
    return { ok: false, error: 'NOT_REFUNDABLE' };
  }
  const remaining = order.total - order.refunded_total;
  const requested = amount ?? remaining;
  if (!Number.isInteger(requested) || requested <= 0 || requested > remaining) return { ok: false, error: 'AMOUNT_TOO_LARGE', detail: `at most ${remaining} yen can be refunded` };
  const r = await provider.refundPayment(order.payment_transaction_id, requested === order.total ? undefined : requested);
  if (!r.ok) {
    log.warn({ orderId, error: r.error }, 'refund failed at the gateway');
    return { ok: false, error: r.error === 'GATEWAY_UNAVAILABLE' ? 'GATEWAY_UNAVAILABLE' : 'GATEWAY_REJECTED', detail: r.detail };
  }
  const now = shop.clock().toISOString();
  const refundedTotal = order.refunded_total + requested;
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('refunds').values({ order_id: orderId, amount: requested, reason, created_at: now }).execute();
    await trx.updateTable('orders').set({ refunded_total: refundedTotal, payment_status: r.value.status, updated_at: now }).where('id', '=', orderId).execute();
    await trx.insertInto('order_events').values({ order_id: orderId, from_status: order.status, to_status: order.status, cause: `refunded ${requested} yen: ${reason}`, created_at: now }).execute();
  });
  await notifyCustomer(shop, orderId, { kind: 'refunded', amount: requested, refundedTotal }, log);
  return { ok: true, refundedTotal };
}

export type CancelResult = { ok: true } | { ok: false; error: 'ORDER_NOT_FOUND' | 'NOT_CANCELLABLE' | 'GATEWAY_UNAVAILABLE' | 'GATEWAY_REJECTED'; detail?: string };

/** Cancels an order: an unpaid one at the gateway too, a paid one with a full refund; stock goes back. */
export async function cancelOrder(shop: ShopContext, orderId: string, reason: string, log: ShopLogger): Promise<CancelResult> {
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
      const refund = await refundOrder(shop, orderId, undefined, `cancelled: ${reason}`, log);
      if (!refund.ok) return { ok: false, error: refund.error === 'GATEWAY_UNAVAILABLE' ? 'GATEWAY_UNAVAILABLE' : 'GATEWAY_REJECTED', detail: refund.detail };
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
    if (!(await transitionOrder(trx, orderId, ['pending_payment', 'paid', 'payment_review'], 'cancelled', `cancelled: ${reason}`, shop.clock()))) return false;
    await releaseReservedStock(trx, orderId);
    return true;
  });
  if (!done) return { ok: false, error: 'NOT_CANCELLABLE' };
  await notifyCustomer(shop, orderId, { kind: 'cancelled' }, log);
  return { ok: true };
}
