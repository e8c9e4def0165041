// One anonymous client cannot reserve the catalogue: units per variant and lines per order are
// bounded (in the cart and again at checkout), unpaid orders per client address and per e-mail
// are bounded, and stock held by an order whose payment never started goes back sooner than
// stock held for a customer at the gateway. Clear errors: problem+json, re-rendered form.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { GOOD_CUSTOMER, startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { ScriptedGateway } from '../../test/support/scripted-gateway.ts';
import { expireUnpaidOrders } from './expire-orders.ts';

const LIMITS = {
  ORDER_MAX_UNITS_PER_VARIANT: '10', ORDER_MAX_LINES: '3', ORDER_MAX_PENDING_PER_ADDRESS: '2', ORDER_MAX_PENDING_PER_EMAIL: '2',
  ORDER_UNSTARTED_PAYMENT_TIMEOUT_MINUTES: '10', ORDER_PAYMENT_TIMEOUT_MINUTES: '30',
};

for (const database of DATABASES) {
  describe(`order limits on ${database.name}`, () => {
    let shop: TestShop;
    let gateway: ScriptedGateway;
    let now = new Date('2026-03-02T01:00:00.000Z');
    let address = 1;
    beforeAll(async () => {
      gateway = new ScriptedGateway();
      shop = await startTestShop(database, { payments: gateway, reconcileAtStart: false, clock: () => now, env: LIMITS });
      await shop.db.db.updateTable('variants').set({ stock: 1000 }).execute();
    });
    afterAll(async () => { await shop?.dispose(); });

    const api = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, remoteAddress = '127.0.0.1') =>
      shop.app.inject({ method, url, remoteAddress, ...(payload === undefined ? {} : { payload: payload as object }) });
    /** A cart filled straight in the database, as if the cart's own limits had been dodged. */
    async function cartWith(lines: { variantId: number; quantity: number }[]) {
      const cart = (await api('POST', '/api/store/carts')).json();
      if (lines.length) await shop.db.db.insertInto('cart_items').values(lines.map((l) => ({ cart_id: cart.id, variant_id: l.variantId, quantity: l.quantity }))).execute();
      return cart.id as string;
    }
    const checkout = (cartId: string, remoteAddress: string, email = GOOD_CUSTOMER.email) =>
      api('POST', `/api/store/carts/${cartId}/checkout`, { ...GOOD_CUSTOMER, email }, remoteAddress);
    const variants = async () => (await shop.db.db.selectFrom('variants').select(['id', 'stock']).orderBy('id').execute());
    const freshAddress = () => `192.0.2.${address++}`;

    it('refuses a cart holding more than the per-variant and per-order limits, and a checkout of such a cart', async () => {
      const cart = (await api('POST', '/api/store/carts')).json();
      const over = await api('POST', `/api/store/carts/${cart.id}/items`, { variantId: 1, quantity: 11 });
      expect(over.statusCode).toBe(409);
      expect(over.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(over.json().code).toBe('MAMORI_ERR_ORDER_LIMIT');
      const [a, b, c, d] = (await variants()).map((v) => v.id);
      for (const id of [a, b, c]) expect((await api('POST', `/api/store/carts/${cart.id}/items`, { variantId: id, quantity: 10 })).statusCode).toBe(201);
      const fourthLine = await api('POST', `/api/store/carts/${cart.id}/items`, { variantId: d, quantity: 1 });
      expect(fourthLine.statusCode).toBe(409);
      expect(fourthLine.json().code).toBe('MAMORI_ERR_ORDER_LIMIT');
      const line = (await api('GET', `/api/store/carts/${cart.id}`)).json().items[0];
      expect((await api('PATCH', `/api/store/carts/${cart.id}/items/${line.id}`, { quantity: 11 })).json().code).toBe('MAMORI_ERR_ORDER_LIMIT');

      // The whole catalogue at 99 each, put in the cart behind the cart's back: checkout refuses it, nothing reserved.
      const before = await variants();
      const greedy = await cartWith(before.map((v) => ({ variantId: v.id, quantity: 99 })));
      const r = await checkout(greedy, freshAddress());
      expect(r.statusCode).toBe(409);
      expect(r.json().code).toBe('MAMORI_ERR_ORDER_LIMIT');
      expect(await variants()).toEqual(before);
      const oneTooMany = await checkout(await cartWith([{ variantId: a!, quantity: 11 }]), freshAddress());
      expect(oneTooMany.json().code).toBe('MAMORI_ERR_ORDER_LIMIT');
    });

    it('limits unpaid orders per client address and per e-mail, with a problem+json answer', async () => {
      const ip = freshAddress();
      for (let i = 0; i < 2; i++) expect((await checkout(await cartWith([{ variantId: 1, quantity: 1 }]), ip, `buyer${i}-${ip}@example.jp`)).statusCode).toBe(201);
      const third = await checkout(await cartWith([{ variantId: 1, quantity: 1 }]), ip, `buyer3-${ip}@example.jp`);
      expect(third.statusCode).toBe(429);
      expect(third.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(third.json().code).toBe('MAMORI_ERR_TOO_MANY_PENDING_ORDERS');

      const email = 'one-mail@example.jp';
      for (let i = 0; i < 2; i++) expect((await checkout(await cartWith([{ variantId: 1, quantity: 1 }]), freshAddress(), email)).statusCode).toBe(201);
      const byMail = await checkout(await cartWith([{ variantId: 1, quantity: 1 }]), freshAddress(), email);
      expect(byMail.statusCode).toBe(429);
      expect(byMail.json().detail).toMatch(/e-mail/);

      // Paying one frees a place.
      const paid = await shop.db.db.selectFrom('orders').where('email', '=', email).select(['id', 'payment_transaction_id']).executeTakeFirstOrThrow();
      const n = gateway.notification(gateway.set(paid.payment_transaction_id!, 'captured'));
      await shop.app.inject({ method: 'POST', url: '/payments/sandbox/notifications', headers: n.headers, payload: n.body });
      expect((await checkout(await cartWith([{ variantId: 1, quantity: 1 }]), freshAddress(), email)).statusCode).toBe(201);
    });

    it('re-renders the HTML checkout with a message when the cart is over the limit', async () => {
      const page = await shop.app.inject({ url: '/products/uji-matcha-latte?lang=en' });
      const variantId = Number(/name="variantId" value="(\d+)"/.exec(page.body)![1]);
      const cookies = page.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      const add = await shop.app.inject({ method: 'POST', url: '/cart/items?lang=en', headers: { cookie: cookies, 'content-type': 'application/x-www-form-urlencoded' }, payload: `variantId=${variantId}&quantity=11&_csrf=${encodeURIComponent(csrf)}` });
      expect(add.statusCode).toBe(409);
      expect(add.body).toContain('at most 10 of each item');
      const ok = await shop.app.inject({ method: 'POST', url: '/cart/items?lang=en', headers: { cookie: cookies, 'content-type': 'application/x-www-form-urlencoded' }, payload: `variantId=${variantId}&quantity=1&_csrf=${encodeURIComponent(csrf)}` });
      expect(ok.statusCode).toBe(303);
      const jar = [cookies, ...ok.cookies.map((c) => `${c.name}=${c.value}`)].join('; ');
      const cartId = /cart=([0-9a-f-]{36})/.exec(jar)![1]!;
      await shop.db.db.updateTable('cart_items').set({ quantity: 50 }).where('cart_id', '=', cartId).execute();
      const form = new URLSearchParams({ email: 'form@example.jp', name: '山田 太郎', phone: '03-1234-5678', country: 'JP', postalCode: '1000001', prefecture: '東京都', city: '千代田区', line1: '千代田1-1', line2: '', _csrf: csrf });
      const r = await shop.app.inject({ method: 'POST', url: '/checkout?lang=en', headers: { cookie: jar, 'content-type': 'application/x-www-form-urlencoded' }, payload: form.toString() });
      expect(r.statusCode).toBe(409);
      expect(r.headers['content-type']).toMatch(/text\/html/);
      expect(r.body).toContain('at most 10 of each item and 3 different items');
      expect(r.body).toContain('value="form@example.jp"');
    });

    it('gives back the stock of an order whose payment never started after 10 minutes, of one at the gateway after 30', async () => {
      const stockOf = async () => (await shop.db.db.selectFrom('variants').where('id', '=', 2).select('stock').executeTakeFirstOrThrow()).stock;
      const start = await stockOf();
      gateway.down = true;
      const unstarted = await checkout(await cartWith([{ variantId: 2, quantity: 3 }]), freshAddress(), 'unstarted@example.jp');
      gateway.down = false;
      expect(unstarted.json().paymentUrl).toBeNull();
      const atGateway = await checkout(await cartWith([{ variantId: 2, quantity: 4 }]), freshAddress(), 'at-gateway@example.jp');
      expect(atGateway.json().paymentUrl).not.toBeNull();
      expect(await stockOf()).toBe(start - 7);

      now = new Date(now.getTime() + 11 * 60_000);
      expect(await expireUnpaidOrders(shop.db.db, now)).toContain(unstarted.json().orderId);
      expect(await stockOf()).toBe(start - 4);
      const stillPending = await shop.db.db.selectFrom('orders').where('id', '=', atGateway.json().orderId).select('status').executeTakeFirstOrThrow();
      expect(stillPending.status).toBe('pending_payment');

      now = new Date(now.getTime() + 20 * 60_000);
      expect(await expireUnpaidOrders(shop.db.db, now)).toContain(atGateway.json().orderId);
      expect(await stockOf()).toBe(start);
      const audited = await shop.db.db.withTables<{ audit_log: { action: string; target: string | null; actor: string | null } }>()
        .selectFrom('audit_log').where('action', '=', 'order.expired').where('target', '=', `order:${atGateway.json().orderId}`).select('actor').execute();
      expect(audited).toEqual([{ actor: 'system:expiry' }]);
    });
  });
}
