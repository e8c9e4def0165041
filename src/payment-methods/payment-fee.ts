import type { CartTotals } from '../cart/price-cart.ts';
import type { TaxRoundingStrategy } from '../tax/tax-rounding-strategy.ts';

/** A payment fee (代引手数料) is a standard-rate service, like shipping. */
export const PAYMENT_FEE_TAX_RATE = 10;

/**
 * Totals with a payment fee added: into the grand total and into the 10% group, whose tax is
 * then rounded once again from the group's new total (never the fee's tax added separately,
 * which would round twice).
 */
export function addPaymentFee(totals: CartTotals, fee: number, rounding: TaxRoundingStrategy): CartTotals {
  if (fee === 0) return totals;
  const rest = totals.taxLines.filter((t) => t.taxRate !== PAYMENT_FEE_TAX_RATE);
  const before = totals.taxLines.find((t) => t.taxRate === PAYMENT_FEE_TAX_RATE);
  const standard = (before?.taxableTotal ?? 0) + fee;
  // A coupon's share of the 10% group (issue 18) stays with it: the fee is not discounted.
  const taxLines = [...rest, { taxRate: PAYMENT_FEE_TAX_RATE, taxableTotal: standard, tax: rounding.taxContained(standard, PAYMENT_FEE_TAX_RATE), ...(before?.discount ? { discount: before.discount } : {}) }]
    .sort((a, b) => b.taxRate - a.taxRate);
  return { ...totals, total: totals.total + fee, taxLines };
}
