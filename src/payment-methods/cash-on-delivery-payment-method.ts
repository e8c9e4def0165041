import { codFeeFor } from './cod-fee.ts';
import type { PaymentMethod } from './payment-method.ts';

/**
 * The order never expires unpaid: the carrier collects at the door. Stored expiry far in the
 * future rather than a nullable column, so the expiry job and its index need no special case.
 */
export const COD_NEVER_EXPIRES = new Date('9999-12-31T00:00:00.000Z');

/**
 * 代金引換: the order is shipped unpaid with the 代引手数料 from the merchant's fee table added
 * (a standard-rate service, so it joins the 10% tax group); it becomes paid when the merchant
 * records the carrier's collection.
 */
export const cashOnDeliveryPaymentMethod: PaymentMethod = {
  id: 'cod',
  shipsBeforePayment: true,
  quote: (ctx, totalBeforeFee) => {
    const fee = codFeeFor(ctx.settings.codFees, totalBeforeFee);
    return fee === undefined ? { ok: false, reason: 'OVER_LIMIT' } : { ok: true, fee };
  },
  deadline: () => COD_NEVER_EXPIRES,
  begin: async () => ({ ok: true }),
};
