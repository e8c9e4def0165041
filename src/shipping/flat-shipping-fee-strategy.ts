import type { ShippingCharge, ShippingFeeStrategy } from './shipping-fee-strategy.ts';

/**
 * The rule of a shop before shipping methods: a flat fee, free from a threshold, whatever the
 * method and destination. A merchant who wants it back wires it in place of the table in
 * start-shop.ts; a shop with no enabled method charges it from SHIPPING_FLAT_FEE / SHIPPING_FREE_OVER.
 */
export function flatFeeFreeOver(flatFee: number, freeOver: number): ShippingFeeStrategy {
  return { feeFor: ({ itemsTotal }) => ({ ok: true, fee: flatCharge(flatFee, freeOver).feeFor(itemsTotal) }) };
}

export function flatCharge(flatFee: number, freeOver: number): ShippingCharge {
  return { freeOver, feeFor: (itemsTotal) => (itemsTotal === 0 || itemsTotal >= freeOver ? 0 : flatFee) };
}
