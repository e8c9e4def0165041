// Refunds, as one locked operation in three steps so that the gateway call never sits between
// a check and a write: (1) under the order's row lock, check what is left and the staff limit,
// then reserve the amount (a pending refund row, refunded_total incremented in SQL); (2) call
// the gateway; (3) under the lock again, confirm the refund or give the reservation back. Two
// refunds racing see each other's reservation, so together they can never exceed what was
// paid, whatever the gateway answers. The audit entry is written in the transaction of step 3
// (or of step 1 when the limit refuses).
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { ShopContext, ShopLogger } from '../shop-context.ts';
import { adminDb } from '../admin/admin-tables.ts';
import { appendAuditEntry } from '../audit/audit-log.ts';
import { actorIp, actorLabel, type OrderActor } from './order-actor.ts';
import { lockOrder } from './lock-order.ts';
import { notifyCustomer } from './notify-customer.ts';

export type RefundError = 'ORDER_NOT_FOUND' | 'NOT_REFUNDABLE' | 'AMOUNT_TOO_LARGE' | 'OVER_LIMIT' | 'GATEWAY_UNAVAILABLE' | 'GATEWAY_REJECTED';
export type RefundResult = { ok: true; refundedTotal: number } | { ok: false; error: RefundError; detail?: string };

const REFUNDABLE = new Set(['paid', 'fulfilled', 'payment_review', 'cancelled']);

/** What an actor may still refund on an order: unlimited (owners, the system) or a yen amount. */
export interface RefundAllowance { limit: number | null; used: number; left: number | null }

/**
 * A staff member's limit applies to the total they refund on one order (cancellations that
 * refund included), so ¥1,000 and then ¥879 of the same order is ¥1,879 against the limit.
 * Read in the caller's transaction: under the order lock, it counts every reservation.
 */
export async function refundAllowance(db: Kysely<Database>, orderId: string, actor: OrderActor): Promise<RefundAllowance> {
  if (actor.kind !== 'admin') return { limit: null, used: 0, left: null };
  const account = await adminDb(db).selectFrom('admin_accounts').where('id', '=', actor.id).select(['role', 'refund_limit']).executeTakeFirst();
  const used = await db.selectFrom('refunds')
    .where('order_id', '=', orderId).where('actor', '=', actorLabel(actor)).where('status', 'in', ['pending', 'completed'])
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount'), sql<number>`0`).as('n'))
    .executeTakeFirstOrThrow();
  const usedYen = Number(used.n);
  if (account?.role === 'owner') return { limit: null, used: usedYen, left: null };
  // Staff up to their limit (none set = nothing); other roles may not refund at all.
  const limit = account?.role === 'staff' ? account.refund_limit ?? 0 : 0;
  return { limit, used: usedYen, left: Math.max(0, limit - usedYen) };
}

export async function refundOrder(shop: ShopContext, orderId: string, amount: number | undefined, reason: string, actor: OrderActor, log: ShopLogger): Promise<RefundResult> {
  const db = shop.db.db;
  const provider = shop.payments;
  const label = actorLabel(actor);
  const ip = actorIp(actor);

  type Reserved = { ok: true; refundId: number; requested: number; transactionId: string; total: number; before: number };
  const reserved = await db.transaction().execute(async (trx): Promise<Reserved | Extract<RefundResult, { ok: false }>> => {
    const now = shop.clock();
    const order = await lockOrder(trx, orderId);
    if (!order) return { ok: false, error: 'ORDER_NOT_FOUND' };
    if (!provider || order.payment_provider !== provider.name || !order.payment_transaction_id || !REFUNDABLE.has(order.status)) {
      return { ok: false, error: 'NOT_REFUNDABLE' };
    }
    const remaining = order.total - order.refunded_total;
    const requested = amount ?? remaining;
    if (!Number.isInteger(requested) || requested <= 0 || requested > remaining) {
      return { ok: false, error: 'AMOUNT_TOO_LARGE', detail: `at most ${remaining} yen can be refunded` };
    }
    const allowance = await refundAllowance(trx, orderId, actor);
    if (allowance.left !== null && requested > allowance.left) {
      await appendAuditEntry(trx, {
        actor: label, action: 'order.refund_refused', target: `order:${orderId}`, ...(ip ? { ip } : {}),
        after: { amount: requested, reason: 'over_refund_limit', limit: allowance.limit, alreadyRefundedByActor: allowance.used }, at: now,
      });
      return { ok: false, error: 'OVER_LIMIT', detail: `${allowance.left} yen left of the limit on this order` };
    }
    const ts = now.toISOString();
    const row = await trx.insertInto('refunds')
      .values({ order_id: orderId, amount: requested, reason, status: 'pending', actor: label, created_at: ts })
      .returning('id').executeTakeFirstOrThrow();
    await trx.updateTable('orders').set((eb) => ({ refunded_total: eb('refunded_total', '+', requested), updated_at: ts })).where('id', '=', orderId).execute();
    return { ok: true, refundId: row.id, requested, transactionId: order.payment_transaction_id, total: order.total, before: order.refunded_total };
  });
  if (!reserved.ok) return reserved;

  const r = await provider!.refundPayment(reserved.transactionId, reserved.requested === reserved.total ? undefined : reserved.requested);

  const settled = await db.transaction().execute(async (trx): Promise<RefundResult> => {
    const now = shop.clock();
    const ts = now.toISOString();
    const order = (await lockOrder(trx, orderId))!;
    if (!r.ok) {
      // The gateway refused or could not be reached: the reservation is given back. (A refund the
      // gateway made without answering shows up in its refund notification and status query.)
      await trx.updateTable('refunds').set({ status: 'failed' }).where('id', '=', reserved.refundId).execute();
      await trx.updateTable('orders').set((eb) => ({ refunded_total: eb('refunded_total', '-', reserved.requested), updated_at: ts })).where('id', '=', orderId).execute();
      await appendAuditEntry(trx, {
        actor: label, action: 'order.refund_failed', target: `order:${orderId}`, ...(ip ? { ip } : {}),
        after: { amount: reserved.requested, reason, gatewayError: r.error }, at: now,
      });
      return { ok: false, error: r.error === 'GATEWAY_UNAVAILABLE' ? 'GATEWAY_UNAVAILABLE' : 'GATEWAY_REJECTED', detail: r.detail };
    }
    await trx.updateTable('refunds').set({ status: 'completed' }).where('id', '=', reserved.refundId).execute();
    // Concurrent refunds confirm in any order: never step back from "refunded".
    const paymentStatus = order.payment_status === 'refunded' ? 'refunded' : r.value.status;
    await trx.updateTable('orders').set({ payment_status: paymentStatus, updated_at: ts }).where('id', '=', orderId).execute();
    await trx.insertInto('order_events').values({ order_id: orderId, from_status: order.status, to_status: order.status, cause: `refunded ${reserved.requested} yen: ${reason}`, created_at: ts }).execute();
    await appendAuditEntry(trx, {
      actor: label, action: 'order.refunded', target: `order:${orderId}`, ...(ip ? { ip } : {}),
      before: { refundedTotal: reserved.before }, after: { refundedTotal: order.refunded_total, amount: reserved.requested, reason }, at: now,
    });
    return { ok: true, refundedTotal: order.refunded_total };
  });
  if (!settled.ok) {
    log.warn({ orderId, error: settled.error }, 'refund failed at the gateway');
    return settled;
  }
  await notifyCustomer(shop, orderId, { kind: 'refunded', amount: reserved.requested, refundedTotal: settled.refundedTotal }, log);
  return settled;
}

