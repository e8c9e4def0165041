import type { ShopContext, ShopLogger } from '../shop-context.ts';
import { transitionOrder } from './service.ts';
import { notifyCustomer } from './notify-customer.ts';

export type FulfilResult = { ok: true } | { ok: false; error: 'NOT_FULFILLABLE' };

/** Marks a paid order shipped, with carrier and tracking number, and tells the customer. */
export async function fulfilOrder(shop: ShopContext, orderId: string, shipment: { carrier: string; trackingNumber: string }, log: ShopLogger): Promise<FulfilResult> {
  const moved = await transitionOrder(shop.db.db, orderId, ['paid'], 'fulfilled', `shipped with ${shipment.carrier}, tracking ${shipment.trackingNumber}`, shop.clock());
  if (!moved) return { ok: false, error: 'NOT_FULFILLABLE' };
  await notifyCustomer(shop, orderId, { kind: 'fulfilled', ...shipment }, log);
  return { ok: true };
}
