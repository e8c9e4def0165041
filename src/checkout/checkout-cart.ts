import type { ShopContext, ShopLogger } from '../shop-context.ts';
import type { Locale } from '../i18n/locale.ts';
import { getOrderDetail } from '../orders/service.ts';
import { orderConfirmationMail } from '../orders/order-confirmation-mail.tsx';
import { startPayment } from '../payments/start-payment.ts';
import type { CustomerDetails } from './customer-details.ts';
import { placeOrder, type PlaceOrderResult, type PlacedOrder } from './place-order.ts';

export type CheckoutResult =
  | { ok: true; order: PlacedOrder; orderUrl: string; paymentUrl: string | null; paymentError?: string }
  | Exclude<PlaceOrderResult, { ok: true }>;

export function customerOrderPath(orderId: string, token: string): string {
  return `/orders/${orderId}?token=${encodeURIComponent(token)}`;
}

/**
 * The whole checkout, shared by the HTML form and the JSON API: place the order (stock
 * reserved atomically), send the confirmation e-mail, then hand over to the gateway. A mail
 * or gateway failure never loses the order: it stays pending_payment and retrievable.
 */
export async function checkoutCart(shop: ShopContext, log: ShopLogger, input: { cartId: string; customer: CustomerDetails; locale: Locale; clientIp: string }): Promise<CheckoutResult> {
  const placed = await placeOrder(shop.db.db, {
    cartId: input.cartId,
    customer: input.customer,
    locale: input.locale,
    now: shop.clock(),
    paymentTimeoutMinutes: shop.config.orderPaymentTimeoutMinutes,
    shipping: shop.shipping,
    rounding: shop.rounding,
  });
  if (!placed.ok) return placed;
  const order = placed.value;
  const orderUrl = shop.config.publicUrl + customerOrderPath(order.orderId, order.accessToken);
  log.info({ orderId: order.orderId, orderNumber: order.orderNumber, total: order.totals.total }, 'order placed');

  const detail = await getOrderDetail(shop.db.db, order.orderId);
  if (detail) {
    try {
      await shop.mailer.send(orderConfirmationMail(detail, orderUrl, shop.config.shopName));
    } catch (err) {
      log.error({ err, orderId: order.orderId }, 'order confirmation e-mail failed');
    }
  }

  const payment = await startPayment(shop, order.orderId, input.clientIp, log);
  if (payment.ok) return { ok: true, order, orderUrl, paymentUrl: payment.redirectUrl };
  return { ok: true, order, orderUrl, paymentUrl: null, ...(payment.error !== 'NO_PROVIDER' ? { paymentError: payment.error } : {}) };
}
