// Background safety nets: a lost notification never loses a paid order, and an order is never
// expired while its payment might have gone through.
import type { ShopContext, ShopLogger } from '../shop-context.ts';
import { expireUnpaidOrders } from '../orders/expire-orders.ts';
import { flushClosedRejectionCounters } from '../security-events/rejected-notifications.ts';
import { queryAndSettle } from './confirm-payment.ts';
import { settleStalePendingRefunds } from '../orders/refund-order.ts';
import { paymentMethodDb } from '../payment-methods/payment-method-tables.ts';

/**
 * Wait before the next status query about a konbini order, after `asked` queries so far. The
 * customer pays at the store some time within days, and the gateway's signed notification is
 * what normally settles the order; the query is only the net for a lost notification. Five
 * minutes first catches a notification lost right after a quick store payment; doubling keeps
 * the gateway traffic of an order that waits three days to about twenty queries; six hours caps
 * how long a lost notification can leave a paid order unshipped.
 */
export function konbiniQueryWaitMs(asked: number): number {
  return Math.min(KONBINI_FIRST_WAIT_MS * 2 ** Math.max(0, asked - 1), KONBINI_MAX_WAIT_MS);
}
const KONBINI_FIRST_WAIT_MS = 5 * 60_000;
const KONBINI_MAX_WAIT_MS = 6 * 3600_000;

/**
 * Asks the gateway about orders still awaiting payment that have been quiet for a while. Card
 * orders are asked on every run; konbini orders only once their growing wait since the last
 * query has passed (their last query, at deadline + grace, is the expiry's).
 */
export async function reconcilePendingPayments(shop: ShopContext, log: ShopLogger, quietForMs = 60_000): Promise<number> {
  if (!shop.payments) return 0;
  const now = shop.clock();
  const cutoff = new Date(now.getTime() - quietForMs).toISOString();
  const db = paymentMethodDb(shop.db.db);
  const pending = await db.selectFrom('orders as o')
    .leftJoin('order_payment_methods as pm', 'pm.order_id', 'o.id')
    .where('o.status', '=', 'pending_payment')
    .where('o.payment_provider', '=', shop.payments.name)
    .where('o.payment_transaction_id', 'is not', null)
    .where('o.updated_at', '<=', cutoff)
    .where((eb) => eb.or([
      eb('pm.method', 'is', null),
      eb('pm.method', '!=', 'konbini'),
      eb.and([eb('pm.method', '=', 'konbini'), eb.or([eb('pm.status_next_ask_at', 'is', null), eb('pm.status_next_ask_at', '<=', now.toISOString())])]),
    ]))
    .select(['o.id', 'pm.method', 'pm.status_ask_count']).orderBy('o.updated_at').limit(200).execute();
  await settleStalePendingRefunds(shop, log);
  let settled = 0;
  for (const { id, method, status_ask_count } of pending) {
    const r = await queryAndSettle(shop, id, 'reconciliation', log);
    if (r.outcome === 'paid') settled++;
    if (method === 'konbini') {
      // Recorded whatever the answer (a gateway outage too): the wait keeps an outage from
      // turning into a query per order per minute.
      const asked = (status_ask_count ?? 0) + 1;
      await db.updateTable('order_payment_methods')
        .set({ status_asked_at: now.toISOString(), status_ask_count: asked, status_next_ask_at: new Date(now.getTime() + konbiniQueryWaitMs(asked)).toISOString() })
        .where('order_id', '=', id).execute();
    }
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
