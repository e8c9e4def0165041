// The gateway's payment lifecycle: plain functions over the gateway DB. Every state
// change is a compare-and-swap on the current status inside a transaction that also
// queues its notification, so two racing requests cannot both capture or both refund.
import type { Kysely, Selectable, Transaction } from 'kysely';
import { z } from 'zod';
import { fingerprintCardNumber } from './card-number.ts';
import type { ValidatedCard } from './card-form.ts';
import { newTransactionId } from './gateway-ids.ts';
import { merchantAllowsUrl, type Merchant } from './merchants.ts';
import { enqueuePaymentEvent, type PaymentEventType } from './notifications.ts';
import type { GatewayPaymentStatus, PaygateSchema, PaymentsTable } from './schema.ts';
import { THREE_DS_PASSING_CODE } from './test-cards.ts';

export type Payment = Selectable<PaymentsTable>;

export interface PaymentServiceContext {
  db: Kysely<PaygateSchema>;
  clock: () => Date;
  paymentTtlMs: number;
  /** Key of the card fingerprint HMAC; generated once per gateway database. */
  cardFingerprintKey: string;
  /** Called after a commit that queued a notification, to deliver it without waiting for the poll. */
  onEventQueued(): void;
}

const httpUrl = z.url({ protocol: /^https?$/ }).max(2000);

export const createPaymentRequest = z.object({
  amount: z.number().int().positive().max(99_999_999),
  currency: z.literal('JPY'),
  orderReference: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/),
  returnUrl: httpUrl,
  cancelUrl: httpUrl,
  notificationUrl: httpUrl,
  description: z.string().trim().min(1).max(200),
  locale: z.enum(['ja', 'en']).default('ja'),
  // Accepted for API compatibility with real gateways; the sandbox does not keep personal data.
  customerEmail: z.email().optional(),
});
export type CreatePaymentRequest = z.output<typeof createPaymentRequest>;

export type Db = Transaction<PaygateSchema>;

export async function inTransaction<T>(ctx: PaymentServiceContext, work: (trx: Db, queue: (p: Payment, type: PaymentEventType) => Promise<void>) => Promise<T>): Promise<T> {
  let queued = false;
  const now = ctx.clock();
  const result = await ctx.db.transaction().execute((trx) =>
    work(trx, async (p, type) => {
      await enqueuePaymentEvent(trx, p, type, now);
      queued = true;
    }),
  );
  if (queued) ctx.onEventQueued();
  return result;
}

export async function loadPayment(trx: Db, id: string, merchantId: string | null): Promise<Payment | undefined> {
  let q = trx.selectFrom('payments').selectAll().where('id', '=', id);
  if (merchantId !== null) q = q.where('merchant_id', '=', merchantId);
  return q.executeTakeFirst();
}

/** Moves a payment from one status to another only if it is still in `from`; undefined when it was not. */
export async function transition(trx: Db, id: string, from: GatewayPaymentStatus[], set: Partial<PaymentsTable>, now: Date): Promise<Payment | undefined> {
  const r = await trx
    .updateTable('payments')
    .set({ ...set, updated_at: now.toISOString() })
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst();
  if (r.numUpdatedRows !== 1n) return undefined;
  return loadPayment(trx, id, null);
}

export async function expireIfDue(trx: Db, p: Payment, now: Date, queue: (p: Payment, type: PaymentEventType) => Promise<void>): Promise<Payment> {
  if (p.status !== 'pending' || p.expires_at > now.toISOString()) return p;
  const expired = await transition(trx, p.id, ['pending'], { status: 'expired', challenge_pending: 0, failure_reason: 'expired' }, now);
  if (!expired) return (await loadPayment(trx, p.id, null)) ?? p;
  await queue(expired, 'payment.expired');
  return expired;
}

/** Why one of the request's URLs is refused (its origin is not the merchant's), or undefined when all are allowed. */
export function urlNotAllowed(merchant: Merchant, input: CreatePaymentRequest): string | undefined {
  const field = (['returnUrl', 'cancelUrl', 'notificationUrl'] as const).find((f) => !merchantAllowsUrl(merchant, input[f]));
  return field && `${field} origin ${new URL(input[field]).origin} is not registered`;
}

/** How a payment's method is paid: a card on the hosted page, or a konbini number at a store. */
export type PaymentMethodFields = Pick<Payment, 'method' | 'konbini_store' | 'konbini_payment_number' | 'konbini_confirmation_number'>;

