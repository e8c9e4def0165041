// Coupons as values: evaluating one for a cart returns the discount or a typed reason; redeeming
// it inside the order's transaction enforces the limits in the database (see migration 0690).
import type { Kysely } from 'kysely';
import type { Clock } from '../shop-context.ts';
import { discountAmount, type CouponDiscount } from './allocate-discount.ts';
import { normaliseCouponCode } from './coupon-code.ts';
import { appendAuditEntry } from '../audit/audit-log.ts';

export interface CouponRow {
  id: number; code: string; kind: 'fixed' | 'percent'; amount: number; minimum_subtotal: number;
  valid_from: string | null; valid_until: string | null; usage_limit: number | null;
  per_customer_limit: number | null; used_count: number; active: number;
}

export type CouponError = 'UNKNOWN' | 'NOT_YET_VALID' | 'EXPIRED' | 'MINIMUM_NOT_MET' | 'USED_UP';
export type CouponResult = { ok: true; coupon: CouponRow; discount: number } | { ok: false; error: CouponError };

/** Per signed-in account, or per normalised e-mail for a guest. */
export function couponCustomerKey(customer: { customerId?: number | null; email: string }): string {
  return customer.customerId != null ? `customer:${customer.customerId}` : `email:${customer.email.normalize('NFKC').trim().toLowerCase()}`;
}

export function couponDiscount(c: CouponRow): CouponDiscount {
  return c.kind === 'fixed' ? { kind: 'fixed', amountYen: c.amount } : { kind: 'percent', percent: c.amount };
}

/** Checks a code against a tax-inclusive goods subtotal at the shop clock's now. Read-only. */
export async function evaluateCoupon(
  db: Kysely<any>, clock: Clock, rawCode: string, subtotal: number, customerKey: string,
): Promise<CouponResult> {
  const coupon = await db.selectFrom('coupons').selectAll().where('code', '=', normaliseCouponCode(rawCode)).executeTakeFirst() as CouponRow | undefined;
  // An inactive coupon answers as unknown: a deactivated code should not be confirmed to exist.
  if (!coupon || !Number(coupon.active)) return { ok: false, error: 'UNKNOWN' };
  const now = clock().toISOString();
  if (coupon.valid_from && now < coupon.valid_from) return { ok: false, error: 'NOT_YET_VALID' };
  if (coupon.valid_until && now >= coupon.valid_until) return { ok: false, error: 'EXPIRED' };
  if (subtotal < coupon.minimum_subtotal) return { ok: false, error: 'MINIMUM_NOT_MET' };
  if (coupon.usage_limit != null && coupon.used_count >= coupon.usage_limit) return { ok: false, error: 'USED_UP' };
  if (coupon.per_customer_limit != null && (await customerRedemptions(db, coupon.id, customerKey)) >= coupon.per_customer_limit) {
    return { ok: false, error: 'USED_UP' };
  }
  return { ok: true, coupon, discount: discountAmount(couponDiscount(coupon), subtotal) };
}

async function customerRedemptions(db: Kysely<any>, couponId: number, customerKey: string): Promise<number> {
  const r = await db.selectFrom('coupon_redemptions').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('coupon_id', '=', couponId).where('customer_key', '=', customerKey).executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Call inside the order's transaction, after evaluateCoupon. The per-customer slot is taken by an
 * insert that does nothing on conflict (a concurrent checkout of the same customer took it), the
 * overall slot by one conditional UPDATE; if the second fails the first is undone here, so the
 * caller may simply report the error. Never a read-then-write on the counters.
 */
export async function redeemCoupon(
  trx: Kysely<any>, clock: Clock, input: { couponId: number; orderId: string; customerKey: string; discount: number },
): Promise<{ ok: true } | { ok: false; error: 'USED_UP' }> {
  const coupon = await trx.selectFrom('coupons').select(['per_customer_limit']).where('id', '=', input.couponId).executeTakeFirstOrThrow();
  const seq = (await customerRedemptions(trx, input.couponId, input.customerKey)) + 1;
  if (coupon.per_customer_limit != null && seq > coupon.per_customer_limit) return { ok: false, error: 'USED_UP' };
  const inserted = await trx.insertInto('coupon_redemptions').values({
    coupon_id: input.couponId, order_id: input.orderId, customer_key: input.customerKey,
    customer_seq: seq, discount: input.discount, created_at: clock().toISOString(),
  }).onConflict((oc) => oc.doNothing()).returning('id').executeTakeFirst();
  // `returning` rather than the affected-row count: the count is not reported alike by both drivers.
  if (!inserted) return { ok: false, error: 'USED_UP' };
  const updated = await trx.updateTable('coupons').set((eb) => ({ used_count: eb('used_count', '+', 1) }))
    .where('id', '=', input.couponId).where('active', '=', 1)
    .where((eb) => eb.or([eb('usage_limit', 'is', null), eb('used_count', '<', eb.ref('usage_limit'))]))
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) {
    await trx.deleteFrom('coupon_redemptions').where('order_id', '=', input.orderId).execute();
    return { ok: false, error: 'USED_UP' };
  }
  return { ok: true };
}

