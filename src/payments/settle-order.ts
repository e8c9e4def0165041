// The one place an order becomes paid. Notifications, the customer's return from the gateway
// and the reconciliation job all end here, so the races other platforms' users report
// (double capture, order missing after payment, webhook before the order commits) meet a
// single idempotent operation: a unique (provider, event id) key, a row lock / serialised
// transaction on the order, a compare-and-swap on its state, and the paid amount checked
// against the order's frozen total.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { lockOrder } from '../orders/lock-order.ts';
import { holdOrderForReview, markOrderPaid } from '../orders/pay-order.ts';
import type { PaymentState } from './payment-provider.ts';
import { recordSecurityEvent } from '../security-events/record-security-event.ts';

export type SettleSource = 'notification' | 'return' | 'reconciliation';

export interface SettleInput {
  provider: string;
  /** Verified: from a trusted notification or from the shop's own query to the gateway. Never from the browser. */
  state: PaymentState;
  eventId?: string;
  source: SettleSource;
  now: Date;
  clientIp?: string;
}

export type SettleOutcome =
  | 'paid'
  | 'already_paid'
  | 'duplicate_event'
  | 'recorded'
  | 'ignored_out_of_order'
  | 'review'
  | 'unknown_transaction';

export interface SettleResult { outcome: SettleOutcome; orderId?: string }

const DECLINE_LIKE = new Set(['declined', 'cancelled', 'expired']);

export async function settleOrder(db: Kysely<Database>, input: SettleInput): Promise<SettleResult> {
  const { state, now } = input;
  const ts = now.toISOString();
  return db.transaction().execute(async (trx): Promise<SettleResult> => {
    if (input.eventId) {
      const inserted = await trx
        .insertInto('payment_events')
        .values({ provider: input.provider, event_id: input.eventId, order_id: null, transaction_id: state.transactionId, status: state.status, amount: state.amount, outcome: 'processing', received_at: ts })
        .onConflict((oc) => oc.columns(['provider', 'event_id']).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return { outcome: 'duplicate_event' };
    }
    const finish = async (result: SettleResult): Promise<SettleResult> => {
      if (input.eventId) {
        await trx.updateTable('payment_events').set({ outcome: result.outcome, order_id: result.orderId ?? null })
          .where('provider', '=', input.provider).where('event_id', '=', input.eventId).execute();
      }
      return result;
    };

    const attempt = await trx.selectFrom('payment_attempts').where('provider', '=', input.provider).where('transaction_id', '=', state.transactionId).select(['id', 'order_id']).executeTakeFirst();
    if (!attempt) {
      await recordSecurityEvent(trx, 'payment.unknown_transaction', { provider: input.provider, transactionId: state.transactionId, source: input.source }, now, input.clientIp);
      return finish({ outcome: 'unknown_transaction' });
    }
    // PostgreSQL: lock the order row until commit. SQLite: writers are already serialised.
    const order = (await lockOrder(trx, attempt.order_id))!;
    await trx.updateTable('payment_attempts').set({ status: state.status, updated_at: ts }).where('id', '=', attempt.id).execute();

    const toReview = async (cause: string) => {
      await holdOrderForReview(trx, { orderId: order.id, from: order.status, paymentStatus: state.status, cause, now });
      return finish({ outcome: 'review', orderId: order.id });
    };

    if (state.status === 'captured') {
      const matches = state.amount === order.total && state.currency === 'JPY' && state.orderReference === order.order_number;
      if (!matches) {
        await recordSecurityEvent(trx, 'payment.amount_mismatch', {
          orderId: order.id, transactionId: state.transactionId, expected: { amount: order.total, currency: 'JPY', reference: order.order_number },
          received: { amount: state.amount, currency: state.currency, reference: state.orderReference }, source: input.source,
        }, now, input.clientIp);
        return toReview(`payment mismatch (${input.source}): ${state.amount} ${state.currency} for ${order.total} JPY`);
      }
      if (order.status === 'pending_payment' && await markOrderPaid(trx, { orderId: order.id, provider: input.provider, transactionId: state.transactionId, source: input.source, now })) {
        return finish({ outcome: 'paid', orderId: order.id });
      }
      if ((order.status === 'paid' || order.status === 'fulfilled') && order.payment_transaction_id === state.transactionId) {
        return finish({ outcome: 'already_paid', orderId: order.id });
      }
      if (order.status === 'paid' || order.status === 'fulfilled') {
        await recordSecurityEvent(trx, 'payment.double_capture', { orderId: order.id, first: order.payment_transaction_id, second: state.transactionId }, now, input.clientIp);
        if (order.status === 'paid') return toReview(`second payment captured (${state.transactionId}): refund one`);
        return finish({ outcome: 'review', orderId: order.id });
      }
      if (order.status === 'expired' || order.status === 'cancelled') {
        await recordSecurityEvent(trx, 'payment.paid_after_expiry', { orderId: order.id, transactionId: state.transactionId, status: order.status }, now, input.clientIp);
        return toReview(`payment captured after the order was ${order.status}`);
      }
      return finish({ outcome: 'already_paid', orderId: order.id });
    }

    if (DECLINE_LIKE.has(state.status)) {
      // Never moves an order backwards: a late "declined" after "captured" changes nothing.
      if (order.status === 'pending_payment' && order.payment_transaction_id === state.transactionId) {
        await trx.updateTable('orders').set({ payment_status: state.status, updated_at: ts }).where('id', '=', order.id).where('status', '=', 'pending_payment').execute();
        return finish({ outcome: 'recorded', orderId: order.id });
      }
      return finish({ outcome: 'ignored_out_of_order', orderId: order.id });
    }

    if (state.status === 'refunded' || state.status === 'partially_refunded') {
      if (order.payment_transaction_id === state.transactionId) {
        await trx.updateTable('orders').set((eb) => ({
          payment_status: state.status,
          refunded_total: state.refundedAmount > order.refunded_total ? state.refundedAmount : eb.ref('refunded_total'),
          updated_at: ts,
        })).where('id', '=', order.id).execute();
      }
      return finish({ outcome: 'recorded', orderId: order.id });
    }

    return finish({ outcome: 'recorded', orderId: order.id });
  });
}
