import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { floorPerRateTaxRounding } from '../tax/default-tax-rounding-strategy.ts';
import { allocateDiscount, computeDiscountedTaxBreakdown, discountAmount } from './allocate-discount.ts';
import { normaliseCouponCode } from './coupon-code.ts';

describe('coupon discount allocation', () => {
  it('sums to the discount and leaves no group negative (property)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 2_000_000 }), fc.integer({ min: 0, max: 2_000_000 }), fc.integer({ min: 0, max: 5_000_000 }),
      (ten, eight, wanted) => {
        fc.pre(ten + eight > 0);
        const d = Math.min(wanted, ten + eight);
        const shares = allocateDiscount([{ taxRate: 10, total: ten }, { taxRate: 8, total: eight }], d);
        expect((shares.get(10) ?? 0) + (shares.get(8) ?? 0)).toBe(d);
        expect(shares.get(10)!).toBeGreaterThanOrEqual(0);
        expect(shares.get(8)!).toBeGreaterThanOrEqual(0);
        expect(ten - shares.get(10)!).toBeGreaterThanOrEqual(0);
        expect(eight - shares.get(8)!).toBeGreaterThanOrEqual(0);
      },
    ), { numRuns: 2000 });
  });

  it('breaks an odd yen deterministically: larger remainder, then 10% first', () => {
    // 1 yen over 500/500: equal remainders, 10% takes it.
    const s = allocateDiscount([{ taxRate: 8, total: 500 }, { taxRate: 10, total: 500 }], 1);
    expect([s.get(10), s.get(8)]).toEqual([1, 0]);
  });

  it('computes tax per rate on the discounted totals; shipping is not discounted', () => {
    // 10%: 1,100, 8%: 1,080, discount 218 → 110 / 108 (exact proportion), shipping 500 at 10%.
    const r = computeDiscountedTaxBreakdown(
      [{ taxRate: 10, lineTotal: 1100 }, { taxRate: 8, lineTotal: 1080 }], 500, 218, floorPerRateTaxRounding,
    );
    expect(r.lines).toEqual([
      { taxRate: 10, taxableTotal: 990 + 500, tax: Math.floor((1490 * 10) / 110) },
      { taxRate: 8, taxableTotal: 972, tax: 72 },
    ]);
  });

  it('percent discounts round down and never exceed the subtotal', () => {
    expect(discountAmount({ kind: 'percent', percent: 15 }, 999)).toBe(149);
    expect(discountAmount({ kind: 'fixed', amountYen: 5000 }, 1200)).toBe(1200);
  });

  it('normalises codes with NFKC and upper case', () => {
    expect(normaliseCouponCode(' ｓｕｍｍｅｒ１０ ')).toBe('SUMMER10');
  });
});
