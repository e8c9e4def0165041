import type { ShippingFeeStrategy } from './shipping-fee-strategy.ts';
import { sizeClassesOf } from './shipping-method.ts';
import { regionOf } from './regions.ts';

/**
 * The method's fee table. The order goes as one parcel sized by its largest item (how small shops
 * pack); the fee is read at the smallest size class that holds it, for the prefecture's own row if
 * the merchant set one, else its region's. Free from the method's threshold. Before the address is
 * known (the cart) the lowest fee of that size is shown, as carriers' "from" prices are.
 */
export const tableShippingFeeStrategy: ShippingFeeStrategy = {
  feeFor({ method, prefecture, items, itemsTotal }) {
    if (itemsTotal === 0) return { ok: true, fee: 0 };
    const largest = Math.max(0, ...items.map((i) => i.sizeClass));
    const size = sizeClassesOf(method).find((s) => s >= largest);
    if (size === undefined) return { ok: false, error: 'NOT_DELIVERABLE' };
    const rows = method.fees.filter((f) => f.sizeClass === size);
    let fee: number | undefined;
    if (prefecture === undefined || !regionOf(prefecture)) {
      // Outside the 47 prefectures (an address abroad) or not yet known: the lowest of the table.
      fee = rows.length ? Math.min(...rows.map((r) => r.fee)) : undefined;
    } else {
      fee = rows.find((r) => r.area === prefecture)?.fee ?? rows.find((r) => r.area === regionOf(prefecture)!.code)?.fee;
    }
    if (fee === undefined) return { ok: false, error: 'NOT_DELIVERABLE' };
    if (method.freeOver !== null && itemsTotal >= method.freeOver) return { ok: true, fee: 0 };
    return { ok: true, fee };
  },
};
