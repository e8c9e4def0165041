// The shipped mail's tracking link: the order's shipping method's template when the parcel went with
// that method's carrier, else the carrier's own page (src/orders/carriers.ts), else none.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { findCarrier } from '../orders/carriers.ts';
import { trackingLink } from './tracking-template.ts';

const key = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
const sameCarrier = (a: string, b: string) => key(a) === key(b) || (!!findCarrier(a) && findCarrier(a) === findCarrier(b));

export async function shipmentTrackingUrl(db: Kysely<Database>, orderId: string, shipment: { carrier: string; trackingNumber: string }): Promise<string | undefined> {
  const method = await db.selectFrom('orders as o').innerJoin('shipping_methods as s', 's.id', 'o.shipping_method_id')
    .where('o.id', '=', orderId).select(['s.carrier', 's.tracking_url_template', 's.name_ja', 's.name_en']).executeTakeFirst();
  if (method && [method.carrier, method.name_ja, method.name_en].some((c) => sameCarrier(c, shipment.carrier))) {
    return trackingLink(method.tracking_url_template, method.carrier, shipment.trackingNumber);
  }
  return trackingLink(null, shipment.carrier, shipment.trackingNumber);
}
