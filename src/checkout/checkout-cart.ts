import type { ShopContext, ShopLogger } from '../shop-context.ts';
import type { Locale } from '../i18n/locale.ts';
import { sendOrderConfirmation } from '../orders/send-order-confirmation.ts';
import { startPayment } from '../payments/start-payment.ts';
import type { CustomerDetails } from './customer-details.ts';
import { placeOrder, type PlaceOrderResult, type PlacedOrder } from './place-order.ts';
import { isCardPaymentPaused } from '../shop-pause/shop-pause.ts';
import type { ResolvedDelivery } from '../shipping/delivery-options.ts';
import { flatCharge } from '../shipping/flat-shipping-fee-strategy.ts';
import { beginNonCardPayment, checkoutPaymentMethod } from '../payment-methods/checkout-payment-method.ts';
import type { PaymentMethodId } from '../payment-methods/payment-settings.ts';
import type { KonbiniChain } from '../payments/payment-provider.ts';

export type CheckoutResult =
  | { ok: true; order: PlacedOrder; orderUrl: string; paymentUrl: string | null; paymentError?: string; paymentMethod?: PaymentMethodId }
  | Exclude<PlaceOrderResult, { ok: true }>
  /** Card payment is paused (a detector's alert or an owner's stop): no order, the cart is kept. */
  | { ok: false; error: 'CHECKOUT_PAUSED' }
  /** The method asked for is switched off, unsupported by the gateway, or cannot take this total. */
  | { ok: false; error: 'PAYMENT_METHOD_UNAVAILABLE' }
  /** コンビニ決済 chosen without a chain. */
  | { ok: false; error: 'KONBINI_STORE_REQUIRED' };

export function customerOrderPath(orderId: string, token: string): string {
  return `/orders/${orderId}?token=${encodeURIComponent(token)}`;
}

/**
 * The whole checkout, shared by the HTML form and the JSON API: place the order (stock
 * reserved atomically, within the per-order and per-client limits), hand over to the gateway,
 * and only then send the order e-mail (payment still due). A mail or gateway failure never
 * loses the order: it stays pending_payment and retrievable, and the mail goes out when the
 * customer starts the payment from the order page.
 */
export async function checkoutCart(shop: ShopContext, log: ShopLogger, input: { cartId: string; customer: CustomerDetails; locale: Locale; clientIp: string; returnUrl?: string; delivery?: ResolvedDelivery; paymentMethod?: PaymentMethodId; konbiniStore?: KonbiniChain | undefined; customerId?: number | undefined; couponCode?: string | undefined }): Promise<CheckoutResult> {
  const { orderLimits } = shop.config;
  if (await isCardPaymentPaused(shop.db.db)) return { ok: false, error: 'CHECKOUT_PAUSED' };
  const method = await checkoutPaymentMethod(shop, input.paymentMethod, input.konbiniStore);
  if (!method.ok) return method;
  const placed = await placeOrder(shop.db.db, {
    cartId: input.cartId,
    customer: input.customer,
    locale: input.locale,
    now: shop.clock(),
    paymentTimeoutMinutes: orderLimits.unstartedPaymentTimeoutMinutes,
    clientIp: input.clientIp,
    limits: orderLimits,
    shipping: input.delivery?.charge ?? flatCharge(shop.config.shipping.flatFee, shop.config.shipping.freeOver),
    ...(input.delivery?.order ? { delivery: input.delivery.order } : {}),
    rounding: shop.rounding,
    ...(input.returnUrl ? { returnUrl: input.returnUrl } : {}),
    ...method.placement,
    customerId: input.customerId,
    couponCode: input.couponCode,
  });
  if (!placed.ok) return placed;
  // Stock was reserved: cached catalog reads and pages (src/catalog/page-cache.ts) show the new count.
  shop.catalog.invalidate();
  const order = placed.value;
  const orderUrl = shop.config.publicUrl + customerOrderPath(order.orderId, order.accessToken);
  log.info({ orderId: order.orderId, orderNumber: order.orderNumber, total: order.totals.total }, 'order placed');

  if (method.method.id !== 'card') return beginNonCardPayment(shop, log, method.method, order, orderUrl, input.clientIp);
  const payment = await startPayment(shop, order.orderId, input.clientIp, log);
  // Without a payment provider (a shop not taking payments yet) there is no hand-over to wait for.
  if (payment.ok || payment.error === 'NO_PROVIDER') await sendOrderConfirmation(shop, order.orderId, orderUrl, log);
  if (payment.ok) return { ok: true, order, orderUrl, paymentUrl: payment.redirectUrl };
  return { ok: true, order, orderUrl, paymentUrl: null, ...(payment.error !== 'NO_PROVIDER' ? { paymentError: payment.error } : {}) };
}
