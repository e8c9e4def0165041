import { describe, expect, it } from 'vitest';
import { computeTaxBreakdown } from './tax-breakdown.ts';
import { floorPerRateTaxRounding } from './default-tax-rounding-strategy.ts';

describe('computeTaxBreakdown', () => {
  it.each([
    // [inclusive total, rate, tax contained]
    [1100, 10, 100],
    [1080, 8, 80],
    [999, 10, 90], // 90.81… → 90
    [999, 8, 74], // exactly 74
    [1, 10, 0],
    [0, 8, 0],
    [12_345_678, 10, 1_122_334],
  ])('floor(%i × %i / (100 + rate)) = %i', (total, rate, tax) => {
    expect(floorPerRateTaxRounding.taxContained(total, rate)).toBe(tax);
  });

  it('rounds once per rate, not per line', () => {
    // Three lines of 105 yen at 10%: per line floor(9.54)=9 → 27; per rate floor(315/11)=28.
    const lines = [105, 105, 105].map((lineTotal) => ({ taxRate: 10, lineTotal }));
    expect(computeTaxBreakdown(lines, 0, floorPerRateTaxRounding)).toEqual([{ taxRate: 10, taxableTotal: 315, tax: 28 }]);
  });

  it('lists 10% before 8% and puts shipping at the standard rate', () => {
    const out = computeTaxBreakdown([{ taxRate: 8, lineTotal: 540 }, { taxRate: 10, lineTotal: 2200 }], 800, floorPerRateTaxRounding);
    expect(out).toEqual([
      { taxRate: 10, taxableTotal: 3000, tax: 272 },
      { taxRate: 8, taxableTotal: 540, tax: 40 },
    ]);
  });
});
