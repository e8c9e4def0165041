import type { FastifyBaseLogger } from 'fastify';
import type { ShopServices } from '../app.ts';

export type StartPaymentResult =
  | { ok: true; redirectUrl: string }
  | { ok: false; error: 'NO_PROVIDER' | 'ORDER_NOT_PAYABLE' | 'GATEWAY_UNAVAILABLE'; detail?: string };

/**
 * Creates a payment for the order at the configured gateway and records the gateway's
 * transaction id on the order: the only payment identifier the shop ever stores.
 */
export async function startPayment(shop: ShopServices, orderId: string, log: FastifyBaseLogger): Promise<StartPaymentResult> {
  const provider = shop.payments;
  if (!provider) return { ok: false, error: 'NO_PROVIDER' };
  const db = shop.db.db;
  const order = await db.selectFrom('orders').where('id', '=', orderId).select(['id', 'order_number', 'total', 'status', 'locale', 'email']).executeTakeFirst();
  if (!order || order.status !== 'pending_payment') return { ok: false, error: 'ORDER_NOT_PAYABLE' };
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
    log.warn({ orderId, error: created.error }, 'payment creation failed');
    return { ok: false, error: 'GATEWAY_UNAVAILABLE', detail: created.detail };
  }
  await db
    .updateTable('orders')
    .set({ payment_provider: provider.name, payment_transaction_id: created.value.transactionId, payment_status: 'pending', updated_at: shop.clock().toISOString() })
    .where('id', '=', orderId)
    .where('status', '=', 'pending_payment')
    .execute();
  return { ok: true, redirectUrl: created.value.redirectUrl };
}
