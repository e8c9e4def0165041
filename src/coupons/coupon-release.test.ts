// The expiry job gives an expired unpaid order's coupon slot back, in the order's own transaction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { GOOD_CUSTOMER, startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { ScriptedGateway } from '../../test/support/scripted-gateway.ts';
import { expireUnpaidOrders } from '../orders/expire-orders.ts';
import { couponCustomerKey, redeemCoupon } from './coupon-service.ts';

for (const database of DATABASES) {
  describe(`coupon release on expiry on ${database.name}`, () => {
    let shop: TestShop;
    let now = new Date('2026-03-02T01:00:00.000Z');
    beforeAll(async () => {
      shop = await startTestShop(database, { payments: new ScriptedGateway(), reconcileAtStart: false, clock: () => now, env: { ORDER_PAYMENT_TIMEOUT_MINUTES: '30' } });
    });
    afterAll(async () => { await shop?.dispose(); });

    it('an expired order releases its redemption and the overall count', async () => {
      const cart = (await shop.app.inject({ method: 'POST', url: '/api/store/carts' })).json();
      await shop.db.db.insertInto('cart_items').values({ cart_id: cart.id, variant_id: 1, quantity: 1 }).execute();
      const placed = await shop.app.inject({ method: 'POST', url: `/api/store/carts/${cart.id}/checkout`, payload: GOOD_CUSTOMER });
      const orderId = placed.json().orderId as string;
      expect(orderId).toBeTruthy();
      const db = shop.db.db as any;
      const coupon = await db.insertInto('coupons').values({ code: 'BACK', kind: 'fixed', amount: 100, usage_limit: 1, created_at: now.toISOString(), updated_at: now.toISOString() }).returning('id').executeTakeFirstOrThrow();
      const clock = () => now;
      expect(await db.transaction().execute((trx: any) => redeemCoupon(trx, clock, { couponId: Number(coupon.id), orderId, customerKey: couponCustomerKey({ email: GOOD_CUSTOMER.email }), discount: 100 }))).toEqual({ ok: true });

      now = new Date(now.getTime() + 31 * 60_000);
      expect(await expireUnpaidOrders(shop.db.db, now)).toContain(orderId);
      const after = await db.selectFrom('coupons').select('used_count').where('id', '=', coupon.id).executeTakeFirstOrThrow();
      expect(Number(after.used_count)).toBe(0);
      expect(await db.selectFrom('coupon_redemptions').selectAll().where('order_id', '=', orderId).execute()).toEqual([]);
    });
  });
}
