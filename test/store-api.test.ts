import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from './support/databases.ts';
import { GOOD_CUSTOMER, startTestShop, type TestShop } from './support/test-shop.ts';

for (const database of DATABASES) {
  describe(`Store API on ${database.name}`, () => {
    let shop: TestShop;
    // Exact counts: this file checks that checkout takes stock; the level display is tested in
    // src/catalog/catalog-browsing.test.ts.
    beforeAll(async () => { shop = await startTestShop(database, { env: { STOREFRONT_STOCK_DISPLAY: 'exact' } }); });
    afterAll(async () => { await shop?.dispose(); });

    const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
      shop.app.inject({ method, url, ...(payload !== undefined ? { payload: payload as object } : {}) });

    async function newCartWith(variantId: number, quantity: number) {
      const cart = (await api('POST', '/api/store/carts')).json();
      const r = await api('POST', `/api/store/carts/${cart.id}/items`, { variantId, quantity });
      expect(r.statusCode).toBe(201);
      return r.json();
    }

    it('lists products with cursor pagination and the documented fields', async () => {
      const first = await api('GET', '/api/store/products?limit=5');
      expect(first.statusCode).toBe(200);
      const page1 = first.json();
      expect(page1.products).toHaveLength(5);
      expect(page1.nextCursor).toEqual(expect.any(String));
      const p = page1.products[0];
      expect(p).toEqual(expect.objectContaining({ id: expect.any(Number), slug: expect.any(String), name: expect.any(String), description: expect.any(String), taxRate: expect.any(Number) }));
      expect(p.variants[0]).toEqual(expect.objectContaining({ id: expect.any(Number), sku: expect.any(String), name: expect.any(String), price: expect.any(Number), stock: expect.any(Number) }));
      const all: string[] = page1.products.map((x: { slug: string }) => x.slug);
      let cursor = page1.nextCursor;
      while (cursor) {
        const page = (await api('GET', `/api/store/products?limit=5&cursor=${cursor}`)).json();
        all.push(...page.products.map((x: { slug: string }) => x.slug));
        cursor = page.nextCursor;
      }
      expect(all.length).toBeGreaterThanOrEqual(10);
      expect(new Set(all).size).toBe(all.length);
    });

    it('serves one product by slug, in English on request', async () => {
      const r = await api('GET', '/api/store/products/uji-matcha-latte?lang=en');
      expect(r.statusCode).toBe(200);
      expect(r.json()).toEqual(expect.objectContaining({ slug: 'uji-matcha-latte', name: 'Uji Matcha Latte', taxRate: 8 }));
      const missing = await api('GET', '/api/store/products/no-such-thing');
      expect(missing.statusCode).toBe(404);
      expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(missing.json()).toEqual(expect.objectContaining({ status: 404, code: 'MAMORI_ERR_PRODUCT_NOT_FOUND', title: expect.any(String), type: expect.any(String) }));
    });

    it('finds 宇治抹茶ラテ when searching 抹茶 (no word boundaries in Japanese) and ラテ, and English words', async () => {
      for (const q of ['抹茶', '抹茶ラテ', 'ラテ', 'matcha', 'MATCHA LATTE']) {
        const r = (await api('GET', `/api/store/products?q=${encodeURIComponent(q)}&limit=50`)).json();
        expect(r.products.map((p: { name: string }) => p.name), q).toContain('宇治抹茶ラテ');
      }
      const none = (await api('GET', `/api/store/products?q=${encodeURIComponent('100%_')}`)).json();
      expect(none.products).toEqual([]);
    });

    it('builds a cart, prices it per tax rate, changes and removes lines', async () => {
      const latte = (await api('GET', '/api/store/products/uji-matcha-latte')).json();
      const cart = await newCartWith(latte.variants[0].id, 2);
      expect(cart.items).toHaveLength(1);
      const line = cart.items[0];
      expect(line.lineTotal).toBe(line.unitPrice * 2);
      expect(cart.totals.taxBreakdown.find((t: { rate: number }) => t.rate === 8).tax).toBe(Math.floor((line.unitPrice * 2 * 8) / 108));

      const patched = await api('PATCH', `/api/store/carts/${cart.id}/items/${line.id}`, { quantity: 3 });
      expect(patched.statusCode).toBe(200);
      expect(patched.json().items[0].quantity).toBe(3);

      const removed = await api('DELETE', `/api/store/carts/${cart.id}/items/${line.id}`);
      expect(removed.statusCode).toBe(200);
      expect(removed.json().items).toEqual([]);
      expect((await api('DELETE', `/api/store/carts/${cart.id}/items/${line.id}`)).statusCode).toBe(404);
    });

    it('checks out: reserves stock, freezes totals, returns a token-protected order', async () => {
      const latte = (await api('GET', '/api/store/products/uji-matcha-latte')).json();
      const variant = latte.variants[0];
      const cart = await newCartWith(variant.id, 2);
      const r = await api('POST', `/api/store/carts/${cart.id}/checkout`, GOOD_CUSTOMER);
      expect(r.statusCode, r.body).toBe(201);
      const placed = r.json();
      expect(placed).toEqual({ orderId: expect.any(String), orderNumber: expect.stringMatching(/^MA-[0-9A-Z]{4}-[0-9A-Z]{4}$/), accessToken: expect.any(String), paymentUrl: null });

      const after = (await api('GET', '/api/store/products/uji-matcha-latte')).json();
      expect(after.variants[0].stock).toBe(variant.stock - 2);

      const order = await api('GET', `/api/store/orders/${placed.orderId}?token=${placed.accessToken}`);
      expect(order.statusCode).toBe(200);
      // Personal data behind a token in the URL: never stored by a cache, answered or refused.
      expect(order.headers['cache-control']).toBe('no-store');
      expect((await api('GET', `/api/store/orders/${placed.orderId}?token=${'y'.repeat(43)}`)).headers['cache-control']).toBe('no-store');
      expect(order.json()).toEqual(expect.objectContaining({ orderNumber: placed.orderNumber, status: 'pending_payment', total: cart.totals.total, taxBreakdown: cart.totals.taxBreakdown }));
      expect((await api('GET', `/api/store/orders/${placed.orderId}?token=${'x'.repeat(43)}`)).statusCode).toBe(404);
      expect((await api('GET', `/api/store/orders/${placed.orderId}`)).statusCode).toBe(404);

      // The cart was emptied; checking it out again is a conflict, not a second order.
      const again = await api('POST', `/api/store/carts/${cart.id}/checkout`, GOOD_CUSTOMER);
      expect(again.statusCode).toBe(409);
      expect(again.json().code).toBe('MAMORI_ERR_CART_EMPTY');
    });

    it('refuses bad customer details with every failing field listed', async () => {
      const cart = await newCartWith(1, 1);
      const r = await api('POST', `/api/store/carts/${cart.id}/checkout`, {
        ...GOOD_CUSTOMER,
        email: 'nope',
        shippingAddress: { ...GOOD_CUSTOMER.shippingAddress, postalCode: '12345', prefecture: 'Narnia' },
      });
      expect(r.statusCode).toBe(400);
      const fields = r.json().errors.map((e: { field: string }) => e.field).sort();
      expect(fields).toEqual(['email', 'shippingAddress.postalCode', 'shippingAddress.prefecture']);
      // Nothing half-written: no order, stock untouched, cart intact.
      expect((await api('GET', `/api/store/carts/${cart.id}`)).json().items).toHaveLength(1);
    });

    it.each([
      ['zero', 0], ['negative', -3], ['fractional', 1.5], ['absurd', 1e9], ['string', '2'], ['null', null],
    ])('refuses a %s quantity', async (_label, quantity) => {
      const cart = (await api('POST', '/api/store/carts')).json();
      const r = await api('POST', `/api/store/carts/${cart.id}/items`, { variantId: 1, quantity });
      expect(r.statusCode).toBe(400);
      expect(r.json().errors[0].field).toBe('quantity');
    });

    it('refuses more than the stock', async () => {
      const cart = (await api('POST', '/api/store/carts')).json();
      const r = await api('POST', `/api/store/carts/${cart.id}/items`, { variantId: 1, quantity: 99 });
      expect(r.statusCode).toBe(409);
      expect(r.json().code).toBe('MAMORI_ERR_INSUFFICIENT_STOCK');
    });

    it('answers unknown ids with 404 problems', async () => {
      const unknownCart = '00000000-0000-4000-8000-000000000000';
      expect((await api('GET', `/api/store/carts/${unknownCart}`)).statusCode).toBe(404);
      expect((await api('GET', '/api/store/carts/not-a-uuid')).statusCode).toBe(404);
      const cart = (await api('POST', '/api/store/carts')).json();
      const r = await api('POST', `/api/store/carts/${cart.id}/items`, { variantId: 999999, quantity: 1 });
      expect(r.statusCode).toBe(404);
      expect(r.json().code).toBe('MAMORI_ERR_VARIANT_NOT_FOUND');
      expect((await api('PATCH', `/api/store/carts/${cart.id}/items/999999`, { quantity: 1 })).statusCode).toBe(404);
      expect((await api('GET', '/api/store/orders/00000000-0000-4000-8000-000000000000?token=abc')).statusCode).toBe(404);
    });

    it('refuses malformed JSON, non-JSON bodies and huge bodies with problem details', async () => {
      const cart = (await api('POST', '/api/store/carts')).json();
      const malformed = await shop.app.inject({ method: 'POST', url: `/api/store/carts/${cart.id}/items`, headers: { 'content-type': 'application/json' }, payload: '{"variantId": 1, "quantity": ' });
      expect(malformed.statusCode).toBe(400);
      expect(malformed.headers['content-type']).toMatch(/problem\+json/);
      expect(malformed.body).not.toMatch(/at \w+ \(|node_modules|\.ts:\d+/); // no stack traces

      const form = await shop.app.inject({ method: 'POST', url: `/api/store/carts/${cart.id}/items`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'variantId=1&quantity=1' });
      expect(form.statusCode).toBe(415);

      const huge = await shop.app.inject({ method: 'POST', url: `/api/store/carts/${cart.id}/checkout`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ ...GOOD_CUSTOMER, name: 'x'.repeat(200_000) }) });
      expect(huge.statusCode).toBe(413);
      expect(huge.json().code).toBe('MAMORI_ERR_BODY_TOO_LARGE');

      const extra = await api('POST', `/api/store/carts/${cart.id}/items`, { variantId: 1, quantity: 1, price: 1 });
      expect(extra.statusCode).toBe(400); // unknown fields (like a client-chosen price) are refused
    });

    it('publishes an OpenAPI 3.1 document covering every Store API path', async () => {
      const doc = (await api('GET', '/api/openapi.json')).json();
      expect(doc.openapi).toBe('3.1.0');
      for (const p of ['/api/store/products', '/api/store/products/{slug}', '/api/store/carts', '/api/store/carts/{id}', '/api/store/carts/{id}/items', '/api/store/carts/{id}/items/{itemId}', '/api/store/carts/{id}/checkout', '/api/store/orders/{orderId}']) {
        expect(Object.keys(doc.paths)).toContain(p);
      }
    });

    it('reports health when the database answers', async () => {
      const r = await api('GET', '/healthz');
      expect(r.statusCode).toBe(200);
      expect(r.json()).toEqual({ status: 'ok' });
    });
  });
}
