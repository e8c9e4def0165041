// Coupons at checkout, through the Store API, on every database: the discount comes off the goods
// before tax (split over 10% and 8%, each rate's tax rounded once from its discounted total), each
// refusal is its own 422 and places nothing, the overall limit holds for concurrent checkouts,
// and an expired or cancelled order gives its use back.
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { GOOD_CUSTOMER, startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { expireUnpaidOrders } from '../orders/expire-orders.ts';
import { cancelOrder } from '../orders/cancel-order.ts';

const taxIn = (total: number, rate: number) => Math.floor((total * rate) / (100 + rate));

for (const database of DATABASES) {
  describe(`coupons at checkout on ${database.name}`, () => {
    let shop: TestShop;
    let db: Kysely<any>;
    let now = new Date('2026-12-02T03:00:00.000Z');
    let ten: { id: number; price: number };
    let eight: { id: number; price: number };

    beforeAll(async () => {
      shop = await startTestShop(database, { reconcileAtStart: false, clock: () => now, env: { ORDER_PAYMENT_TIMEOUT_MINUTES: '30' } });
      db = shop.db.db as Kysely<any>;
      const variant = async (rate: number) => {
        const v = await db.selectFrom('variants as v').innerJoin('products as p', 'p.id', 'v.product_id')
          .where('p.tax_rate', '=', rate).where('p.status', '=', 'active').where('p.publication', '=', 'published').where('v.stock', '>=', 0)
          .select(['v.id', 'v.price']).orderBy('v.id').executeTakeFirstOrThrow();
        // Plenty of stock: the concurrency case places many orders.
        await db.updateTable('variants').set({ stock: 10_000 }).where('id', '=', v.id).execute();
        return { id: Number(v.id), price: Number(v.price) };
      };
      ten = await variant(10);
      eight = await variant(8);
    });
    afterAll(async () => { await shop?.dispose(); });

    async function coupon(values: Record<string, unknown>): Promise<number> {
      const row = await db.insertInto('coupons').values({
        kind: 'fixed', amount: 500, minimum_subtotal: 0, created_at: now.toISOString(), updated_at: now.toISOString(), ...values,
      }).returning('id').executeTakeFirstOrThrow();
      return Number(row.id);
    }

    async function cartWith(items: [variantId: number, quantity: number][]): Promise<string> {
      const cart = (await shop.app.inject({ method: 'POST', url: '/api/store/carts' })).json();
      for (const [variantId, quantity] of items) {
        const r = await shop.app.inject({ method: 'POST', url: `/api/store/carts/${cart.id}/items`, payload: { variantId, quantity } });
        expect(r.statusCode).toBe(201);
      }
      return cart.id as string;
    }

    const checkout = (cartId: string, extra: Record<string, unknown> = {}, email = GOOD_CUSTOMER.email) =>
      shop.app.inject({ method: 'POST', url: `/api/store/carts/${cartId}/checkout`, payload: { ...GOOD_CUSTOMER, email, ...extra } });

    const usedCount = async (id: number) => Number((await db.selectFrom('coupons').select('used_count').where('id', '=', id).executeTakeFirstOrThrow()).used_count);

    it('takes a fixed discount off the goods before tax, split over 10% and 8%, exact to the yen', async () => {
      const id = await coupon({ code: 'WINTER1000', amount: 1000 });
      const cartId = await cartWith([[ten.id, 2], [eight.id, 3]]);
      const goods10 = ten.price * 2;
      const goods8 = eight.price * 3;
      const goods = goods10 + goods8;
      // The allocation rule (allocate-discount.ts), worked by hand: floor shares, then the odd yen
      // to the larger remainder (10% first on a tie).
      let share10 = Math.floor((1000 * goods10) / goods);
      let share8 = Math.floor((1000 * goods8) / goods);
      if (share10 + share8 < 1000) {
        if ((1000 * goods10) % goods >= (1000 * goods8) % goods) share10 += 1; else share8 += 1;
      }
      const r = await checkout(cartId, { couponCode: ' ｗｉｎｔｅｒ１０００ ' });
      expect(r.statusCode).toBe(201);
      const body = r.json();
      expect(body.discountTotal).toBe(1000);
      expect(body.couponCode).toBe('WINTER1000');

      const order = await db.selectFrom('orders').selectAll().where('id', '=', body.orderId).executeTakeFirstOrThrow();
      const shipping = Number(order.shipping_fee);
      expect(Number(order.items_total)).toBe(goods);
      expect(Number(order.discount_total)).toBe(1000);
      expect(order.coupon_code).toBe('WINTER1000');
      expect(Number(order.coupon_id)).toBe(id);
      expect(Number(order.total)).toBe(goods - 1000 + shipping);
      expect(body.total).toBe(goods - 1000 + shipping);
      const lines = (await db.selectFrom('order_tax_lines').selectAll().where('order_id', '=', body.orderId).orderBy('tax_rate', 'desc').execute())
        .map((t) => ({ rate: Number(t.tax_rate), taxable: Number(t.taxable_total), tax: Number(t.tax), discount: Number(t.discount) }));
      const taxable10 = goods10 - share10 + shipping;
      const taxable8 = goods8 - share8;
      expect(lines).toEqual([
        { rate: 10, taxable: taxable10, tax: taxIn(taxable10, 10), discount: share10 },
        { rate: 8, taxable: taxable8, tax: taxIn(taxable8, 8), discount: share8 },
      ]);
      expect(await usedCount(id)).toBe(1);
      const redemption = await db.selectFrom('coupon_redemptions').selectAll().where('order_id', '=', body.orderId).executeTakeFirstOrThrow();
      expect(Number(redemption.discount)).toBe(1000);

      const view = (await shop.app.inject({ method: 'GET', url: `/api/store/orders/${body.orderId}?token=${body.accessToken}` })).json();
      expect(view).toMatchObject({ discountTotal: 1000, couponCode: 'WINTER1000', total: goods - 1000 + shipping });
      const page = await shop.app.inject({ method: 'GET', url: `/orders/${body.orderId}?token=${encodeURIComponent(body.accessToken)}&lang=ja` });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('クーポン割引（WINTER1000）');
      expect(view.taxBreakdown).toEqual([
        { rate: 10, taxableTotal: taxable10, tax: taxIn(taxable10, 10), discount: share10 },
        { rate: 8, taxableTotal: taxable8, tax: taxIn(taxable8, 8), discount: share8 },
      ]);
    });

    it('a percentage rounds down; a body without couponCode places the order as before', async () => {
      await coupon({ code: 'PCT15', kind: 'percent', amount: 15 });
      const cartId = await cartWith([[eight.id, 1]]);
      const r = await checkout(cartId, { couponCode: 'pct15' });
      expect(r.statusCode).toBe(201);
      expect(r.json().discountTotal).toBe(Math.floor((eight.price * 15) / 100));

      const plain = await checkout(await cartWith([[ten.id, 1]]));
      expect(plain.statusCode).toBe(201);
      expect(Object.keys(plain.json()).sort()).toEqual(['accessToken', 'orderId', 'orderNumber', 'paymentUrl']);
      const order = await db.selectFrom('orders').select(['discount_total', 'coupon_id']).where('id', '=', plain.json().orderId).executeTakeFirstOrThrow();
      expect([Number(order.discount_total), order.coupon_id]).toEqual([0, null]);
    });

    it('refuses each bad code with its own 422 problem, placing nothing and keeping the cart', async () => {
      await coupon({ code: 'OLD', valid_until: '2026-12-01T00:00:00.000Z' });
      await coupon({ code: 'LATER', valid_from: '2027-01-01T00:00:00.000Z' });
      await coupon({ code: 'BIGSPEND', minimum_subtotal: 10_000_000 });
      await coupon({ code: 'GONE', usage_limit: 1, used_count: 1 });
      await coupon({ code: 'DISABLED', active: 0 });
      const cartId = await cartWith([[ten.id, 1]]);
      const orders = async () => Number((await db.selectFrom('orders').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      const before = await orders();
      const stock = async () => Number((await db.selectFrom('variants').select('stock').where('id', '=', ten.id).executeTakeFirstOrThrow()).stock);
      const stockBefore = await stock();
      for (const [code, expected] of [
        ['NOSUCH', 'MAMORI_ERR_COUPON_NOT_FOUND'], ['DISABLED', 'MAMORI_ERR_COUPON_NOT_FOUND'],
        ['OLD', 'MAMORI_ERR_COUPON_EXPIRED'], ['LATER', 'MAMORI_ERR_COUPON_EXPIRED'],
        ['BIGSPEND', 'MAMORI_ERR_COUPON_MINIMUM_NOT_MET'], ['GONE', 'MAMORI_ERR_COUPON_LIMIT_REACHED'],
      ] as const) {
        const r = await checkout(cartId, { couponCode: code });
        expect(r.statusCode, code).toBe(422);
        expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(r.json(), code).toMatchObject({ code: expected, status: 422, errors: [{ field: 'couponCode' }] });
      }
      expect(await orders()).toBe(before);
      expect(await stock()).toBe(stockBefore);
      expect((await shop.app.inject({ method: 'GET', url: `/api/store/carts/${cartId}` })).json().items).toHaveLength(1);
    });

    it('refuses a card number typed as a code before looking it up', async () => {
      const r = await checkout(await cartWith([[ten.id, 1]]), { couponCode: '4111 1111 1111 1111' });
      expect(r.statusCode).toBe(400);
      expect(r.json()).toMatchObject({ code: 'MAMORI_ERR_VALIDATION', errors: [{ field: 'couponCode', message: 'Do not enter card numbers here' }] });
      expect(r.body).not.toContain('4111');
    });

    it('12 concurrent checkouts against an overall limit of 4 place exactly 4 orders with it', async () => {
      const id = await coupon({ code: 'RUSH4', usage_limit: 4 });
      const carts = await Promise.all(Array.from({ length: 12 }, () => cartWith([[ten.id, 1]])));
      const results = await Promise.all(carts.map((c, i) => checkout(c, { couponCode: 'RUSH4' }, `rush${i}@example.jp`)));
      expect(results.filter((r) => r.statusCode === 201)).toHaveLength(4);
      const refused = results.filter((r) => r.statusCode !== 201);
      expect(refused).toHaveLength(8);
      for (const r of refused) expect(r.json().code).toBe('MAMORI_ERR_COUPON_LIMIT_REACHED');
      expect(await usedCount(id)).toBe(4);
      const withIt = await db.selectFrom('orders').select((eb) => eb.fn.countAll().as('n')).where('coupon_id', '=', id).executeTakeFirstOrThrow();
      expect(Number(withIt.n)).toBe(4);
    });

    it('holds the per-customer limit when one customer checks out concurrently', async () => {
      const id = await coupon({ code: 'ONCEEACH', per_customer_limit: 1 });
      const carts = await Promise.all(Array.from({ length: 6 }, () => cartWith([[ten.id, 1]])));
      const results = await Promise.all(carts.map((c) => checkout(c, { couponCode: 'ONCEEACH' }, 'same@example.jp')));
      expect(results.filter((r) => r.statusCode === 201)).toHaveLength(1);
      expect(results.filter((r) => r.statusCode === 422 && r.json().code === 'MAMORI_ERR_COUPON_LIMIT_REACHED')).toHaveLength(5);
      expect(await usedCount(id)).toBe(1);
    });

    it('an expired order and a cancelled order each give their use back', async () => {
      const id = await coupon({ code: 'COMEBACK', usage_limit: 1 });
      const first = await checkout(await cartWith([[ten.id, 1]]), { couponCode: 'COMEBACK' });
      expect(first.statusCode).toBe(201);
      expect((await checkout(await cartWith([[ten.id, 1]]), { couponCode: 'COMEBACK' })).json().code).toBe('MAMORI_ERR_COUPON_LIMIT_REACHED');
      now = new Date(now.getTime() + 31 * 60_000);
      expect(await expireUnpaidOrders(shop.db.db, now)).toContain(first.json().orderId);
      expect(await usedCount(id)).toBe(0);

      const second = await checkout(await cartWith([[ten.id, 1]]), { couponCode: 'COMEBACK' });
      expect(second.statusCode).toBe(201);
      expect(await usedCount(id)).toBe(1);
      const silent = { info() {}, warn() {}, error() {}, debug() {} } as any;
      expect(await cancelOrder(shop.app.shop, second.json().orderId, 'customer asked', { kind: 'admin', id: 1 }, silent)).toEqual({ ok: true });
      expect(await usedCount(id)).toBe(0);
      expect(await db.selectFrom('coupon_redemptions').selectAll().where('order_id', '=', second.json().orderId).execute()).toEqual([]);
      const audit = await db.selectFrom('audit_log').selectAll().where('action', '=', 'order.cancelled').where('target', '=', `order:${second.json().orderId}`).execute();
      expect(audit).toHaveLength(1);
    });
  });
}
