// Every free-text field the shop keeps refuses a card number, says why at the field, and does
// not echo it back: the HTML checkout, the search box, the order lookup and the Store API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { DATABASES } from '../../test/support/databases.ts';
import { GOOD_CUSTOMER, startTestShop, type TestShop } from '../../test/support/test-shop.ts';

const CARD = '4242 4242 4242 4242';
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

function session(shop: TestShop) {
  const jar = new Map<string, string>();
  const remember = (r: LightMyRequestResponse) => { for (const c of r.cookies) jar.set(c.name, c.value); return r; };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  return {
    get: async (url: string) => remember(await shop.app.inject({ method: 'GET', url, headers: { cookie: cookie() } })),
    post: async (url: string, form: Record<string, string>) => remember(await shop.app.inject({
      method: 'POST', url, headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(form).toString(),
    })),
  };
}

const digitsOf = (s: string) => s.replace(/[^0-9]/g, '');

for (const database of DATABASES) {
  describe(`card numbers in the shop's fields on ${database.name}`, () => {
    let shop: TestShop;
    beforeAll(async () => { shop = await startTestShop(database); });
    afterAll(async () => { await shop?.dispose(); });

    it('the HTML checkout refuses a card number in the name and address, with a field message, without echoing it', async () => {
      const s = session(shop);
      const page = await s.get('/products/uji-matcha-latte?lang=ja');
      const variantId = /name="variantId" value="(\d+)"/.exec(page.body)![1]!;
      await s.post('/cart/items', { variantId, quantity: '1', _csrf: csrfOf(page.body) });
      const checkout = await s.get('/checkout?lang=ja');
      const a = GOOD_CUSTOMER.shippingAddress;
      const r = await s.post('/checkout', {
        _csrf: csrfOf(checkout.body), email: GOOD_CUSTOMER.email, familyName: CARD, givenName: '花子', phone: GOOD_CUSTOMER.phone, country: 'JP',
        postalCode: a.postalCode, prefecture: a.prefecture, city: a.city, line1: '4242-4242-4242-4242', line2: '',
      });
      expect(r.statusCode).toBe(400);
      expect(r.body).toMatch(/id="familyName-error"[^>]*>カード番号はここに入力しないでください</);
      expect(r.body).toMatch(/id="line1-error"[^>]*>カード番号はここに入力しないでください</);
      expect(digitsOf(r.body)).not.toContain('4242424242424242');
      const orders = await shop.db.db.selectFrom('orders').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(orders.n)).toBe(0);
    });

    it('the search box drops a card number and says so', async () => {
      const r = await shop.app.inject({ url: `/?lang=en&q=${encodeURIComponent(CARD)}` });
      expect(r.statusCode).toBe(200);
      expect(r.body).toContain('Do not enter card numbers here');
      expect(digitsOf(r.body)).not.toContain('4242424242424242');
    });

    it('a page whose path holds a card number does not repeat it in its language links', async () => {
      for (const url of ['/products/4242424242424242', `/products/${encodeURIComponent(CARD)}?lang=en`]) {
        const r = await shop.app.inject({ url });
        expect(r.statusCode).toBe(404);
        expect(digitsOf(r.body)).not.toContain('4242424242424242');
      }
    });

    it('the order lookup refuses a card number without echoing it', async () => {
      const s = session(shop);
      const page = await s.get('/orders/lookup?lang=en');
      const r = await s.post('/orders/lookup?lang=en', { _csrf: csrfOf(page.body), orderNumber: '4242424242424242', email: 'a@b.jp' });
      expect(r.statusCode).toBe(400);
      expect(r.body).toContain('Do not enter card numbers here');
      expect(digitsOf(r.body)).not.toContain('4242424242424242');
    });

    it('the Store API answers problem+json with a field error for a card number in the search and the checkout', async () => {
      const search = await shop.app.inject({ url: `/api/store/products?q=${CARD.replace(/ /g, '+')}` });
      expect(search.statusCode).toBe(400);
      expect(search.headers['content-type']).toContain('application/problem+json');
      expect(search.json()).toMatchObject({ status: 400, errors: [{ field: 'q', message: 'Do not enter card numbers here' }] });

      const cart = (await shop.app.inject({ method: 'POST', url: '/api/store/carts' })).json();
      const checkout = await shop.app.inject({
        method: 'POST', url: `/api/store/carts/${cart.id}/checkout`, headers: { 'content-type': 'application/json' },
        payload: { ...GOOD_CUSTOMER, shippingAddress: { ...GOOD_CUSTOMER.shippingAddress, line2: '5555 5555 5555 4444' } },
      });
      expect(checkout.statusCode).toBe(400);
      expect(checkout.headers['content-type']).toContain('application/problem+json');
      const body = checkout.json();
      expect(body).toMatchObject({ type: expect.any(String), title: expect.any(String), status: 400 });
      expect(body.errors).toContainEqual({ field: 'shippingAddress.line2', message: 'Do not enter card numbers here' });
      expect(digitsOf(checkout.body)).not.toContain('5555555555554444');
    });
  });
}
