// Coupon limits on every database: 20 concurrent checkouts against a limit of 5 give exactly 5
// redemptions; the per-customer limit holds for one customer racing themselves; validity follows
// the injected clock; releasing an unpaid order gives its slot back.
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { openMigratedDatabase, type MigratedTestDatabase } from '../../test/support/migrated-database.ts';
import { couponCustomerKey, createCoupon as createCouponAsStaff, evaluateCoupon, redeemCoupon, releaseCouponRedemption } from './coupon-service.ts';

let nextOrderId = 1;
const T0 = new Date('2026-12-01T00:00:00Z');

async function createCoupon(db: Kysely<any>, values: Record<string, unknown>): Promise<number> {
  const row = await db.insertInto('coupons').values({
    kind: 'fixed', amount: 500, minimum_subtotal: 0, created_at: T0.toISOString(), updated_at: T0.toISOString(), ...values,
  }).returning('id').executeTakeFirstOrThrow();
  return Number(row.id);
}

/** What place-order does: evaluate, then redeem inside the order's transaction. */
async function checkout(db: Kysely<any>, clock: () => Date, code: string, email: string) {
  return db.transaction().execute(async (trx) => {
    const key = couponCustomerKey({ email });
    const evaluated = await evaluateCoupon(trx, clock, code, 3000, key);
    if (!evaluated.ok) return evaluated;
    return redeemCoupon(trx, clock, { couponId: evaluated.coupon.id, orderId: `ord-${nextOrderId++}`, customerKey: key, discount: evaluated.discount });
  });
}

for (const database of DATABASES) {
  describe(`coupon limits on ${database.name}`, () => {
    let m: MigratedTestDatabase;
    beforeAll(async () => { m = await openMigratedDatabase(database); });
    afterAll(async () => { await m?.dispose(); });
    const clock = () => T0;

    it('20 concurrent checkouts with a coupon limited to 5 redeem exactly 5', async () => {
      const id = await createCoupon(m.db, { code: 'LIMIT5', usage_limit: 5 });
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => checkout(m.db, clock, 'limit5', `c${i}@example.jp`)));
      expect(results.filter((r) => r.ok)).toHaveLength(5);
      expect(results.filter((r) => !r.ok && r.error === 'USED_UP')).toHaveLength(15);
      const c = await m.db.selectFrom('coupons').select('used_count').where('id', '=', id).executeTakeFirstOrThrow();
      expect(Number(c.used_count)).toBe(5);
      const n = await m.db.selectFrom('coupon_redemptions').select((eb) => eb.fn.countAll().as('n')).where('coupon_id', '=', id).executeTakeFirstOrThrow();
      expect(Number(n.n)).toBe(5);
    });

    it('holds the per-customer limit when one customer races themselves', async () => {
      await createCoupon(m.db, { code: 'ONCE', per_customer_limit: 1 });
      const results = await Promise.all(Array.from({ length: 8 }, () => checkout(m.db, clock, 'ONCE', 'Same@Example.jp')));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      // Another guest e-mail still may; the same address in other case may not.
      expect((await checkout(m.db, clock, 'ONCE', 'other@example.jp')).ok).toBe(true);
      expect(await checkout(m.db, clock, 'ONCE', 'same@example.jp')).toEqual({ ok: false, error: 'USED_UP' });
    });

    it('follows the shop clock for validity, and checks the minimum and active flag', async () => {
      await createCoupon(m.db, { code: 'DEC', valid_from: '2026-12-10T00:00:00.000Z', valid_until: '2026-12-20T00:00:00.000Z' });
      await createCoupon(m.db, { code: 'BIG', minimum_subtotal: 5000 });
      await createCoupon(m.db, { code: 'OFF', active: 0 });
      let now = T0;
      const shopClock = () => now;
      expect(await evaluateCoupon(m.db, shopClock, 'dec', 3000, 'email:a')).toEqual({ ok: false, error: 'NOT_YET_VALID' });
      now = new Date('2026-12-15T00:00:00Z');
      expect(await evaluateCoupon(m.db, shopClock, 'ＤＥＣ', 3000, 'email:a')).toMatchObject({ ok: true, discount: 500 });
      now = new Date('2026-12-20T00:00:00Z');
      expect(await evaluateCoupon(m.db, shopClock, 'DEC', 3000, 'email:a')).toEqual({ ok: false, error: 'EXPIRED' });
      expect(await evaluateCoupon(m.db, shopClock, 'BIG', 4999, 'email:a')).toEqual({ ok: false, error: 'MINIMUM_NOT_MET' });
      expect(await evaluateCoupon(m.db, shopClock, 'OFF', 3000, 'email:a')).toEqual({ ok: false, error: 'UNKNOWN' });
      expect(await evaluateCoupon(m.db, shopClock, 'NOPE', 3000, 'email:a')).toEqual({ ok: false, error: 'UNKNOWN' });
    });

    it('releasing an unpaid order gives both slots back, once', async () => {
      await createCoupon(m.db, { code: 'ONE', usage_limit: 1, per_customer_limit: 1 });
      expect((await checkout(m.db, clock, 'ONE', 'r@example.jp')).ok).toBe(true);
      const orderId = `ord-${nextOrderId - 1}`;
      expect((await checkout(m.db, clock, 'ONE', 'r@example.jp')).ok).toBe(false);
      expect(await m.db.transaction().execute((trx) => releaseCouponRedemption(trx, orderId))).toBe(true);
      expect(await m.db.transaction().execute((trx) => releaseCouponRedemption(trx, orderId))).toBe(false);
      expect((await checkout(m.db, clock, 'ONE', 'r@example.jp')).ok).toBe(true);
    });

    it('two staff saving the same code at once: one coupon, the other told the code is taken', async () => {
      const staff = (n: number) => ({ actor: `admin:${n}`, ip: '127.0.0.1', now: T0 });
      const coupon = { code: 'race', kind: 'fixed' as const, amount: 300, minimumSubtotal: 0, validFrom: null, validUntil: null, usageLimit: null, perCustomerLimit: null };
      const results = await Promise.all([1, 2, 3, 4].map((n) => createCouponAsStaff(m.db, coupon, staff(n))));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok)).toEqual([1, 2, 3].map(() => ({ ok: false, error: 'CODE_TAKEN' })));
      expect(await m.db.selectFrom('coupons').select('code').where('code', '=', 'RACE').execute()).toHaveLength(1);
      // Only the created coupon is audited.
      expect(await m.db.selectFrom('audit_log').select('action').where('action', '=', 'coupon.created').where('target', 'like', 'coupon:%').execute()).toHaveLength(1);
    });
  });
}
