// How shipping is charged. The default is the rule most small Japanese shops use:
// a flat fee, free from a threshold. A merchant with per-region fees swaps the strategy.
export interface ShippingFeeStrategy {
  /** Fee in yen (tax-inclusive) for a tax-inclusive items total. */
  feeFor(itemsTotal: number): number;
  /** Threshold to show customers, if any. */
  readonly freeOver?: number;
}

export function flatFeeFreeOver(flatFee: number, freeOver: number): ShippingFeeStrategy {
  return {
    freeOver,
    feeFor: (itemsTotal) => (itemsTotal === 0 || itemsTotal >= freeOver ? 0 : flatFee),
  };
}
