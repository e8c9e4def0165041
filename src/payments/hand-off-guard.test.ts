// The shop sends a customer only to the configured gateway's origin: a payment URL elsewhere
// (an altered adapter or gateway answer pointing at a look-alike page) is refused on checkout and
// on the retry path, recorded as a security event, and never shown to the customer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { GOOD_CUSTOMER, startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import type { PaymentProvider } from './payment-provider.ts';
import { isOnOrigin } from './start-payment.ts';
import { csrfFromInject, formHeaders, formWithCsrf } from '../../test/support/csrf.ts';

const GATEWAY = 'http://127.0.0.1:3100';

function providerSending(redirectUrl: () => string): PaymentProvider {
  let n = 0;
  const state = (transactionId: string) => ({ ok: true as const, value: { transactionId, status: 'pending' as const, amount: 0, currency: 'JPY' as const, orderReference: '' } });
  return {
    name: 'sandbox',
    checkoutOrigin: GATEWAY,
    async createPayment() { n++; return { ok: true, value: { transactionId: `tx_${n}`, redirectUrl: redirectUrl() } }; },
    async verifyNotification() { return { ok: false, error: 'BAD_SIGNATURE', detail: 'test' }; },
    async getPayment(id) { return state(id) as never; },
    async cancelPayment(id) { return state(id) as never; },
    async refundPayment(id) { return state(id) as never; },
  };
}

describe('isOnOrigin', () => {
  it('accepts only http(s) URLs on exactly the gateway origin', () => {
    expect(isOnOrigin(`${GATEWAY}/pay/abc`, GATEWAY)).toBe(true);
    for (const url of ['http://127.0.0.1:3101/pay/abc', 'https://127.0.0.1:3100/pay', 'http://127.0.0.1.evil.example:3100/', 'javascript:alert(1)', 'data:text/html,x', '/pay/abc', 'http://evil.example@127.0.0.2:3100/']) {
      expect(isOnOrigin(url, GATEWAY), url).toBe(false);
    }
  });
});

for (const database of DATABASES) {
  describe(`payment hand-off guard on ${database.name}`, () => {
    let shop: TestShop;
    let next = 'https://paygate.evil.example/pay/abc';
    beforeAll(async () => { shop = await startTestShop(database, { payments: providerSending(() => next), reconcileAtStart: false }); });
    afterAll(async () => { await shop?.dispose(); });

    it('refuses a payment URL on another origin at checkout and on retry, and records it', async () => {
      const cart = (await shop.app.inject({ method: 'POST', url: '/api/store/carts', payload: {} })).json() as { id: string };
      const product = (await shop.app.inject({ url: '/api/store/products/uji-matcha-latte' })).json() as { variants: { id: number }[] };
      await shop.app.inject({ method: 'POST', url: `/api/store/carts/${cart.id}/items`, payload: { variantId: product.variants[0]!.id, quantity: 1 } });
      const r = await shop.app.inject({ method: 'POST', url: `/api/store/carts/${cart.id}/checkout`, payload: GOOD_CUSTOMER });
      expect(r.statusCode).toBe(201);
      const body = r.json() as { orderId: string; accessToken: string; paymentUrl: string | null };
      expect(body.paymentUrl).toBeNull();
      expect(r.body).not.toContain('evil.example');

      // The customer retries from the order page: still refused, no redirect to the look-alike.
      next = 'http://127.0.0.1:3199/pay/xyz';
      const orderPage = await shop.app.inject({ url: `/orders/${body.orderId}?token=${encodeURIComponent(body.accessToken)}` });
      const csrf = csrfFromInject(orderPage);
      const pay = () => shop.app.inject({ method: 'POST', url: `/orders/${body.orderId}/pay`, headers: formHeaders(csrf), payload: formWithCsrf(csrf, { token: body.accessToken }) });
      const retry = await pay();
      expect(retry.statusCode).toBe(303);
      expect(retry.headers.location).toMatch(new RegExp(`^/orders/${body.orderId}\\?`));
      expect(String(retry.headers.location)).not.toContain('3199');

      const events = await shop.db.db.selectFrom('security_events').select(['type', 'detail']).where('type', '=', 'payment.untrusted_redirect').execute();
      expect(events).toHaveLength(2);
      expect(events.map((e) => JSON.parse(e.detail).origin)).toEqual(['https://paygate.evil.example', 'http://127.0.0.1:3199']);
      const order = await shop.db.db.selectFrom('orders').select(['payment_transaction_id', 'status']).where('id', '=', body.orderId).executeTakeFirstOrThrow();
      expect(order).toEqual({ payment_transaction_id: null, status: 'pending_payment' });

      // The real gateway's URL goes through.
      next = `${GATEWAY}/pay/ok`;
      const ok = await pay();
      expect(ok.headers.location).toBe(`${GATEWAY}/pay/ok`);
    });

    it('refuses it on the HTML checkout too, and the return path only ever sends the customer to the shop\'s own order page', async () => {
      next = 'https://paygate.evil.example/pay/html';
      const product = await shop.app.inject({ url: '/products/uji-matcha-latte' });
      const csrf = csrfFromInject(product);
      const variantId = /name="variantId" value="(\d+)"/.exec(product.body)![1]!;
      const added = await shop.app.inject({ method: 'POST', url: '/cart/items', headers: formHeaders(csrf), payload: formWithCsrf(csrf, { variantId, quantity: '1' }) });
      const cookie = [csrf.cookie, ...added.cookies.map((c) => `${c.name}=${c.value}`)].join('; ');
      const placed = await shop.app.inject({
        method: 'POST', url: '/checkout', headers: formHeaders({ cookie }),
        payload: formWithCsrf(csrf, { email: GOOD_CUSTOMER.email, name: GOOD_CUSTOMER.name, phone: GOOD_CUSTOMER.phone, country: 'JP', postalCode: '100-0001', prefecture: '東京都', city: '千代田区', line1: '千代田1-1', line2: '' }),
      });
      expect(placed.statusCode).toBe(303);
      expect(placed.headers.location).toMatch(/^\/orders\/[0-9a-f-]+\?token=[^&]+&payment=gatewayUnavailable$/);
      expect(placed.body).not.toContain('evil.example');
      const orderId = /^\/orders\/([0-9a-f-]+)/.exec(String(placed.headers.location))![1]!;
      const withOrder = [cookie, ...placed.cookies.map((c) => `${c.name}=${c.value}`)].join('; ');
      const returned = await shop.app.inject({ url: `/orders/${orderId}/payment-return`, headers: { cookie: withOrder } });
      expect(returned.statusCode).toBe(303);
      expect(String(returned.headers.location)).toMatch(new RegExp(`^/orders/${orderId}\\?`));
      const events = await shop.db.db.selectFrom('security_events').select(['detail']).where('type', '=', 'payment.untrusted_redirect').execute();
      expect(events.map((e) => JSON.parse(e.detail).origin)).toContain('https://paygate.evil.example');
      expect(events.filter((e) => JSON.parse(e.detail).orderId === orderId)).toHaveLength(1);
    });
  });
}
