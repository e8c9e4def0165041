// How shipping is charged: a strategy (STYLE.md), chosen in the composition root. The default
// (default-shipping-fee-strategy.ts) reads the method's fee table by destination and parcel size;
// flat-shipping-fee-strategy.ts is the rule the shop had before shipping methods existed.
import type { ShippingMethod } from './shipping-method.ts';

export interface ShippingFeeInput {
  method: ShippingMethod;
  /** The destination's prefecture (Japanese name); undefined before the address is known (cart). */
  prefecture: string | undefined;
  items: readonly { sizeClass: number; quantity: number }[];
  /** Tax-inclusive items total. */
  itemsTotal: number;
}

export type ShippingFeeResult =
  | { ok: true; fee: number }
  /** No fee for this destination or parcel size: the method cannot carry this order. */
  | { ok: false; error: 'NOT_DELIVERABLE' };

export interface ShippingFeeStrategy {
  /** Fee in yen, tax-inclusive (shipping is taxed at the standard 10%, src/tax/tax-breakdown.ts). */
  feeFor(input: ShippingFeeInput): ShippingFeeResult;
}

/** What pricing (src/cart/price-cart.ts) needs once method and destination are fixed. */
export interface ShippingCharge {
  feeFor(itemsTotal: number): number;
  /** Threshold to show customers, if any. */
  readonly freeOver?: number | undefined;
}
