import type { ShopContext, ShopLogger } from '../shop-context.ts';
import { appendAuditEntry } from '../audit/audit-log.ts';
import { actorIp, actorLabel, type OrderActor } from './order-actor.ts';
import { lockOrder } from './lock-order.ts';
import { transitionOrder } from './service.ts';
import { notifyCustomer } from './notify-customer.ts';
import { shipmentTrackingUrl } from '../shipping/shipment-tracking.ts';
import { shipsBeforePayment } from './record-offline-payment.ts';

export type FulfilResult = { ok: true } | { ok: false; error: 'NOT_FULFILLABLE' };

/** Marks a paid order shipped, with carrier and tracking number (audited in the same transaction), and tells the customer. */
export async function fulfilOrder(shop: ShopContext, orderId: string, shipment: { carrier: string; trackingNumber: string }, actor: OrderActor, log: ShopLogger): Promise<FulfilResult> {
  const moved = await shop.db.db.transaction().execute(async (trx) => {
    const now = shop.clock();
    const order = await lockOrder(trx, orderId);
    // Cash on delivery ships unpaid: the carrier collects, then the merchant records it (record-offline-payment.ts).
    const unpaidShippable = order?.status === 'pending_payment' && await shipsBeforePayment(trx, orderId);
    if (!order || (order.status !== 'paid' && !unpaidShippable)) return false;
    if (!(await transitionOrder(trx, orderId, [order.status], 'fulfilled', `shipped with ${shipment.carrier}, tracking ${shipment.trackingNumber}`, now))) return false;
    const ip = actorIp(actor);
    await appendAuditEntry(trx, {
      actor: actorLabel(actor), action: 'order.fulfilled', target: `order:${orderId}`, ...(ip ? { ip } : {}),
      before: { status: order.status }, after: { status: 'fulfilled', ...shipment }, at: now,
    });
    return true;
  });
  if (!moved) return { ok: false, error: 'NOT_FULFILLABLE' };
  await notifyCustomer(shop, orderId, { kind: 'fulfilled', ...shipment, trackingUrl: await shipmentTrackingUrl(shop.db.db, orderId, shipment) }, log);
  return { ok: true };
}