/** A new pending payment as both creators (card and konbini) write it; only the method's fields differ. */
export function pendingPaymentRow(merchant: Merchant, input: CreatePaymentRequest, now: Date, expiresAt: Date, method: PaymentMethodFields): Payment {
  const ts = now.toISOString();
  return {
    id: newTransactionId(),
    merchant_id: merchant.id,
    order_reference: input.orderReference,
    amount: input.amount,
    currency: input.currency,
    description: input.description,
    locale: input.locale,
    return_url: input.returnUrl,
    cancel_url: input.cancelUrl,
    notification_url: input.notificationUrl,
    status: 'pending',
    refunded_amount: 0,
    card_brand: null,
    card_last4: null,
    card_fingerprint: null,
    failure_reason: null,
    challenge_pending: 0,
    created_at: ts,
    updated_at: ts,
    expires_at: expiresAt.toISOString(),
    ...method,
  };
}

export async function createPayment(ctx: PaymentServiceContext, merchant: Merchant, input: CreatePaymentRequest): Promise<{ ok: true; payment: Payment } | { ok: false; error: 'URL_ORIGIN_NOT_ALLOWED'; detail: string }> {
  const refused = urlNotAllowed(merchant, input);
  if (refused) return { ok: false, error: 'URL_ORIGIN_NOT_ALLOWED', detail: refused };
  const now = ctx.clock();
  const row = pendingPaymentRow(merchant, input, now, new Date(now.getTime() + ctx.paymentTtlMs), { method: 'card', konbini_store: null, konbini_payment_number: null, konbini_confirmation_number: null });
  await ctx.db.insertInto('payments').values(row).execute();
  return { ok: true, payment: row };
}

/** Reads a payment (scoped to a merchant when merchantId is given), expiring it first if its time is up. */
export async function getPayment(ctx: PaymentServiceContext, id: string, merchantId: string | null): Promise<Payment | undefined> {
  return inTransaction(ctx, async (trx, queue) => {
    const p = await loadPayment(trx, id, merchantId);
    return p && expireIfDue(trx, p, ctx.clock(), queue);
  });
}

/** Expires every pending payment whose time is up (each with its notification); returns how many. */
export async function expireDuePayments(ctx: PaymentServiceContext): Promise<number> {
  const due = await ctx.db.selectFrom('payments').select('id').where('status', '=', 'pending').where('expires_at', '<=', ctx.clock().toISOString()).limit(500).execute();
  let expired = 0;
  for (const { id } of due) if ((await getPayment(ctx, id, null))?.status === 'expired') expired++;
  return expired;
}

export type CancelResult = { ok: true; payment: Payment } | { ok: false; error: 'PAYMENT_NOT_FOUND' | 'PAYMENT_NOT_CANCELLABLE'; payment?: Payment };

/**
 * Makes sure a payment can no longer be paid: a pending one becomes cancelled; one that is
 * already cancelled, expired or declined is returned unchanged (idempotent, so a shop's
 * reconciliation can cancel without checking first). A captured one must be refunded instead.
 */
export async function cancelPayment(ctx: PaymentServiceContext, id: string, merchantId: string | null, reason: 'merchant' | 'customer'): Promise<CancelResult> {
  return inTransaction(ctx, async (trx, queue) => {
    const found = await loadPayment(trx, id, merchantId);
    if (!found) return { ok: false, error: 'PAYMENT_NOT_FOUND' };
    const now = ctx.clock();
    const p = await expireIfDue(trx, found, now, queue);
    if (p.status === 'cancelled' || p.status === 'expired' || p.status === 'declined') return { ok: true, payment: p };
    const cancelled = await transition(trx, id, ['pending'], { status: 'cancelled', challenge_pending: 0, failure_reason: `cancelled_by_${reason}` }, now);
    if (!cancelled) return { ok: false, error: 'PAYMENT_NOT_CANCELLABLE', payment: p };
    await queue(cancelled, 'payment.cancelled');
    return { ok: true, payment: cancelled };
  });
}

export type RefundResult =
  | { ok: true; payment: Payment; refunded: number }
  | { ok: false; error: 'PAYMENT_NOT_FOUND' | 'PAYMENT_NOT_REFUNDABLE' | 'REFUND_EXCEEDS_CAPTURED'; detail: string };

/** Refunds `amount` yen (or everything still refundable) of a captured payment, never more than was captured. */
export async function refundPayment(ctx: PaymentServiceContext, id: string, merchantId: string, amount: number | undefined): Promise<RefundResult> {
  return inTransaction(ctx, async (trx, queue) => {
    const p = await loadPayment(trx, id, merchantId);
    if (!p) return { ok: false, error: 'PAYMENT_NOT_FOUND', detail: id };
    if (p.status !== 'captured' && p.status !== 'partially_refunded') return { ok: false, error: 'PAYMENT_NOT_REFUNDABLE', detail: `payment is ${p.status}` };
    const remaining = p.amount - p.refunded_amount;
    const refund = amount ?? remaining;
    if (refund > remaining) return { ok: false, error: 'REFUND_EXCEEDS_CAPTURED', detail: `at most ${remaining} JPY can still be refunded` };
    const total = p.refunded_amount + refund;
    const now = ctx.clock();
    // CAS on the refunded amount too: two concurrent partial refunds cannot both pass the check above.
    const r = await trx
      .updateTable('payments')
      .set({ refunded_amount: total, status: total === p.amount ? 'refunded' : 'partially_refunded', updated_at: now.toISOString() })
      .where('id', '=', id)
      .where('refunded_amount', '=', p.refunded_amount)
      .where('status', 'in', ['captured', 'partially_refunded'])
      .executeTakeFirst();
    if (r.numUpdatedRows !== 1n) return { ok: false, error: 'PAYMENT_NOT_REFUNDABLE', detail: 'payment changed concurrently; retry' };
    const updated = (await loadPayment(trx, id, null))!;
    await queue(updated, 'payment.refunded');
    return { ok: true, payment: updated, refunded: refund };
  });
}

