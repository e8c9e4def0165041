// The order side of settlement: the state changes settleOrder makes once it has decided, inside
// its transaction and under its row lock, each with its audit entry in that same transaction.
import type { Kysely } from 'kysely';
import type { Database, OrderStatus } from '../db/schema.ts';
import { appendAuditEntry } from '../audit/audit-log.ts';
import { actorLabel, type OrderActor } from './order-actor.ts';

export const PAYMENTS_ACTOR: OrderActor = { kind: 'system', name: 'payments' };

/** pending_payment → paid, as a compare-and-swap. False when the order was no longer pending. */
export async function markOrderPaid(
  trx: Kysely<Database>,
  p: { orderId: string; provider: string; transactionId: string; source: string; now: Date; actor?: OrderActor },
): Promise<boolean> {
  const ts = p.now.toISOString();
  const r = await trx.updateTable('orders')
    .set({ status: 'paid', payment_provider: p.provider, payment_transaction_id: p.transactionId, payment_status: 'captured', paid_at: ts, updated_at: ts })
    .where('id', '=', p.orderId).where('status', '=', 'pending_payment')
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return false;
  await trx.insertInto('order_events').values({ order_id: p.orderId, from_status: 'pending_payment', to_status: 'paid', cause: `payment captured (${p.source}, ${p.provider} ${p.transactionId})`, created_at: ts }).execute();
  await appendAuditEntry(trx, {
    actor: actorLabel(p.actor ?? PAYMENTS_ACTOR), action: 'order.paid', target: `order:${p.orderId}`,
    before: { status: 'pending_payment' }, after: { status: 'paid', provider: p.provider, transactionId: p.transactionId, source: p.source }, at: p.now,
  });
  return true;
}

/** Holds an order for a person to look at (mismatch, double capture, paid after expiry). */
export async function holdOrderForReview(
  trx: Kysely<Database>,
  p: { orderId: string; from: OrderStatus; paymentStatus: string; cause: string; now: Date; actor?: OrderActor },
): Promise<void> {
  if (p.from === 'payment_review') return;
  const ts = p.now.toISOString();
  await trx.updateTable('orders').set({ status: 'payment_review', payment_status: p.paymentStatus, updated_at: ts }).where('id', '=', p.orderId).execute();
  await trx.insertInto('order_events').values({ order_id: p.orderId, from_status: p.from, to_status: 'payment_review', cause: p.cause, created_at: ts }).execute();
  await appendAuditEntry(trx, {
    actor: actorLabel(p.actor ?? PAYMENTS_ACTOR), action: 'order.payment_review', target: `order:${p.orderId}`,
    before: { status: p.from }, after: { status: 'payment_review', cause: p.cause }, at: p.now,
  });
}
