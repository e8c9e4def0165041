// How checkout (HTML form and Store API) takes a coupon code and words a refusal. The core
// (coupon-service.ts) knows five reasons; customers and API clients see four: a code not yet
// valid is outside its validity period just as an expired one is.
import { z } from 'zod';
import { CARD_NUMBER_ERROR, CARD_NUMBER_MESSAGE_EN, containsCardNumber } from '../card-data/card-number-guard.ts';
import type { ErrorCode } from '../http/error-catalog.ts';
import type { CouponError } from './coupon-service.ts';
import { normaliseCouponCode } from './coupon-code.ts';

export const COUPON_CODE_MAX = 40;

/** A code as typed: a card number is refused before anything looks it up, logs or echoes it; then normalised. */
export const CouponCodeInput = z.string()
  .max(200, { error: `at most ${COUPON_CODE_MAX} characters` })
  .refine((s) => !containsCardNumber(s), { error: CARD_NUMBER_MESSAGE_EN })
  .transform((s) => normaliseCouponCode(s))
  .pipe(z.string().min(1, { error: 'empty coupon code' }).max(COUPON_CODE_MAX, { error: `at most ${COUPON_CODE_MAX} characters` }));

export type CouponRefusal = 'NOT_FOUND' | 'EXPIRED' | 'MINIMUM_NOT_MET' | 'LIMIT_REACHED';

export function couponRefusal(error: CouponError): CouponRefusal {
  switch (error) {
    case 'UNKNOWN': return 'NOT_FOUND';
    case 'NOT_YET_VALID': case 'EXPIRED': return 'EXPIRED';
    case 'MINIMUM_NOT_MET': return 'MINIMUM_NOT_MET';
    case 'USED_UP': return 'LIMIT_REACHED';
  }
}

export const COUPON_ERROR_CODES: Record<CouponRefusal, ErrorCode> = {
  NOT_FOUND: 'MAMORI_ERR_COUPON_NOT_FOUND',
  EXPIRED: 'MAMORI_ERR_COUPON_EXPIRED',
  MINIMUM_NOT_MET: 'MAMORI_ERR_COUPON_MINIMUM_NOT_MET',
  LIMIT_REACHED: 'MAMORI_ERR_COUPON_LIMIT_REACHED',
};

/** Parses a form's or body's code: undefined when absent or blank, else the normalised code or the field error. */
export function parseCouponCode(raw: unknown): { ok: true; code: string | undefined } | { ok: false; error: typeof CARD_NUMBER_ERROR | 'tooLong' } {
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) return { ok: true, code: undefined };
  const r = CouponCodeInput.safeParse(raw);
  if (r.success) return { ok: true, code: r.data };
  if (typeof raw === 'string' && containsCardNumber(raw)) return { ok: false, error: CARD_NUMBER_ERROR };
  return { ok: false, error: 'tooLong' };
}
