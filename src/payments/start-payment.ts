import type { ShopContext, ShopLogger } from '../shop-context.ts';
import { checkPaymentVelocity } from './card-testing-guard.ts';
import { isCardPaymentPaused } from '../shop-pause/shop-pause.ts';
import { recordSecurityEvent } from '../security-events/record-security-event.ts';
import { paysByCard } from '../payment-methods/order-payment-method.ts';
import { RETURN_TOKEN_GRACE_MS, returnTokenKey, signReturnToken } from '../orders/return-token.ts';

export type StartPaymentResult =
  | { ok: true; redirectUrl: string }
  | { ok: false; error: 'NO_PROVIDER' | 'ORDER_NOT_PAYABLE' | 'GATEWAY_UNAVAILABLE' | 'PAYMENT_BLOCKED' | 'CHECKOUT_PAUSED' | 'UNTRUSTED_PAYMENT_URL'; detail?: string };

/**
 * Creates a payment for the order at the configured gateway and records the gateway's
 * transaction id: the only payment identifier the shop ever stores. Attempts are counted
 * for the card-testing defence before the gateway is asked.
 */
export async function startPayment(shop: ShopContext, orderId: string, clientIp: string, log: ShopLogger): Promise<StartPaymentResult> {
  const provider = shop.payments;
  if (!provider) return { ok: false, error: 'NO_PROVIDER' };
  const db = shop.db.db;
  // Every payment URL the shop hands out (checkout, retry, return links) is made here: a paused
  // shop hands out none.
  if (await isCardPaymentPaused(db)) return { ok: false, error: 'CHECKOUT_PAUSED' };
  const now = shop.clock();
  const order = await db.selectFrom('orders').where('id', '=', orderId).select(['id', 'order_number', 'total', 'status', 'locale', 'email', 'created_at', 'expires_at']).executeTakeFirst();
  if (!order || order.status !== 'pending_payment') return { ok: false, error: 'ORDER_NOT_PAYABLE' };
  // A bank-transfer, cash-on-delivery or konbini order is never sent to the card page.
  if (!(await paysByCard(db, orderId))) return { ok: false, error: 'ORDER_NOT_PAYABLE' };

  const velocity = await checkPaymentVelocity(db, shop.velocityLimits, { orderId, email: order.email, ip: clientIp, now });
  if (!velocity.ok) {
    log.warn({ orderId, reason: velocity.reason }, 'payment attempt refused by the card-testing defence');
    return { ok: false, error: 'PAYMENT_BLOCKED', detail: velocity.reason };
  }
  const ts = now.toISOString();
  const attempt = await db.insertInto('payment_attempts')
    .values({ order_id: orderId, provider: provider.name, transaction_id: null, email: order.email, client_ip: clientIp, status: 'started', created_at: ts, updated_at: ts })
    .returning('id').executeTakeFirstOrThrow();

  const base = shop.config.publicUrl;
  // At the gateway the customer gets the full payment window, counted from the order's
  // creation so that restarting the payment never extends the reservation indefinitely.
  const atGatewayUntil = new Date(Date.parse(order.created_at) + shop.config.orderPaymentTimeoutMinutes * 60_000).toISOString();
  // The way back works without the order cookie (orders/return-token.ts), until shortly after the window.
  const paymentEnds = Math.max(Date.parse(atGatewayUntil), Date.parse(order.expires_at));
  const rt = encodeURIComponent(signReturnToken(returnTokenKey(shop.config), order.id, new Date(paymentEnds + RETURN_TOKEN_GRACE_MS)));
  const created = await provider.createPayment({
    orderReference: order.order_number,
    amount: order.total,
    currency: 'JPY',
    returnUrl: `${base}/orders/${order.id}/payment-return?rt=${rt}`,
    cancelUrl: `${base}/orders/${order.id}/payment-return?cancelled=1&rt=${rt}`,
    notificationUrl: `${base}/payments/${provider.name}/notifications`,
    description: `${shop.config.shopName} ${order.order_number}`,
    customerEmail: order.email,
    locale: order.locale,
  });
  if (!created.ok) {
    await db.updateTable('payment_attempts').set({ status: 'failed', updated_at: ts }).where('id', '=', attempt.id).execute();
    log.warn({ orderId, error: created.error }, 'payment creation failed');
    return { ok: false, error: 'GATEWAY_UNAVAILABLE', detail: created.detail };
  }
  // The hand-off guard: a customer is only ever sent to the configured gateway's own origin. An
  // altered adapter, configuration or gateway answer that points elsewhere (a look-alike payment
  // page) is refused and recorded; the customer sees an error, never the URL.
  if (!isOnOrigin(created.value.redirectUrl, provider.checkoutOrigin)) {
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('payment_attempts').set({ status: 'failed', updated_at: ts }).where('id', '=', attempt.id).execute();
      await recordSecurityEvent(trx, 'payment.untrusted_redirect', { orderId, expectedOrigin: provider.checkoutOrigin, origin: originOf(created.value.redirectUrl) }, now, clientIp);
    });
    log.error({ orderId, expectedOrigin: provider.checkoutOrigin }, 'payment URL on another origin refused');
    return { ok: false, error: 'UNTRUSTED_PAYMENT_URL' };
  }
  await db.updateTable('payment_attempts').set({ transaction_id: created.value.transactionId, status: 'pending', updated_at: ts }).where('id', '=', attempt.id).execute();
  await db.updateTable('orders')
    .set({
      payment_provider: provider.name, payment_transaction_id: created.value.transactionId, payment_status: 'pending', updated_at: ts,
      ...(atGatewayUntil > order.expires_at ? { expires_at: atGatewayUntil } : {}),
    })
    .where('id', '=', orderId)
    .where('status', '=', 'pending_payment')
    .execute();
  return { ok: true, redirectUrl: created.value.redirectUrl };
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** True when `url` is an http(s) URL on exactly `origin` (scheme, host and port). */
export function isOnOrigin(url: string, origin: string): boolean {
  const o = originOf(url);
  return o !== null && o !== 'null' && o === originOf(origin) && /^https?:$/.test(new URL(url).protocol);
}
