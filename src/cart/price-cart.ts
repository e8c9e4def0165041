import type { ShippingCharge } from '../shipping/shipping-fee-strategy.ts';
import { computeTaxBreakdown, type TaxLine } from '../tax/tax-breakdown.ts';
import type { TaxRoundingStrategy } from '../tax/tax-rounding-strategy.ts';
import { computeDiscountedTaxBreakdown } from '../coupons/allocate-discount.ts';

export interface PricedLine { unitPrice: number; quantity: number; taxRate: number }

export interface CartTotals {
  itemsTotal: number;
  shippingFee: number;
  /** A coupon's discount on the goods (0 without one); `total` is net of it. */
  discountTotal: number;
  total: number;
  /** With a discount, each line carries its share (`discount`) and taxableTotal is after it. */
  taxLines: (TaxLine & { discount?: number })[];
}

/**
 * The one pricing rule for carts and orders, so what the cart shows is what the order freezes.
 * A coupon discount (issue 18) comes off the goods before tax: it is split over the rate groups
 * (allocate-discount.ts) and each rate's tax is rounded once from its discounted total. The
 * shipping fee is charged on the goods total before the discount (the free-shipping threshold too).
 */
export function priceLines(lines: PricedLine[], shipping: ShippingCharge, rounding: TaxRoundingStrategy, discount = 0): CartTotals {
  const taxable = lines.map((l) => ({ taxRate: l.taxRate, lineTotal: l.unitPrice * l.quantity }));
  const itemsTotal = taxable.reduce((s, l) => s + l.lineTotal, 0);
  const shippingFee = shipping.feeFor(itemsTotal);
  const d = Math.max(0, Math.min(discount, itemsTotal));
  if (d === 0) return { itemsTotal, shippingFee, discountTotal: 0, total: itemsTotal + shippingFee, taxLines: computeTaxBreakdown(taxable, shippingFee, rounding) };
  const r = computeDiscountedTaxBreakdown(taxable, shippingFee, d, rounding);
  return {
    itemsTotal, shippingFee, discountTotal: d, total: itemsTotal - d + shippingFee,
    taxLines: r.lines.map((t) => ({ ...t, discount: r.allocation.get(t.taxRate) ?? 0 })),
  };
}
