import type { TaxRoundingStrategy } from './tax-rounding-strategy.ts';

export interface TaxableLine { taxRate: number; lineTotal: number }
export interface TaxLine { taxRate: number; taxableTotal: number; tax: number }

/** Shipping is a standard-rate (10%) service under Japanese consumption tax. */
export const SHIPPING_TAX_RATE = 10;

/**
 * Groups tax-inclusive line totals by rate and rounds once per rate (see the strategy).
 * Returns rates in descending order (10% then 8%), as invoices list them.
 */
export function computeTaxBreakdown(lines: TaxableLine[], shippingFee: number, rounding: TaxRoundingStrategy): TaxLine[] {
  const byRate = new Map<number, number>();
  for (const l of lines) byRate.set(l.taxRate, (byRate.get(l.taxRate) ?? 0) + l.lineTotal);
  if (shippingFee > 0) byRate.set(SHIPPING_TAX_RATE, (byRate.get(SHIPPING_TAX_RATE) ?? 0) + shippingFee);
  return [...byRate.entries()]
    .sort(([a], [b]) => b - a)
    .map(([taxRate, taxableTotal]) => ({ taxRate, taxableTotal, tax: rounding.taxContained(taxableTotal, taxRate) }));
}