/**
 * Settles refunds left pending by a crash between the reservation and the gateway's answer,
 * from the gateway's refunded amount: oldest first, a pending refund the gateway's total covers
 * is completed, the others give their reservation back. Each in one locked transaction with its
 * audit entry. Only refunds older than `staleMs` are touched, so none still in flight is.
 */
export async function settleStalePendingRefunds(shop: ShopContext, log: ShopLogger, staleMs = 10 * 60_000): Promise<number> {
  const provider = shop.payments;
  if (!provider) return 0;
  const db = shop.db.db;
  const cutoff = new Date(shop.clock().getTime() - staleMs).toISOString();
  const stale = await db.selectFrom('refunds').where('status', '=', 'pending').where('created_at', '<=', cutoff).select('order_id').distinct().limit(100).execute();
  let settled = 0;
  for (const { order_id: orderId } of stale) {
    const order = await db.selectFrom('orders').where('id', '=', orderId).select(['payment_provider', 'payment_transaction_id']).executeTakeFirst();
    if (!order?.payment_transaction_id || order.payment_provider !== provider.name) continue;
    const state = await provider.getPayment(order.payment_transaction_id);
    if (!state.ok) {
      log.warn({ orderId, error: state.error }, 'could not settle a pending refund: payment status query failed');
      continue;
    }
    settled += await db.transaction().execute(async (trx) => {
      const now = shop.clock();
      await lockOrder(trx, orderId);
      const rows = await trx.selectFrom('refunds').where('order_id', '=', orderId).where('status', 'in', ['pending', 'completed']).select(['id', 'amount', 'status', 'created_at', 'reason']).orderBy('id').execute();
      let covered = rows.filter((r) => r.status === 'completed').reduce((n, r) => n + r.amount, 0);
      let n = 0;
      for (const r of rows.filter((x) => x.status === 'pending' && x.created_at <= cutoff)) {
        const done = covered + r.amount <= state.value.refundedAmount;
        if (done) covered += r.amount;
        await trx.updateTable('refunds').set({ status: done ? 'completed' : 'failed' }).where('id', '=', r.id).where('status', '=', 'pending').execute();
        if (!done) await trx.updateTable('orders').set((eb) => ({ refunded_total: eb('refunded_total', '-', r.amount), updated_at: now.toISOString() })).where('id', '=', orderId).execute();
        await appendAuditEntry(trx, {
          actor: actorLabel({ kind: 'system', name: 'reconciliation' }), action: done ? 'order.refunded' : 'order.refund_failed', target: `order:${orderId}`,
          after: { amount: r.amount, reason: r.reason, settledFrom: 'gateway status', gatewayRefunded: state.value.refundedAmount }, at: now,
        });
        n++;
      }
      return n;
    });
  }
  if (settled) log.warn({ settled }, 'settled refunds left pending (the shop stopped while the gateway was refunding)');
  return settled;
}
