// The coupon field of the HTML checkout: the code as posted goes through the same Zod schema and
// card-number guard as the Store API's (coupons/coupon-checkout.ts); 適用 previews the discount with
// the read-only evaluateCoupon, and placing the order checks it again in the order's transaction.
import type { Kysely } from 'kysely';
import type { Clock } from '../shop-context.ts';
import type { Messages } from '../i18n/messages-ja.ts';
import { CARD_NUMBER_ERROR } from '../card-data/card-number-guard.ts';
import { COUPON_CODE_MAX, couponRefusal, parseCouponCode, type CouponRefusal } from '../coupons/coupon-checkout.ts';
import { couponCustomerKey, evaluateCoupon } from '../coupons/coupon-service.ts';

export type CouponFieldError = CouponRefusal | typeof CARD_NUMBER_ERROR | 'tooLong';

/** What the form shows: the code to put back in the field, the discount taken, or why not. */
export interface CheckoutCouponView {
  /** Echoed into the field; never a code the card-number guard refused. */
  value: string;
  applied?: { code: string; amount: number } | undefined;
  error?: CouponFieldError | undefined;
}

export type FormCoupon = { ok: true; code: string | undefined; raw: string } | { ok: false; error: typeof CARD_NUMBER_ERROR | 'tooLong'; raw: string };

export function couponFromForm(body: unknown): FormCoupon {
  const raw = body && typeof body === 'object' ? (body as Record<string, unknown>)['couponCode'] : undefined;
  const text = typeof raw === 'string' ? raw : '';
  const parsed = parseCouponCode(typeof raw === 'string' ? raw : undefined);
  return parsed.ok ? { ok: true, code: parsed.code, raw: text.slice(0, 200) } : { ok: false, error: parsed.error, raw: text.slice(0, 200) };
}

/** Evaluates the posted code against the cart's goods total for the page (read-only; nothing is reserved). */
export async function previewCoupon(db: Kysely<any>, clock: Clock, coupon: FormCoupon, goodsTotal: number, customer: { customerId?: number | undefined; email: string }, refused?: CouponRefusal): Promise<CheckoutCouponView> {
  if (!coupon.ok) return { value: coupon.error === CARD_NUMBER_ERROR ? '' : coupon.raw, error: coupon.error };
  if (!coupon.code) return { value: '' };
  if (refused) return { value: coupon.code, error: refused };
  const r = await evaluateCoupon(db, clock, coupon.code, goodsTotal, couponCustomerKey({ customerId: customer.customerId ?? null, email: customer.email }));
  return r.ok ? { value: coupon.code, applied: { code: r.coupon.code, amount: r.discount } } : { value: coupon.code, error: couponRefusal(r.error) };
}

export function couponErrorText(m: Messages, error: CouponFieldError): string {
  switch (error) {
    case 'NOT_FOUND': return m.checkout.couponNotFound;
    case 'EXPIRED': return m.checkout.couponExpired;
    case 'MINIMUM_NOT_MET': return m.checkout.couponMinimumNotMet;
    case 'LIMIT_REACHED': return m.checkout.couponLimitReached;
    case 'tooLong': return m.errors.tooLong(COUPON_CODE_MAX);
    default: return m.errors.cardNumber;
  }
}
