// A headless storefront's checkout: an optional returnUrl (only on an origin of
// STORE_API_RETURN_ORIGINS; anything else 422 problem+json) where the customer comes back after
// the gateway, and the order's language from the body's `locale`, then Accept-Language. Both are
// in the OpenAPI document; a body without them works as before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { GOOD_CUSTOMER, startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { recordingProvider } from '../../test/support/recording-gateway.ts';

const STOREFRONT = 'https://store.example.jp';

for (const database of DATABASES) {
  describe(`Store API checkout returnUrl and locale on ${database.name}`, () => {
    let shop: TestShop;
    const gw = recordingProvider();
    beforeAll(async () => {
      shop = await startTestShop(database, { payments: gw.provider, reconcileAtStart: false, env: { STORE_API_RETURN_ORIGINS: `${STOREFRONT}, http://localhost:5173` } });
    });
    afterAll(async () => { await shop?.dispose(); });

    async function checkout(body: Record<string, unknown>, headers: Record<string, string> = {}) {
      const cart = (await shop.app.inject({ method: 'POST', url: '/api/store/carts', payload: {} })).json() as { id: string };
      const product = (await shop.app.inject({ url: '/api/store/products/uji-matcha-latte' })).json() as { variants: { id: number }[] };
      await shop.app.inject({ method: 'POST', url: `/api/store/carts/${cart.id}/items`, payload: { variantId: product.variants[0]!.id, quantity: 1 } });
      return shop.app.inject({ method: 'POST', url: `/api/store/carts/${cart.id}/checkout`, headers, payload: body });
    }
    const localeOf = async (orderId: string) => (await shop.db.db.selectFrom('orders').where('id', '=', orderId).select('locale').executeTakeFirstOrThrow()).locale;

    it('brings the customer back to an allowed returnUrl after the gateway, with the order id and outcome', async () => {
      const r = await checkout({ ...GOOD_CUSTOMER, returnUrl: `${STOREFRONT}/thanks?from=mamori` });
      expect(r.statusCode).toBe(201);
      const { orderId } = r.json() as { orderId: string };
      const tx = `tx_${gw.created.length}`;
      gw.status.set(tx, 'captured');
      const u = new URL(gw.created.at(-1)!.returnUrl);
      // The gateway still returns to the shop, which settles from its own status query first.
      expect(u.origin).toBe(shop.config.publicUrl);
      const back = await shop.app.inject({ url: u.pathname + u.search });
      // A page that moves on by itself, not a 303: the chain began at the gateway's form, whose
      // form-action would block a redirect on to the storefront (orders/views/storefront-return-page.tsx).
      expect(back.statusCode).toBe(200);
      expect(back.headers['cache-control']).toBe('no-store');
      const href = /<a href="([^"]+)">/.exec(back.body)?.[1]?.replaceAll('&amp;', '&');
      expect(back.body).toContain(`<meta http-equiv="refresh" content="0; url=${href!.replaceAll('&', '&amp;')}"/>`);
      const to = new URL(href!);
      expect(to.origin + to.pathname).toBe(`${STOREFRONT}/thanks`);
      expect(to.searchParams.get('from')).toBe('mamori');
      expect(to.searchParams.get('orderId')).toBe(orderId);
      expect(to.searchParams.get('payment')).toBe('paymentReceived');
      expect(back.body).not.toContain('token');
    });

    it('refuses a returnUrl off the allow-list with 422 problem+json, and places no order', async () => {
      const before = await shop.db.db.selectFrom('orders').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      for (const bad of ['https://evil.example/thanks', 'https://store.example.jp.evil.example/', 'http://store.example.jp/thanks', 'javascript:alert(1)', '/relative', 'https://user@evil.example@store.example.jp/']) {
        const r = await checkout({ ...GOOD_CUSTOMER, returnUrl: bad });
        expect(r.statusCode, bad).toBe(422);
        expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(r.json().code).toBe('MAMORI_ERR_RETURN_URL_NOT_ALLOWED');
      }
      const after = await shop.db.db.selectFrom('orders').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
      expect((await checkout({ ...GOOD_CUSTOMER, returnUrl: 'http://localhost:5173/done' })).statusCode).toBe(201);
    });

    it('honours locale in the body, then Accept-Language', async () => {
      const inBody = await checkout({ ...GOOD_CUSTOMER, locale: 'en' }, { 'accept-language': 'ja' });
      expect(await localeOf(inBody.json().orderId)).toBe('en');
      expect(gw.created.at(-1)!.locale).toBe('en');
      const byHeader = await checkout({ ...GOOD_CUSTOMER }, { 'accept-language': 'en-US,en;q=0.9' });
      expect(await localeOf(byHeader.json().orderId)).toBe('en');
      const jaBody = await checkout({ ...GOOD_CUSTOMER, locale: 'ja' }, { 'accept-language': 'en' });
      expect(await localeOf(jaBody.json().orderId)).toBe('ja');
      expect((await checkout({ ...GOOD_CUSTOMER, locale: 'fr' })).statusCode).toBe(400);
    });

    it('without the new fields, checkout works as before (the gateway returns to the shop\'s order page)', async () => {
      const r = await checkout({ ...GOOD_CUSTOMER });
      expect(r.statusCode).toBe(201);
      expect(Object.keys(r.json()).sort()).toEqual(['accessToken', 'orderId', 'orderNumber', 'paymentUrl']);
      const u = new URL(gw.created.at(-1)!.returnUrl);
      const back = await shop.app.inject({ url: u.pathname + u.search });
      expect(String(back.headers.location)).toMatch(new RegExp(`^/orders/${r.json().orderId}\\?`));
    });

    it('documents returnUrl, locale and the 422 in the OpenAPI document', async () => {
      const doc = (await shop.app.inject({ url: '/api/openapi.json' })).json();
      const op = doc.paths['/api/store/carts/{id}/checkout'].post;
      const schema = op.requestBody.content['application/json'].schema;
      expect(schema.properties.returnUrl).toEqual(expect.objectContaining({ type: 'string', description: expect.stringContaining('STORE_API_RETURN_ORIGINS') }));
      expect(schema.properties.locale).toEqual(expect.objectContaining({ enum: ['ja', 'en'], description: expect.stringContaining('Accept-Language') }));
      expect(schema.required).not.toContain('returnUrl');
      expect(schema.required).not.toContain('locale');
      expect(op.responses['422']).toBeDefined();
      // Compatibility: the single `name` and the card default are documented beside the additive fields.
      for (const f of ['name', 'familyName', 'givenName', 'familyNameKana', 'givenNameKana', 'paymentMethod', 'delivery', 'konbiniStore', 'couponCode']) {
        expect(schema.properties[f], f).toBeDefined();
        expect(schema.required ?? [], f).not.toContain(f);
      }
      expect(schema.properties.name.description).toContain('familyName and givenName');
      expect(schema.properties.paymentMethod.description).toContain('Absent: card');
    });
  });
}
