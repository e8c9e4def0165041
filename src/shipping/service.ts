// Writing shipping methods: the admin page's save (one transaction with its audit entry) and the
// defaults a new shop gets on its first start.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { appendAuditEntry } from '../audit/audit-log.ts';
import type { ShippingFeeRow, ShippingMethod } from './shipping-method.ts';
import { REGIONS } from './regions.ts';
import { DEFAULT_TIME_SLOTS } from './time-slots.ts';
import { carrierTemplate } from './tracking-template.ts';
import { getShippingMethod } from './queries.ts';

export type ShippingMethodInput = Omit<ShippingMethod, 'id'>;

function columns(m: ShippingMethodInput) {
  return {
    name_ja: m.nameJa, name_en: m.nameEn, carrier: m.carrier, tracking_url_template: m.trackingUrlTemplate, free_over: m.freeOver,
    date_selectable: m.dateSelectable ? 1 : 0, date_min_days: m.dateMinDays, date_max_days: m.dateMaxDays,
    time_slots: JSON.stringify(m.timeSlots), enabled: m.enabled ? 1 : 0, position: m.position,
  };
}

async function insertMethod(trx: Kysely<Database>, m: ShippingMethodInput, ts: string): Promise<number> {
  const row = await trx.insertInto('shipping_methods').values({ ...columns(m), created_at: ts, updated_at: ts }).returning('id').executeTakeFirstOrThrow();
  await replaceFees(trx, row.id, m.fees);
  return row.id;
}

async function replaceFees(trx: Kysely<Database>, methodId: number, fees: ShippingFeeRow[]) {
  await trx.deleteFrom('shipping_method_fees').where('method_id', '=', methodId).execute();
  if (fees.length) await trx.insertInto('shipping_method_fees').values(fees.map((f) => ({ method_id: methodId, size_class: f.sizeClass, area: f.area, fee: f.fee }))).execute();
}

/** Creates (id undefined) or replaces a method and its fee table; the audit entry is written in the same transaction. */
export async function saveShippingMethod(db: Kysely<Database>, id: number | undefined, input: ShippingMethodInput, actor: { label: string; ip?: string }, now: Date): Promise<{ ok: true; id: number } | { ok: false; error: 'NOT_FOUND' }> {
  return db.transaction().execute(async (trx) => {
    const ts = now.toISOString();
    const before = id === undefined ? undefined : await getShippingMethod(trx, id);
    if (id !== undefined && !before) return { ok: false, error: 'NOT_FOUND' } as const;
    let savedId: number;
    if (id === undefined) savedId = await insertMethod(trx, input, ts);
    else {
      await trx.updateTable('shipping_methods').set({ ...columns(input), updated_at: ts }).where('id', '=', id).execute();
      await replaceFees(trx, id, input.fees);
      savedId = id;
    }
    await appendAuditEntry(trx, {
      actor: actor.label, action: id === undefined ? 'shipping_method.created' : 'shipping_method.updated', target: `shipping_method:${savedId}`,
      ...(actor.ip ? { ip: actor.ip } : {}), ...(before ? { before } : {}), after: { ...input, id: savedId }, at: now,
    });
    return { ok: true, id: savedId } as const;
  });
}

const SEEDED_KEY = 'shipping_methods_seeded_at';

const everywhere = (sizes: [number, number][]): ShippingFeeRow[] => sizes.flatMap(([sizeClass, fee]) => REGIONS.map((r) => ({ sizeClass, area: r.code, fee })));

/** Regional fees of a typical parcel service from a Kanto shop (tax-inclusive), per size class. */
function regionalTable(base: Record<string, number>, sizeSteps: [number, number][]): ShippingFeeRow[] {
  return sizeSteps.flatMap(([sizeClass, extra]) => REGIONS.map((r) => ({ sizeClass, area: r.code, fee: base[r.code]! + extra })));
}

/**
 * The defaults a new shop gets, once (deleting them does not bring them back). The first method
 * takes over the shop's former flat rule (SHIPPING_FLAT_FEE for a 60-size parcel everywhere, free
 * from SHIPPING_FREE_OVER), so an upgraded shop charges what it did until the merchant edits it.
 */
export async function seedShippingMethodsOnce(db: Kysely<Database>, flat: { flatFee: number; freeOver: number }, now = new Date()): Promise<boolean> {
  const ts = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const seeded = await trx.selectFrom('app_meta').where('key', '=', SEEDED_KEY).select('value').executeTakeFirst();
    if (seeded) return false;
    const r = await trx.insertInto('app_meta').values({ key: SEEDED_KEY, value: ts }).onConflict((oc) => oc.column('key').doNothing()).executeTakeFirst();
    // Another instance seeded first (PostgreSQL, several instances starting together).
    if (Number(r.numInsertedOrUpdatedRows ?? 0) !== 1) return false;
    const defaults: ShippingMethodInput[] = [
      {
        nameJa: 'ヤマト宅急便', nameEn: 'Yamato TA-Q-BIN', carrier: 'ヤマト運輸', trackingUrlTemplate: carrierTemplate('ヤマト運輸') ?? null,
        freeOver: flat.freeOver, dateSelectable: true, dateMinDays: 2, dateMaxDays: 14, timeSlots: [...DEFAULT_TIME_SLOTS], enabled: true, position: 1,
        fees: everywhere([[60, flat.flatFee], [80, flat.flatFee + 300], [100, flat.flatFee + 600]]),
      },
      {
        nameJa: 'ゆうパケット', nameEn: 'Yu-Packet (mailbox)', carrier: '日本郵便', trackingUrlTemplate: carrierTemplate('日本郵便') ?? null,
        freeOver: flat.freeOver, dateSelectable: false, dateMinDays: 0, dateMaxDays: 0, timeSlots: [], enabled: true, position: 2,
        fees: everywhere([[60, 360]]),
      },
      {
        nameJa: '佐川急便', nameEn: 'Sagawa Express', carrier: '佐川急便', trackingUrlTemplate: carrierTemplate('佐川急便') ?? null,
        freeOver: flat.freeOver, dateSelectable: true, dateMinDays: 2, dateMaxDays: 14, timeSlots: ['am', '12-14', ...DEFAULT_TIME_SLOTS.slice(1)], enabled: false, position: 3,
        fees: regionalTable(
          { kanto: 880, tohoku: 990, shinetsu: 990, hokuriku: 990, tokai: 990, kinki: 1100, chugoku: 1210, shikoku: 1210, kyushu: 1430, hokkaido: 1650, okinawa: 2200 },
          [[60, 0], [80, 330], [100, 660]],
        ),
      },
    ];
    for (const m of defaults) await insertMethod(trx, m, ts);
    return true;
  });
}
