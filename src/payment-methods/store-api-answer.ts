import type { ShopContext } from '../shop-context.ts';
import type { PlacedOrder } from '../checkout/place-order.ts';
import type { PaymentMethodId } from './payment-settings.ts';
import { orderPaymentDetails } from './order-payment-method.ts';

/** The Store API's 201 for a non-card checkout: no payment page, the instructions instead. */
export async function nonCardCheckoutAnswer(shop: ShopContext, result: { order: PlacedOrder; paymentMethod?: PaymentMethodId }) {
  const details = await orderPaymentDetails(shop, result.order.orderId);
  return {
    orderId: result.order.orderId, orderNumber: result.order.orderNumber, accessToken: result.order.accessToken,
    paymentUrl: null, paymentMethod: result.paymentMethod, total: result.order.totals.total, instructions: details?.instructions ?? null,
  };
}
