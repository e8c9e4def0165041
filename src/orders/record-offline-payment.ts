// The merchant's way to "paid" for money that reaches the shop without a gateway: a bank
// transfer seen on the account, or the carrier's cash-on-delivery collection. Like settleOrder it
// is one transaction under the order's row lock, a compare-and-swap on its state, the amount
// checked against the frozen total, and the audit entry written inside it.
import type { ShopContext, ShopLogger } from '../shop-context.ts';
import { appendAuditEntry } from '../audit/audit-log.ts';
import { paymentMethodDb } from '../payment-methods/payment-method-tables.ts';
import { lockOrder } from './lock-order.ts';
import { markOrderPaid } from './pay-order.ts';
import { actorIp, actorLabel, type OrderActor } from './order-actor.ts';
import { notifyCustomer } from './notify-customer.ts';

export type OfflinePaymentResult =
  | { ok: true; outcome: 'paid' | 'collected' }
  | { ok: false; error: 'ORDER_NOT_FOUND' | 'NOT_OFFLINE_METHOD' | 'NOT_PAYABLE' | 'AMOUNT_MISMATCH'; expected?: number };

/** Bank transfer and cash on delivery: the methods whose money the merchant confirms by hand. */
const OFFLINE_METHODS = new Set(['bank_transfer', 'cod']);

/** `note`: the merchant's words on the payment (payer's name on the transfer, slip number), kept on the timeline. */
export async function recordOfflinePayment(shop: ShopContext, orderId: string, amount: number, actor: OrderActor, log: ShopLogger, opts: { note?: string } = {}): Promise<OfflinePaymentResult> {
  const result = await shop.db.db.transaction().execute(async (trx): Promise<OfflinePaymentResult> => {
    const r = await recordInTransaction(trx);
    if (r.ok && opts.note) {
      const order = (await lockOrder(trx, orderId))!;
      await trx.insertInto('order_events').values({ order_id: orderId, from_status: order.status, to_status: order.status, cause: `payment note: ${opts.note}`, created_at: shop.clock().toISOString() }).execute();
    }
    return r;
  });
  if (result.ok && result.outcome === 'paid') await notifyCustomer(shop, orderId, { kind: 'paid' }, log);
  return result;

  async function recordInTransaction(trx: Parameters<typeof lockOrder>[0]): Promise<OfflinePaymentResult> {
    const now = shop.clock();
    const order = await lockOrder(trx, orderId);
    if (!order) return { ok: false, error: 'ORDER_NOT_FOUND' };
    const pm = await paymentMethodDb(trx).selectFrom('order_payment_methods').where('order_id', '=', orderId).select('method').executeTakeFirst();
    if (!pm || !OFFLINE_METHODS.has(pm.method)) return { ok: false, error: 'NOT_OFFLINE_METHOD' };
    // The merchant types what arrived: a short or wrong transfer is not taken for the order's total.
    if (amount !== order.total) return { ok: false, error: 'AMOUNT_MISMATCH', expected: order.total };
    const reference = `${pm.method}:${order.order_number}`;
    if (order.status === 'pending_payment') {
      const paid = await markOrderPaid(trx, { orderId, provider: pm.method, transactionId: reference, source: 'merchant', now, actor });
      return paid ? { ok: true, outcome: 'paid' } : { ok: false, error: 'NOT_PAYABLE' };
    }
    // Cash on delivery is shipped first and collected at the door: the order stays fulfilled and its payment is recorded.
    if (pm.method === 'cod' && order.status === 'fulfilled' && order.paid_at === null) {
      const ts = now.toISOString();
      const r = await trx.updateTable('orders')
        .set({ payment_provider: pm.method, payment_transaction_id: reference, payment_status: 'captured', paid_at: ts, updated_at: ts })
        .where('id', '=', orderId).where('status', '=', 'fulfilled').where('paid_at', 'is', null).executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) return { ok: false, error: 'NOT_PAYABLE' };
      await trx.insertInto('order_events').values({ order_id: orderId, from_status: 'fulfilled', to_status: 'fulfilled', cause: `cash on delivery collected (${order.total} yen)`, created_at: ts }).execute();
      const ip = actorIp(actor);
      await appendAuditEntry(trx, {
        actor: actorLabel(actor), action: 'order.paid', target: `order:${orderId}`, ...(ip ? { ip } : {}),
        before: { status: 'fulfilled', paid: false }, after: { status: 'fulfilled', paid: true, provider: pm.method, amount, source: 'merchant' }, at: now,
      });
      return { ok: true, outcome: 'collected' };
    }
    return { ok: false, error: 'NOT_PAYABLE' };
  }
}

/** Whether the merchant may ship this unpaid order (cash on delivery), read in the caller's transaction. */
export async function shipsBeforePayment(trx: Parameters<typeof paymentMethodDb>[0], orderId: string): Promise<boolean> {
  const pm = await paymentMethodDb(trx).selectFrom('order_payment_methods').where('order_id', '=', orderId).select('method').executeTakeFirst();
  return pm?.method === 'cod';
}
