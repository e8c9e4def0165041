import type { ShopContext, ShopLogger } from '../shop-context.ts';
import { checkPaymentVelocity } from './card-testing-guard.ts';

export type StartPaymentResult =
  | { ok: true; redirectUrl: string }
  | { ok: false; error: 'NO_PROVIDER' | 'ORDER_NOT_PAYABLE' | 'GATEWAY_UNAVAILABLE' | 'PAYMENT_BLOCKED'; detail?: string };

/**
 * Creates a payment for the order at the configured gateway and records the gateway's
 * transaction id: the only payment identifier the shop ever stores. Attempts are counted
 * for the card-testing defence before the gateway is asked.
 */
export async function startPayment(shop: ShopContext, orderId: string, clientIp: string, log: ShopLogger): Promise<StartPaymentResult> {
  const provider = shop.payments;
  if (!provider) return { ok: false, error: 'NO_PROVIDER' };
  const db = shop.db.db;
  const now = shop.clock();
  const order = await db.selectFrom('orders').where('id', '=', orderId).select(['id', 'order_number', 'total', 'status', 'locale', 'email', 'created_at', 'expires_at']).executeTakeFirst();
  if (!order || order.status !== 'pending_payment') return { ok: false, error: 'ORDER_NOT_PAYABLE' };

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
  const created = await provider.createPayment({
    orderReference: order.order_number,
    amount: order.total,
    currency: 'JPY',
    returnUrl: `${base}/orders/${order.id}/payment-return`,
    cancelUrl: `${base}/orders/${order.id}/payment-return?cancelled=1`,
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
  await db.updateTable('payment_attempts').set({ transaction_id: created.value.transactionId, status: 'pending', updated_at: ts }).where('id', '=', attempt.id).execute();
  // At the gateway the customer gets the full payment window, counted from the order's
  // creation so that restarting the payment never extends the reservation indefinitely.
  const atGatewayUntil = new Date(Date.parse(order.created_at) + shop.config.orderPaymentTimeoutMinutes * 60_000).toISOString();
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
