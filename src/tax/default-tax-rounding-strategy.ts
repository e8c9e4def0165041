import type { TaxRoundingStrategy } from './tax-rounding-strategy.ts';

/**
 * Qualified-invoice rule (適格請求書, インボイス制度): the tax is computed once per rate per
 * order from that rate's tax-inclusive total, never per line, and fractions of a yen are
 * dropped (切り捨て), the most common choice among Japanese merchants.
 *   tax = floor(total × rate / (100 + rate))
 * Integer arithmetic only: no floating-point yen.
 */
export const floorPerRateTaxRounding: TaxRoundingStrategy = {
  name: 'floor-per-rate',
  taxContained(inclusiveTotal, rate) {
    return Math.floor((inclusiveTotal * rate) / (100 + rate));
  },
};
