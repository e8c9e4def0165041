// コンビニ決済 in the sandbox: the merchant API creates a payment with a store number instead of a
// hosted card page; the sandbox's simulated store terminal (sandbox-konbini-routes.ts) pays it.
// Like every other state change it is a compare-and-swap inside the transaction that queues its
// notification, so a number paid twice at the "store" captures, and notifies, once.
import { randomInt } from 'node:crypto';
import { z } from 'zod';
import type { Merchant } from './merchants.ts';
import { createPaymentRequest, expireIfDue, inTransaction, pendingPaymentRow, transition, urlNotAllowed, type Payment, type PaymentServiceContext } from './payments.ts';
import { KONBINI_STORES, type KonbiniStore } from './schema.ts';

/** Real gateways allow up to about 60 days (and some chains less); the sandbox takes the same bound. */
export const KONBINI_MAX_DAYS = 60;

export const createKonbiniPaymentRequest = createPaymentRequest.extend({
  /** Last moment the store may take the money. */
  expiresAt: z.iso.datetime(),
  /** The chain the customer will pay at; the sandbox's numbers are taken at any of them. */
  store: z.enum(KONBINI_STORES).default('familymart'),
});
export type CreateKonbiniPaymentRequest = z.output<typeof createKonbiniPaymentRequest>;

/** 11 digits: what a store terminal takes, and too short to ever look like a card number. */
export const KONBINI_PAYMENT_NUMBER = /^\d{11}$/;
const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');

/** Seven-Eleven's terminal takes the payment slip number (払込票番号) alone; the other chains ask for a 確認番号 beside it. */
export function usesConfirmationNumber(store: KonbiniStore): boolean {
  return store !== 'seven-eleven';
}

export type CreateKonbiniResult =
  | { ok: true; payment: Payment }
  | { ok: false; error: 'URL_ORIGIN_NOT_ALLOWED' | 'INVALID_REQUEST'; detail: string };

export async function createKonbiniPayment(ctx: PaymentServiceContext, merchant: Merchant, input: CreateKonbiniPaymentRequest): Promise<CreateKonbiniResult> {
  const refused = urlNotAllowed(merchant, input);
  if (refused) return { ok: false, error: 'URL_ORIGIN_NOT_ALLOWED', detail: refused };
  const now = ctx.clock();
  const expiresAt = new Date(input.expiresAt);
  if (expiresAt <= now || expiresAt.getTime() - now.getTime() > KONBINI_MAX_DAYS * 24 * 3600_000) {
    return { ok: false, error: 'INVALID_REQUEST', detail: `expiresAt must be in the future and within ${KONBINI_MAX_DAYS} days` };
  }
  // A clash of random numbers is rare but possible: the unique index decides, and a fresh number is drawn.
  for (let attempt = 0; ; attempt++) {
    const row = pendingPaymentRow(merchant, input, now, expiresAt, {
      method: 'konbini',
      konbini_store: input.store,
      konbini_payment_number: digits(11),
      konbini_confirmation_number: usesConfirmationNumber(input.store) ? digits(6) : null,
    });
    try {
      await ctx.db.insertInto('payments').values(row).execute();
      return { ok: true, payment: row };
    } catch (e) {
      const clash = await ctx.db.selectFrom('payments').select('id').where('konbini_payment_number', '=', row.konbini_payment_number).executeTakeFirst();
      if (!clash || attempt >= 4) throw e;
    }
  }
}

export type StorePaymentResult =
  | { ok: true; outcome: 'paid' | 'already_paid'; payment: Payment }
  | { ok: false; error: 'PAYMENT_NOT_FOUND' | 'PAYMENT_NOT_PAYABLE'; payment?: Payment };

/**
 * The sandbox's "paid at the store": the pending konbini payment with this number becomes
 * captured and its `payment.captured` notification is queued in the same transaction. Paying a
 * number again answers `already_paid` and queues nothing; an expired or cancelled one is refused.
 */
export async function payAtStore(ctx: PaymentServiceContext, paymentNumber: string): Promise<StorePaymentResult> {
  if (!KONBINI_PAYMENT_NUMBER.test(paymentNumber)) return { ok: false, error: 'PAYMENT_NOT_FOUND' };
  return inTransaction(ctx, async (trx, queue) => {
    const found = await trx.selectFrom('payments').selectAll().where('method', '=', 'konbini').where('konbini_payment_number', '=', paymentNumber).executeTakeFirst();
    if (!found) return { ok: false, error: 'PAYMENT_NOT_FOUND' };
    const now = ctx.clock();
    const p = await expireIfDue(trx, found, now, queue);
    if (p.status === 'captured' || p.status === 'refunded' || p.status === 'partially_refunded') return { ok: true, outcome: 'already_paid', payment: p };
    if (p.status !== 'pending') return { ok: false, error: 'PAYMENT_NOT_PAYABLE', payment: p };
    const paid = await transition(trx, p.id, ['pending'], { status: 'captured', failure_reason: null }, now);
    if (!paid) return { ok: false, error: 'PAYMENT_NOT_PAYABLE', payment: p };
    await queue(paid, 'payment.captured');
    return { ok: true, outcome: 'paid', payment: paid };
  });
}

/** Pending konbini payments, newest first, for the sandbox's store terminal page. */
export async function pendingKonbiniPayments(ctx: PaymentServiceContext, limit = 50): Promise<Payment[]> {
  return ctx.db.selectFrom('payments').selectAll().where('method', '=', 'konbini').where('status', '=', 'pending')
    .where('expires_at', '>', ctx.clock().toISOString()).orderBy('created_at', 'desc').limit(limit).execute();
}
