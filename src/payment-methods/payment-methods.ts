// The methods a shop can offer, and which of them this shop offers now.
import type { ShopContext } from '../shop-context.ts';
import { bankTransferPaymentMethod } from './bank-transfer-payment-method.ts';
import { cardPaymentMethod } from './card-payment-method.ts';
import { cashOnDeliveryPaymentMethod } from './cash-on-delivery-payment-method.ts';
import { konbiniPaymentMethod } from './konbini-payment-method.ts';
import type { PaymentMethod, PaymentMethodContext } from './payment-method.ts';
import { loadPaymentSettings, PAYMENT_METHOD_IDS, type PaymentMethodId } from './payment-settings.ts';

export const PAYMENT_METHODS: Record<PaymentMethodId, PaymentMethod> = {
  card: cardPaymentMethod,
  bank_transfer: bankTransferPaymentMethod,
  cod: cashOnDeliveryPaymentMethod,
  konbini: konbiniPaymentMethod,
};

export async function paymentMethodContext(shop: Pick<ShopContext, 'db' | 'payments'>): Promise<PaymentMethodContext> {
  return { settings: await loadPaymentSettings(shop.db.db), provider: shop.payments };
}

export interface OfferedMethod { method: PaymentMethod; fee: number }

/** The enabled methods that can take an order of this total, in the order customers see them. */
export function offeredMethods(ctx: PaymentMethodContext, totalBeforeFee: number): OfferedMethod[] {
  return PAYMENT_METHOD_IDS.filter((id) => ctx.settings.enabled.includes(id)).flatMap((id) => {
    const method = PAYMENT_METHODS[id];
    const q = method.quote(ctx, totalBeforeFee);
    return q.ok ? [{ method, fee: q.fee }] : [];
  });
}

export type ChosenMethod = { ok: true; method: PaymentMethod; fee: number } | { ok: false; error: 'PAYMENT_METHOD_UNAVAILABLE'; method: PaymentMethodId };

/** The customer's choice, if this shop offers it for this total (a disabled or unfit method is refused, never swapped). */
export function chooseMethod(ctx: PaymentMethodContext, id: PaymentMethodId, totalBeforeFee: number): ChosenMethod {
  const offered = offeredMethods(ctx, totalBeforeFee).find((o) => o.method.id === id);
  return offered ? { ok: true, method: offered.method, fee: offered.fee } : { ok: false, error: 'PAYMENT_METHOD_UNAVAILABLE', method: id };
}