export type CardPaymentResult =
  | { ok: true; payment: Payment; next: 'return' | 'challenge' }
  | { ok: false; error: 'PAYMENT_NOT_FOUND' | 'PAYMENT_NOT_PAYABLE'; payment?: Payment };

/** Runs the sandbox's "authorisation" for a validated test card. Only brand, last four and a keyed fingerprint are written. */
export async function payWithCard(ctx: PaymentServiceContext, id: string, card: ValidatedCard): Promise<CardPaymentResult> {
  return inTransaction(ctx, async (trx, queue) => {
    const found = await loadPayment(trx, id, null);
    if (!found) return { ok: false, error: 'PAYMENT_NOT_FOUND' };
    const now = ctx.clock();
    const p = await expireIfDue(trx, found, now, queue);
    // A konbini payment is paid at a store, never by card (its hosted page is refused too).
    if (p.status !== 'pending' || p.challenge_pending || p.method !== 'card') return { ok: false, error: 'PAYMENT_NOT_PAYABLE', payment: p };
    const cardFacts = { card_brand: card.brand, card_last4: card.last4, card_fingerprint: fingerprintCardNumber(ctx.cardFingerprintKey, card.digits) };
    if (card.outcome === 'challenge') {
      const challenged = await transition(trx, id, ['pending'], { ...cardFacts, challenge_pending: 1 }, now);
      return challenged ? { ok: true, payment: challenged, next: 'challenge' } : { ok: false, error: 'PAYMENT_NOT_PAYABLE' };
    }
    const set: Partial<PaymentsTable> =
      card.outcome === 'approve'
        ? { ...cardFacts, status: 'captured', failure_reason: null }
        : { ...cardFacts, status: 'declined', failure_reason: card.outcome === 'insufficient_funds' ? 'insufficient_funds' : 'card_declined' };
    const done = await transition(trx, id, ['pending'], set, now);
    if (!done) return { ok: false, error: 'PAYMENT_NOT_PAYABLE' };
    await queue(done, done.status === 'captured' ? 'payment.captured' : 'payment.declined');
    return { ok: true, payment: done, next: 'return' };
  });
}

/** The 3-D Secure step: the right one-time code captures, anything else declines (one try, as issuers do for the sandbox). */
export async function answerChallenge(ctx: PaymentServiceContext, id: string, oneTimeCode: string): Promise<CardPaymentResult> {
  return inTransaction(ctx, async (trx, queue) => {
    const found = await loadPayment(trx, id, null);
    if (!found) return { ok: false, error: 'PAYMENT_NOT_FOUND' };
    const now = ctx.clock();
    const p = await expireIfDue(trx, found, now, queue);
    if (p.status !== 'pending' || !p.challenge_pending || p.method !== 'card') return { ok: false, error: 'PAYMENT_NOT_PAYABLE', payment: p };
    const passed = oneTimeCode.trim() === THREE_DS_PASSING_CODE;
    const done = await transition(trx, id, ['pending'], passed ? { status: 'captured', challenge_pending: 0 } : { status: 'declined', challenge_pending: 0, failure_reason: 'authentication_failed' }, now);
    if (!done) return { ok: false, error: 'PAYMENT_NOT_PAYABLE' };
    await queue(done, passed ? 'payment.captured' : 'payment.declined');
    return { ok: true, payment: done, next: 'return' };
  });
}

/** What the merchant API returns for a payment: no card data beyond brand and last four. */
export function paymentStateJson(p: Payment) {
  return {
    transactionId: p.id,
    orderReference: p.order_reference,
    status: p.status,
    amount: p.amount,
    currency: p.currency,
    refundedAmount: p.refunded_amount,
    card: p.card_brand && p.card_last4 ? { brand: p.card_brand, last4: p.card_last4 } : null,
    method: p.method,
    konbini: p.method === 'konbini' ? { store: p.konbini_store, paymentNumber: p.konbini_payment_number, confirmationNumber: p.konbini_confirmation_number } : null,
    failureReason: p.failure_reason,
    createdAt: p.created_at,
    updatedAt: p.updated_at,
    expiresAt: p.expires_at,
  };
}
