// Stock can never go negative, whatever the concurrency: many customers race for the last
// few units, through the real HTTP checkout, on every database.
import { cartWithLines } from './support/store-api-checkout.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from './support/databases.ts';
import { GOOD_CUSTOMER, startTestShop, type TestShop } from './support/test-shop.ts';
import { expireUnpaidOrders } from '../src/orders/expire-orders.ts';

const STOCK = 5;
const BUYERS = 40;

for (const database of DATABASES) {
  describe(`stock under concurrent checkouts on ${database.name}`, () => {
    let shop: TestShop;
    let variantId: number;
    beforeAll(async () => {
      shop = await startTestShop(database);
      const v = await shop.db.db.selectFrom('variants').select('id').orderBy('id').executeTakeFirstOrThrow();
      variantId = v.id;
      await shop.db.db.updateTable('variants').set({ stock: STOCK }).where('id', '=', variantId).execute();
    });
    afterAll(async () => { await shop?.dispose(); });

    it(`sells exactly ${STOCK} units to ${BUYERS} simultaneous buyers`, async () => {
      const carts: string[] = [];
      for (let i = 0; i < BUYERS; i++) {
        // Every buyer may add the item: stock is checked in the cart but reserved only at checkout.
        carts.push(await cartWithLines(shop, [{ variantId, quantity: 1 }]));
      }
      const results = await Promise.all(carts.map((id) => shop.app.inject({ method: 'POST', url: `/api/store/carts/${id}/checkout`, payload: GOOD_CUSTOMER })));
      const codes = results.map((r) => r.statusCode);
      expect(codes.filter((c) => c === 201)).toHaveLength(STOCK);
      expect(codes.filter((c) => c === 409)).toHaveLength(BUYERS - STOCK);
      for (const r of results.filter((x) => x.statusCode === 409)) expect(r.json().code).toBe('MAMORI_ERR_INSUFFICIENT_STOCK');

      const v = await shop.db.db.selectFrom('variants').where('id', '=', variantId).select('stock').executeTakeFirstOrThrow();
      expect(v.stock).toBe(0);
      const sold = await shop.db.db.selectFrom('order_items').where('variant_id', '=', variantId).select((eb) => eb.fn.sum<number>('quantity').as('n')).executeTakeFirstOrThrow();
      expect(Number(sold.n)).toBe(STOCK);
    });

    it('refuses a write that would make stock negative, at the database itself', async () => {
      await expect(shop.db.db.updateTable('variants').set({ stock: -1 }).where('id', '=', variantId).execute()).rejects.toThrow();
    });

    it('expires unpaid orders after the deadline and releases their stock exactly once', async () => {
      const later = new Date(Date.now() + (shop.config.orderPaymentTimeoutMinutes + 1) * 60_000);
      const [a, b] = await Promise.all([expireUnpaidOrders(shop.db.db, later), expireUnpaidOrders(shop.db.db, later)]);
      expect(a.length + b.length).toBe(STOCK);
      const v = await shop.db.db.selectFrom('variants').where('id', '=', variantId).select('stock').executeTakeFirstOrThrow();
      expect(v.stock).toBe(STOCK);
      const statuses = await shop.db.db.selectFrom('orders').select('status').distinct().execute();
      expect(statuses.map((s) => s.status)).toEqual(['expired']);
      const events = await shop.db.db.selectFrom('order_events').where('to_status', '=', 'expired').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(events.n)).toBe(STOCK);
      expect(await expireUnpaidOrders(shop.db.db, later)).toEqual([]);
    });
  });
}