/** For the expiry/cancel job: gives an unpaid order's slots back. Idempotent. */
export async function releaseCouponRedemption(trx: Kysely<any>, orderId: string): Promise<boolean> {
  const row = await trx.deleteFrom('coupon_redemptions').where('order_id', '=', orderId).returning(['coupon_id']).executeTakeFirst();
  if (!row) return false;
  await trx.updateTable('coupons').set((eb) => ({ used_count: eb('used_count', '-', 1) }))
    .where('id', '=', row.coupon_id).where('used_count', '>', 0).execute();
  return true;
}

// Back-office side (/admin/coupons): create and disable, each one transaction with its audit entry.
export interface NewCoupon {
  code: string; kind: 'fixed' | 'percent'; amount: number; minimumSubtotal: number;
  validFrom: string | null; validUntil: string | null; usageLimit: number | null; perCustomerLimit: number | null;
}
export type CouponAdminActor = { actor: string; ip: string; now: Date };
export type CouponChangeError = 'CODE_TAKEN' | 'COUPON_NOT_FOUND' | 'ALREADY_DISABLED';

export async function listCoupons(db: Kysely<any>): Promise<CouponRow[]> {
  return await db.selectFrom('coupons').selectAll().orderBy('id', 'desc').execute() as CouponRow[];
}

export async function createCoupon(db: Kysely<any>, c: NewCoupon, by: CouponAdminActor): Promise<{ ok: true; couponId: number } | { ok: false; error: CouponChangeError }> {
  const code = normaliseCouponCode(c.code);
  return db.transaction().execute(async (trx) => {
    const at = by.now.toISOString();
    // The unique index decides: two staff saving the same code at once both pass any read first,
    // and the loser's insert must become CODE_TAKEN, not a unique-violation 500.
    const row = await trx.insertInto('coupons').values({
      code, kind: c.kind, amount: c.amount, minimum_subtotal: c.minimumSubtotal, valid_from: c.validFrom, valid_until: c.validUntil,
      usage_limit: c.usageLimit, per_customer_limit: c.perCustomerLimit, created_at: at, updated_at: at,
    }).onConflict((oc) => oc.column('code').doNothing()).returning('id').executeTakeFirst();
    if (!row) return { ok: false, error: 'CODE_TAKEN' } as const;
    const couponId = Number(row.id);
    await appendAuditEntry(trx, { actor: by.actor, action: 'coupon.created', target: `coupon:${couponId}`, ip: by.ip, after: { ...c, code }, at: by.now });
    return { ok: true, couponId } as const;
  });
}

/** Disabling is one-way: a code once withdrawn is not silently revived (make a new one). */
export async function disableCoupon(db: Kysely<any>, couponId: number, by: CouponAdminActor): Promise<{ ok: true } | { ok: false; error: CouponChangeError }> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('coupons').select(['id', 'code']).where('id', '=', couponId).executeTakeFirst();
    if (!row) return { ok: false, error: 'COUPON_NOT_FOUND' } as const;
    const updated = await trx.updateTable('coupons').set({ active: 0, updated_at: by.now.toISOString() })
      .where('id', '=', couponId).where('active', '=', 1).returning('id').executeTakeFirst();
    if (!updated) return { ok: false, error: 'ALREADY_DISABLED' } as const;
    await appendAuditEntry(trx, { actor: by.actor, action: 'coupon.disabled', target: `coupon:${couponId}`, ip: by.ip, before: { code: row.code, active: true }, after: { active: false }, at: by.now });
    return { ok: true } as const;
  });
}
