import type { CodFeeBand } from './payment-settings.ts';

/**
 * The 代引手数料 for an order total (items and shipping, tax-inclusive): the first band the total
 * fits in. Undefined when the total is over the last band: the carrier would not collect it.
 */
export function codFeeFor(bands: readonly CodFeeBand[], totalBeforeFee: number): number | undefined {
  return bands.find((b) => totalBeforeFee <= b.upTo)?.fee;
}
