// Background safety nets: a lost notification never loses a paid order, and an order is never
// expired while its payment might have gone through.
import type { ShopContext, ShopLogger } from '../shop-context.ts';
import { expireUnpaidOrders } from '../orders/expire-orders.ts';
import { flushClosedRejectionCounters } from '../security-events/rejected-notifications.ts';
import { queryAndSettle } from './confirm-payment.ts';
import { settleStalePendingRefunds } from '../orders/refund-order.ts';

/** Asks the gateway about orders still awaiting payment that have been quiet for a while. */
export async function reconcilePendingPayments(shop: ShopContext, log: ShopLogger, quietForMs = 60_000): Promise<number> {
  if (!shop.payments) return 0;
  const cutoff = new Date(shop.clock().getTime() - quietForMs).toISOString();
  const pending = await shop.db.db.selectFrom('orders')
    .where('status', '=', 'pending_payment')
    .where('payment_provider', '=', shop.payments.name)
    .where('payment_transaction_id', 'is not', null)
    .where('updated_at', '<=', cutoff)
    .select('id').orderBy('updated_at').limit(200).execute();
  await settleStalePendingRefunds(shop, log);
  let settled = 0;
  for (const { id } of pending) {
    const r = await queryAndSettle(shop, id, 'reconciliation', log);
    if (r.outcome === 'paid') settled++;
  }
  if (settled) log.warn({ settled }, 'reconciliation settled paid orders whose notification had not arrived');
  return settled;
}

/**
 * Expires unpaid orders past their deadline: first a last status query for those with a
 * payment, then the expiry (stock released), then a best-effort cancel at the gateway.
 */
export async function expireOrdersAndCancelPayments(shop: ShopContext, log: ShopLogger): Promise<string[]> {
  const now = shop.clock();
  const db = shop.db.db;
  await flushClosedRejectionCounters(db, now);
  if (shop.payments) {
    const due = await db.selectFrom('orders')
      .where('status', '=', 'pending_payment').where('expires_at', '<=', now.toISOString()).where('payment_transaction_id', 'is not', null)
      .select('id').limit(200).execute();
    for (const { id } of due) await queryAndSettle(shop, id, 'reconciliation', log);
  }
  const expired = await expireUnpaidOrders(db, now);
  if (shop.payments && expired.length) {
    const withPayments = await db.selectFrom('orders').where('id', 'in', expired).where('payment_transaction_id', 'is not', null).select(['id', 'payment_transaction_id']).execute();
    for (const o of withPayments) {
      const r = await shop.payments.cancelPayment(o.payment_transaction_id!);
      if (!r.ok) log.info({ orderId: o.id, error: r.error }, 'could not cancel the expired order’s payment at the gateway');
    }
  }
  if (expired.length) log.info({ count: expired.length }, 'expired unpaid orders and released their stock');
  return expired;
}
