import type { ShopContext, ShopLogger } from '../shop-context.ts';
import { registerDecline } from './card-testing-guard.ts';
import { notifyCustomer } from '../orders/notify-customer.ts';
import { settleOrder, type SettleInput, type SettleResult, type SettleSource } from './settle-order.ts';

/** Settles, then feeds declines to the card-testing defence. */
export async function confirmPayment(shop: ShopContext, input: SettleInput, log: ShopLogger): Promise<SettleResult> {
  const result = await settleOrder(shop.db.db, input);
  log.info({ orderId: result.orderId, outcome: result.outcome, status: input.state.status, source: input.source }, 'payment settled');
  if (result.orderId && result.outcome === 'paid') await notifyCustomer(shop, result.orderId, { kind: 'paid' }, log);
  if (result.orderId && result.outcome === 'recorded' && input.state.status === 'declined') {
    if (await registerDecline(shop.db.db, shop.velocityLimits, { orderId: result.orderId, now: input.now })) {
      log.warn({ orderId: result.orderId }, 'repeated declines: order and client blocked for a while');
    }
  }
  return result;
}

export type QueryAndSettleResult = SettleResult | { outcome: 'gateway_unavailable' | 'no_payment' };

/** Asks the gateway for the order's payment (the shop's own status query) and settles from its answer. */
export async function queryAndSettle(shop: ShopContext, orderId: string, source: SettleSource, log: ShopLogger): Promise<QueryAndSettleResult> {
  const provider = shop.payments;
  const order = await shop.db.db.selectFrom('orders').where('id', '=', orderId).select(['payment_provider', 'payment_transaction_id']).executeTakeFirst();
  if (!provider || !order?.payment_transaction_id || order.payment_provider !== provider.name) return { outcome: 'no_payment' };
  const state = await provider.getPayment(order.payment_transaction_id);
  if (!state.ok) {
    log.warn({ orderId, error: state.error }, 'payment status query failed');
    return { outcome: 'gateway_unavailable' };
  }
  return confirmPayment(shop, { provider: provider.name, state: state.value, source, now: shop.clock() }, log);
}
