import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { ShippingMethod } from './shipping-method.ts';

function slotsOf(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
  } catch {
    return [];
  }
}

/** Every method with its fee table, in display order; `enabledOnly` for the storefront. */
export async function listShippingMethods(db: Kysely<Database>, opts: { enabledOnly?: boolean } = {}): Promise<ShippingMethod[]> {
  let q = db.selectFrom('shipping_methods').selectAll().orderBy('position').orderBy('id');
  if (opts.enabledOnly) q = q.where('enabled', '=', 1);
  const rows = await q.execute();
  if (rows.length === 0) return [];
  const fees = await db.selectFrom('shipping_method_fees').where('method_id', 'in', rows.map((r) => r.id))
    .select(['method_id', 'size_class', 'area', 'fee']).orderBy('method_id').orderBy('size_class').orderBy('area').execute();
  return rows.map((r) => ({
    id: r.id,
    nameJa: r.name_ja,
    nameEn: r.name_en,
    carrier: r.carrier,
    trackingUrlTemplate: r.tracking_url_template,
    freeOver: r.free_over,
    dateSelectable: Number(r.date_selectable) === 1,
    dateMinDays: r.date_min_days,
    dateMaxDays: r.date_max_days,
    timeSlots: slotsOf(r.time_slots),
    enabled: Number(r.enabled) === 1,
    position: r.position,
    fees: fees.filter((f) => f.method_id === r.id).map((f) => ({ sizeClass: f.size_class, area: f.area, fee: f.fee })),
  }));
}

export async function getShippingMethod(db: Kysely<Database>, id: number): Promise<ShippingMethod | undefined> {
  return (await listShippingMethods(db)).find((m) => m.id === id);
}
