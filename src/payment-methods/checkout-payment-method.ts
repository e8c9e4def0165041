// The two moments of checkout a payment method takes part in: before the order is placed (is
// the method on? what does it add to the order?) and after it is committed (start the payment,
// send the order mail). Card keeps checkoutCart's own path; everything else ends here.
import type { ShopContext, ShopLogger } from '../shop-context.ts';
import type { PlaceOrderInput, PlacedOrder } from '../checkout/place-order.ts';
import { sendOrderConfirmation } from '../orders/send-order-confirmation.ts';
import type { PaymentMethod } from './payment-method.ts';
import { PAYMENT_METHODS, paymentMethodContext } from './payment-methods.ts';
import type { PaymentMethodId } from './payment-settings.ts';
import { recordOrderPaymentMethod } from './record-order-payment-method.ts';
import type { KonbiniChain } from '../payments/payment-provider.ts';

export type CheckoutMethod =
  | { ok: true; method: PaymentMethod; placement: Pick<PlaceOrderInput, 'paymentMethod'> }
  | { ok: false; error: 'PAYMENT_METHOD_UNAVAILABLE' }
  /** コンビニ決済 without the chain the customer will pay at: its number is issued for one chain. */
  | { ok: false; error: 'KONBINI_STORE_REQUIRED' };

/** No method given means card, as every client before payment methods existed meant. */
export async function checkoutPaymentMethod(shop: ShopContext, requested: PaymentMethodId | undefined, konbiniStore?: KonbiniChain): Promise<CheckoutMethod> {
  const ctx = await paymentMethodContext(shop);
  const method = PAYMENT_METHODS[requested ?? 'card'];
  // The fee band is checked again on the order's own total inside placeOrder; here only on/off and support.
  const q = method.quote(ctx, 0);
  if (!ctx.settings.enabled.includes(method.id) || (!q.ok && q.reason === 'UNSUPPORTED')) return { ok: false, error: 'PAYMENT_METHOD_UNAVAILABLE' };
  if (method.id === 'konbini' && !konbiniStore) return { ok: false, error: 'KONBINI_STORE_REQUIRED' };
  return { ok: true, method, placement: method.id === 'card' ? {} : { paymentMethod: recordOrderPaymentMethod(ctx, method, shop.rounding, method.id === 'konbini' ? konbiniStore : undefined) } };
}

/** After a non-card order is committed: start its payment (konbini) and send the order mail with what to do. */
export async function beginNonCardPayment(shop: ShopContext, log: ShopLogger, method: PaymentMethod, order: PlacedOrder, orderUrl: string, clientIp: string) {
  const begun = await method.begin(shop, { orderId: order.orderId, orderNumber: order.orderNumber }, clientIp, log);
  if (begun.ok) await sendOrderConfirmation(shop, order.orderId, orderUrl, log);
  return { ok: true as const, order, orderUrl, paymentUrl: null, paymentMethod: method.id, ...(begun.ok ? {} : { paymentError: begun.error }) };
}
