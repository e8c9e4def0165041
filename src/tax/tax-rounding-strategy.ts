// How the consumption tax contained in a tax-inclusive total is rounded. A merchant whose
// accountant rounds differently swaps the strategy in config; the rule lives here only.
export interface TaxRoundingStrategy {
  readonly name: string;
  /** Tax contained in `inclusiveTotal` yen at `rate` percent, as an integer number of yen. */
  taxContained(inclusiveTotal: number, rate: number): number;
}
