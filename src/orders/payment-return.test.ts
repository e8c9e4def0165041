// Coming back from the gateway: the return URL the shop hands the gateway carries a signed,
// short-lived return token, so a browser without the order cookie (paying from the order mail's
// link, another device) still lands on its order's result page, and that page says plainly what
// happened: paid, or not paid (declined, 3-D Secure failed) with the error announced.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { GOOD_CUSTOMER, startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { GATEWAY, recordingProvider } from '../../test/support/recording-gateway.ts';
import { csrfFromInject, formHeaders, formWithCsrf } from '../../test/support/csrf.ts';

for (const database of DATABASES) {
  describe(`payment return on ${database.name}`, () => {
    let shop: TestShop;
    const gw = recordingProvider();
    beforeAll(async () => { shop = await startTestShop(database, { payments: gw.provider, reconcileAtStart: false }); });
    afterAll(async () => { await shop?.dispose(); });

    async function apiOrder(): Promise<{ orderId: string; accessToken: string; returnUrl: string; tx: string }> {
      const cart = (await shop.app.inject({ method: 'POST', url: '/api/store/carts', payload: {} })).json() as { id: string };
      const product = (await shop.app.inject({ url: '/api/store/products/uji-matcha-latte' })).json() as { variants: { id: number }[] };
      await shop.app.inject({ method: 'POST', url: `/api/store/carts/${cart.id}/items`, payload: { variantId: product.variants[0]!.id, quantity: 1 } });
      const r = await shop.app.inject({ method: 'POST', url: `/api/store/carts/${cart.id}/checkout`, payload: { ...GOOD_CUSTOMER, locale: 'en' } });
      expect(r.statusCode).toBe(201);
      const body = r.json() as { orderId: string; accessToken: string };
      return { ...body, returnUrl: gw.created.at(-1)!.returnUrl, tx: `tx_${gw.created.length}` };
    }

    const shopPath = (url: string) => { const u = new URL(url); return u.pathname + u.search; };

    it('shows a paid order\'s result page to a browser without the order cookie', async () => {
      const o = await apiOrder();
      gw.status.set(o.tx, 'captured');
      const back = await shop.app.inject({ url: shopPath(o.returnUrl) });
      expect(back.statusCode).toBe(303);
      const location = String(back.headers.location);
      expect(location).toMatch(new RegExp(`^/orders/${o.orderId}\\?`));
      expect(location).not.toContain(o.accessToken);
      const page = await shop.app.inject({ url: location, headers: { 'accept-language': 'en' } });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Payment received. Your order is confirmed.');
      expect(page.body).toContain('Thank you for your order');
      const order = await shop.db.db.selectFrom('orders').where('id', '=', o.orderId).select('status').executeTakeFirstOrThrow();
      expect(order.status).toBe('paid');
    });

    it('refuses a forged, altered or expired return token: back to the lookup form, nothing shown', async () => {
      const o = await apiOrder();
      const u = new URL(o.returnUrl);
      const rt = u.searchParams.get('rt');
      expect(rt).toMatch(/^\d+\.[A-Za-z0-9_-]{20,}$/);
      const other = await apiOrder();
      for (const bad of [`${rt!.slice(0, -2)}xx`, `${Number(rt!.split('.')[0]) + 1}.${rt!.split('.')[1]}`, '', 'abc']) {
        const r = await shop.app.inject({ url: `/orders/${o.orderId}/payment-return?rt=${encodeURIComponent(bad)}` });
        expect(r.statusCode).toBe(303);
        expect(String(r.headers.location)).toMatch(/^\/orders\/lookup/);
      }
      // A token for one order opens no other.
      const cross = await shop.app.inject({ url: `/orders/${other.orderId}/payment-return?rt=${encodeURIComponent(rt!)}` });
      expect(String(cross.headers.location)).toMatch(/^\/orders\/lookup/);
      const view = await shop.app.inject({ url: `/orders/${other.orderId}?rt=${encodeURIComponent(rt!)}` });
      expect(view.statusCode).toBe(404);
    });

    it('lets a return token expire', async () => {
      const t0 = Date.now();
      let now = t0;
      const timed = await startTestShop(database, { payments: gw.provider, reconcileAtStart: false, clock: () => new Date(now) });
      try {
        const cart = (await timed.app.inject({ method: 'POST', url: '/api/store/carts', payload: {} })).json() as { id: string };
        const product = (await timed.app.inject({ url: '/api/store/products/uji-matcha-latte' })).json() as { variants: { id: number }[] };
        await timed.app.inject({ method: 'POST', url: `/api/store/carts/${cart.id}/items`, payload: { variantId: product.variants[0]!.id, quantity: 1 } });
        const r = await timed.app.inject({ method: 'POST', url: `/api/store/carts/${cart.id}/checkout`, payload: GOOD_CUSTOMER });
        const { orderId } = r.json() as { orderId: string };
        const returnUrl = gw.created.at(-1)!.returnUrl;
        now = t0 + 24 * 3600_000;
        const late = await timed.app.inject({ url: shopPath(returnUrl) });
        expect(String(late.headers.location)).toMatch(/^\/orders\/lookup/);
        now = t0 + 60_000;
        const inTime = await timed.app.inject({ url: shopPath(returnUrl) });
        expect(String(inTime.headers.location)).toMatch(new RegExp(`^/orders/${orderId}\\?`));
      } finally {
        await timed.dispose();
      }
    });

    it('says a declined payment is not paid, as an error announced to screen readers, and lets the customer try another card', async () => {
      const o = await apiOrder();
      gw.status.set(o.tx, 'declined');
      const back = await shop.app.inject({ url: shopPath(o.returnUrl) });
      const page = await shop.app.inject({ url: String(back.headers.location), headers: { 'accept-language': 'en' } });
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toContain('Thank you for your order');
      expect(page.body).toMatch(/<h1[^>]*>Payment not completed<\/h1>/);
      expect(page.body).toMatch(/<p class="notice notice-error" role="alert">Not paid: the card was declined[^<]*<\/p>/);
      // Retry from the page the return token opened: a new payment is started at the gateway.
      const csrf = csrfFromInject(page);
      const rt = /name="rt" value="([^"]+)"/.exec(page.body)?.[1];
      expect(rt).toBeTruthy();
      const before = gw.created.length;
      const pay = await shop.app.inject({ method: 'POST', url: `/orders/${o.orderId}/pay`, headers: formHeaders(csrf), payload: formWithCsrf(csrf, { rt: rt! }) });
      expect(pay.statusCode).toBe(303);
      expect(String(pay.headers.location)).toBe(`${GATEWAY}/pay/tx_${before + 1}`);
    });

    it('in Japanese: not headed ご注文ありがとうございます when 3-D Secure failed', async () => {
      const o = await apiOrder();
      gw.status.set(o.tx, 'declined');
      const back = await shop.app.inject({ url: shopPath(o.returnUrl) });
      const page = await shop.app.inject({ url: `${String(back.headers.location)}&lang=ja` });
      expect(page.body).not.toContain('ご注文ありがとうございます');
      expect(page.body).toMatch(/<h1[^>]*>お支払いが完了していません<\/h1>/);
      expect(page.body).toMatch(/role="alert"/);
    });
  });
}
