/**
 * Coupon codes as shoppers type them: NFKC folds full-width ＳＵＭＭＥＲ and half-width kana,
 * upper-casing makes "summer10" and "SUMMER10" the same code. Stored and looked up normalised.
 */
export function normaliseCouponCode(input: string): string {
  return input.normalize('NFKC').trim().toUpperCase();
}
