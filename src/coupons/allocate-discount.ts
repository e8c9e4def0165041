import type { TaxRoundingStrategy } from '../tax/tax-rounding-strategy.ts';
import type { TaxableLine, TaxLine } from '../tax/tax-breakdown.ts';
import { SHIPPING_TAX_RATE } from '../tax/tax-breakdown.ts';

export type CouponDiscount = { kind: 'fixed'; amountYen: number } | { kind: 'percent'; percent: number };

/** Discount in yen on a tax-inclusive goods subtotal; never more than the subtotal. Percent rounds down (the shop never gives more than it says). */
export function discountAmount(discount: CouponDiscount, subtotal: number): number {
  const raw = discount.kind === 'fixed' ? discount.amountYen : Math.floor((subtotal * discount.percent) / 100);
  return Math.max(0, Math.min(subtotal, raw));
}

export interface RateGroup { taxRate: number; total: number }

/**
 * Splits `discount` across the tax-rate groups in proportion to their totals.
 * Rounding rule (deterministic): each group first gets floor(discount × group / subtotal);
 * the yen left over go one at a time to the groups with the largest remainders, ties broken
 * by higher rate first (10% before 8%). The shares sum to the discount exactly, and since
 * discount ≤ subtotal no share exceeds its group's total.
 */
export function allocateDiscount(groups: RateGroup[], discount: number): Map<number, number> {
  const subtotal = groups.reduce((s, g) => s + g.total, 0);
  const shares = new Map<number, number>();
  if (subtotal <= 0 || discount <= 0) {
    for (const g of groups) shares.set(g.taxRate, 0);
    return shares;
  }
  const d = Math.min(discount, subtotal);
  const parts = groups.map((g) => ({ taxRate: g.taxRate, base: Math.floor((d * g.total) / subtotal), rem: (d * g.total) % subtotal, total: g.total }));
  let left = d - parts.reduce((s, p) => s + p.base, 0);
  const order = [...parts].sort((a, b) => b.rem - a.rem || b.taxRate - a.taxRate);
  for (const p of order) {
    if (left === 0) break;
    if (p.base < p.total) { p.base += 1; left -= 1; }
  }
  for (const p of parts) shares.set(p.taxRate, p.base);
  return shares;
}

/**
 * Per-rate breakdown with the coupon applied before tax: goods are grouped by rate, the
 * discount is allocated across the groups, tax is computed on the discounted group totals.
 * Shipping is added to the 10% group undiscounted.
 */
export function computeDiscountedTaxBreakdown(
  lines: TaxableLine[], shippingFee: number, discount: number, rounding: TaxRoundingStrategy,
): { lines: TaxLine[]; allocation: Map<number, number> } {
  const byRate = new Map<number, number>();
  for (const l of lines) byRate.set(l.taxRate, (byRate.get(l.taxRate) ?? 0) + l.lineTotal);
  const allocation = allocateDiscount([...byRate.entries()].map(([taxRate, total]) => ({ taxRate, total })), discount);
  for (const [rate, share] of allocation) byRate.set(rate, (byRate.get(rate) ?? 0) - share);
  if (shippingFee > 0) byRate.set(SHIPPING_TAX_RATE, (byRate.get(SHIPPING_TAX_RATE) ?? 0) + shippingFee);
  const out = [...byRate.entries()]
    .sort(([a], [b]) => b - a)
    .map(([taxRate, taxableTotal]) => ({ taxRate, taxableTotal, tax: rounding.taxContained(taxableTotal, taxRate) }));
  return { lines: out, allocation };
}
