import type { ShippingCharge } from '../shipping/shipping-fee-strategy.ts';
import { computeTaxBreakdown, type TaxLine } from '../tax/tax-breakdown.ts';
import type { TaxRoundingStrategy } from '../tax/tax-rounding-strategy.ts';

export interface PricedLine { unitPrice: number; quantity: number; taxRate: number }

export interface CartTotals {
  itemsTotal: number;
  shippingFee: number;
  total: number;
  taxLines: TaxLine[];
}

/** The one pricing rule for carts and orders, so what the cart shows is what the order freezes. */
export function priceLines(lines: PricedLine[], shipping: ShippingCharge, rounding: TaxRoundingStrategy): CartTotals {
  const taxable = lines.map((l) => ({ taxRate: l.taxRate, lineTotal: l.unitPrice * l.quantity }));
  const itemsTotal = taxable.reduce((s, l) => s + l.lineTotal, 0);
  const shippingFee = shipping.feeFor(itemsTotal);
  return { itemsTotal, shippingFee, total: itemsTotal + shippingFee, taxLines: computeTaxBreakdown(taxable, shippingFee, rounding) };
}
