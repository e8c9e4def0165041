import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { appendAuditEntry } from '../audit/audit-log.ts';
import { actorLabel, type OrderActor } from './order-actor.ts';
import { lockOrder } from './lock-order.ts';
import { releaseReservedStock, transitionOrder } from './service.ts';
import { releaseCouponRedemption } from '../coupons/coupon-service.ts';

const EXPIRY: OrderActor = { kind: 'system', name: 'expiry' };

/**
 * Expires orders left unpaid past their deadline and releases their stock, each in one
 * transaction with its audit entry. The deadline is short for an order whose payment never
 * started and longer once the customer is at the gateway (see startPayment). Returns the ids expired.
 */
export async function expireUnpaidOrders(db: Kysely<Database>, now: Date, actor: OrderActor = EXPIRY): Promise<string[]> {
  const due = await db
    .selectFrom('orders')
    .where('status', '=', 'pending_payment')
    .where('expires_at', '<=', now.toISOString())
    .select('id')
    .limit(500)
    .execute();
  const expired: string[] = [];
  for (const { id } of due) {
    const done = await db.transaction().execute(async (trx) => {
      const order = await lockOrder(trx, id);
      if (!order || order.status !== 'pending_payment' || order.expires_at > now.toISOString()) return false;
      if (!(await transitionOrder(trx, id, ['pending_payment'], 'expired', 'payment not completed in time', now))) return false;
      await releaseReservedStock(trx, id);
      await releaseCouponRedemption(trx, id);
      await appendAuditEntry(trx, {
        actor: actorLabel(actor), action: 'order.expired', target: `order:${id}`,
        before: { status: 'pending_payment', expiresAt: order.expires_at, paymentStarted: order.payment_transaction_id !== null }, after: { status: 'expired' }, at: now,
      });
      return true;
    });
    if (done) expired.push(id);
  }
  return expired;
}
