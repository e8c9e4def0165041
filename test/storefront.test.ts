import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfTokenOf } from './support/csrf.ts';
import type { LightMyRequestResponse } from 'fastify';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DATABASES } from './support/databases.ts';
import { startTestShop, type TestShop } from './support/test-shop.ts';

/** A tiny cookie jar + CSRF-aware form poster, like a browser without JavaScript. */
function browserSession(shop: TestShop) {
  const jar = new Map<string, string>();
  const remember = (r: LightMyRequestResponse) => {
    for (const c of r.cookies) jar.set(c.name, c.value);
  };
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  return {
    jar,
    async get(url: string, headers: Record<string, string> = {}) {
      const r = await shop.app.inject({ method: 'GET', url, headers: { cookie: cookieHeader(), ...headers } });
      remember(r);
      return r;
    },
    async post(url: string, form: Record<string, string>, opts: { csrf?: string | false } = {}) {
      const body = new URLSearchParams(form);
      if (opts.csrf !== false) body.set('_csrf', opts.csrf ?? '');
      const r = await shop.app.inject({ method: 'POST', url, headers: { cookie: cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' }, payload: body.toString() });
      remember(r);
      return r;
    },
  };
}


for (const database of DATABASES) {
  describe(`storefront on ${database.name}`, () => {
    let shop: TestShop;
    beforeAll(async () => { shop = await startTestShop(database); });
    afterAll(async () => { await shop?.dispose(); });

    it('picks the language from ?lang, then the cookie, then Accept-Language, Japanese by default', async () => {
      const s = browserSession(shop);
      expect((await s.get('/')).body).toContain('<html lang="ja"');
      expect((await s.get('/', { 'accept-language': 'en-US,en;q=0.9' })).body).toContain('<html lang="en"');
      const en = await s.get('/?lang=en');
      expect(en.body).toContain('<html lang="en"');
      expect(s.jar.get('lang')).toBe('en');
      expect((await s.get('/', { 'accept-language': 'ja' })).body).toContain('<html lang="en"'); // cookie beats the header
      expect((await s.get('/?lang=ja')).body).toContain('<html lang="ja"');
    });

    it('sends a strict CSP with a fresh nonce and the other security headers', async () => {
      const a = await shop.app.inject({ url: '/' });
      const b = await shop.app.inject({ url: '/' });
      const csp = String(a.headers['content-security-policy']);
      expect(csp).toMatch(/default-src 'self'/);
      expect(csp).toMatch(/frame-ancestors 'none'/);
      expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=_-]+'/);
      expect(csp).toMatch(/form-action 'self'/);
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(csp).not.toMatch(/upgrade-insecure-requests/); // served over plain HTTP here
      expect(a.headers['strict-transport-security']).toBeUndefined();
      expect(csp).not.toBe(String(b.headers['content-security-policy']));
      expect(a.headers['x-content-type-options']).toBe('nosniff');
      expect(a.headers['referrer-policy']).toBe('no-referrer');
      expect(a.headers['x-powered-by']).toBeUndefined();
    });

    it('turns on HSTS, upgrade-insecure-requests and Secure cookies only when served over HTTPS', async () => {
      const https = await startTestShop(database, { env: { PUBLIC_URL: 'https://shop.example.jp' } });
      try {
        const r = await https.app.inject({ url: '/?lang=en' });
        expect(r.headers['strict-transport-security']).toMatch(/max-age=\d+/);
        expect(String(r.headers['content-security-policy'])).toMatch(/upgrade-insecure-requests/);
        for (const c of r.cookies) expect(c.secure, c.name).toBe(true);
      } finally {
        await https.dispose();
      }
    });

    it('refuses a state-changing form without a valid CSRF token, and accepts it with one', async () => {
      const s = browserSession(shop);
      const page = await s.get('/products/uji-matcha-latte');
      const token = csrfTokenOf(page.body);
      expect(token).not.toBe('');
      const variantId = /name="variantId" value="(\d+)"/.exec(page.body)![1]!;
      const without = await s.post('/cart/items', { variantId, quantity: '1' }, { csrf: false });
      expect(without.statusCode).toBe(403);
      const forged = await s.post('/cart/items', { variantId, quantity: '1' }, { csrf: 'forged-token' });
      expect(forged.statusCode).toBe(403);
      const ok = await s.post('/cart/items', { variantId, quantity: '1' }, { csrf: token });
      expect(ok.statusCode).toBe(303);
      const cartCookie = (await shop.app.inject({ url: '/' })).cookies; // unrelated session: no cart
      expect(cartCookie.find((c) => c.name === 'cart')).toBeUndefined();
      const setCart = ok.cookies.find((c) => c.name === 'cart')!;
      expect(setCart.httpOnly).toBe(true);
      expect(setCart.sameSite).toBe('Lax');
    });

    it('re-renders the checkout form with the customer’s input and a message at each bad field; nothing is written', async () => {
      const s = browserSession(shop);
      const page = await s.get('/products/uji-matcha-latte?lang=en');
      const variantId = /name="variantId" value="(\d+)"/.exec(page.body)![1]!;
      await s.post('/cart/items', { variantId, quantity: '1' }, { csrf: csrfTokenOf(page.body) });
      const checkout = await s.get('/checkout?lang=en');
      const before = await shop.db.db.selectFrom('orders').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const r = await s.post('/checkout', {
        email: 'not-an-email', familyName: '<script>alert(1)</script>', givenName: 'Hanako', phone: '12', country: 'JP', postalCode: '12-34', prefecture: '', city: '', line1: 'Chiyoda 1-1', line2: '', lang: 'en',
      }, { csrf: csrfTokenOf(checkout.body) });
      expect(r.statusCode).toBe(400);
      expect(r.body).toContain('Please enter a valid e-mail address.');
      expect(r.body).toContain('Please enter a 7-digit postal code');
      expect(r.body).toContain('Please choose a prefecture.');
      expect(r.body).toContain('Please enter a phone number');
      expect(r.body).toContain('Please fill this in.'); // city
      expect(r.body).toContain('value="Chiyoda 1-1"'); // input kept
      expect(r.body).toContain('value="&lt;script>alert(1)&lt;/script>"'); // escaped, not executed
      expect(r.body).not.toContain('<script>alert(1)</script>');
      expect(r.body).toMatch(/aria-invalid="true"/);
      const after = await shop.db.db.selectFrom('orders').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
    });

    it('places an order from the HTML checkout, shows the confirmation, and writes the e-mail to the outbox', async () => {
      const s = browserSession(shop);
      const page = await s.get('/products/uji-matcha-latte?lang=ja');
      const variantId = /name="variantId" value="(\d+)"/.exec(page.body)![1]!;
      await s.post('/cart/items', { variantId, quantity: '2' }, { csrf: csrfTokenOf(page.body) });
      const cart = await s.get('/cart');
      expect(cart.body).toContain('8%対象');
      expect(cart.body).toContain('内消費税（8%）');
      const checkout = await s.get('/checkout');
      const r = await s.post('/checkout', {
        email: 'taro@example.jp', name: '山田 太郎', phone: '03-1234-5678', country: 'JP', postalCode: '1000001', prefecture: '東京都', city: '千代田区', line1: '千代田1-1', line2: '', lang: 'ja',
      }, { csrf: csrfTokenOf(checkout.body) });
      expect(r.statusCode).toBe(303);
      const location = String(r.headers.location);
      expect(location).toMatch(/^\/orders\/[0-9a-f-]{36}\?token=/);
      const confirmation = await s.get(location);
      expect(confirmation.statusCode).toBe(200);
      expect(confirmation.headers['cache-control']).toBe('no-store'); // personal data, token in the URL
      expect(confirmation.body).toContain('ご注文ありがとうございます');
      const orderNumber = /(MA-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(confirmation.body)![1]!;

      const outbox = path.join(shop.dataDir, 'outbox');
      const mails = readdirSync(outbox).map((f) => readFileSync(path.join(outbox, f), 'utf8'));
      const mail = mails.find((m) => m.includes(orderNumber));
      expect(mail).toBeDefined();
      expect(mail).toMatch(/To: taro@example\.jp/);

      // Order lookup by number + e-mail, not by id alone.
      const lookupPage = await s.get('/orders/lookup');
      const found = await s.post('/orders/lookup', { orderNumber, email: 'TARO@example.jp' }, { csrf: csrfTokenOf(lookupPage.body) });
      expect(found.statusCode).toBe(200);
      expect(found.headers['cache-control']).toBe('no-store');
      expect(found.body).toContain(orderNumber);
      // As a Japanese IME types it: full-width letters and digits, a long-vowel mark for the dash.
      const fullWidth = (t: string) => [...t].map((c) => (c === '-' ? 'ー' : String.fromCodePoint(c.codePointAt(0)! + 0xfee0))).join('');
      const foundFullWidth = await s.post('/orders/lookup', { orderNumber: fullWidth(orderNumber), email: 'ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ' }, { csrf: csrfTokenOf(lookupPage.body) });
      expect(foundFullWidth.statusCode).toBe(200);
      expect(foundFullWidth.body).toContain(orderNumber);
      const wrong = await s.post('/orders/lookup', { orderNumber, email: 'someone@example.jp' }, { csrf: csrfTokenOf(lookupPage.body) });
      expect(wrong.statusCode).toBe(404);
      expect(wrong.body).not.toContain('千代田');
      const orderId = location.split('/')[2]!.split('?')[0];
      expect((await s.get(`/orders/${orderId}`)).statusCode).toBe(404);
    });

    it('escapes product names and descriptions that contain markup', async () => {
      await shop.db.db.updateTable('products').set({ name_en: '<img src=x onerror=alert(1)>', description_en: '"><script>alert(2)</script>' }).where('slug', '=', 'uji-matcha-latte').execute();
      shop.app.shop.catalog.invalidate();
      const r = await shop.app.inject({ url: '/products/uji-matcha-latte?lang=en' });
      expect(r.body).not.toContain('<img src=x');
      expect(r.body).not.toContain('<script>alert(2)');
      expect(r.body).toContain('<h1>&lt;img src=x onerror=alert(1)></h1>');
      const list = await shop.app.inject({ url: '/?lang=en' });
      expect(list.body).not.toContain('<img src=x');
    });

    it('has title, description, canonical and hreflang on pages; sitemap.xml and robots.txt', async () => {
      const r = await shop.app.inject({ url: '/products/yuzu-ponzu?lang=en' });
      const html = r.statusCode === 200 ? r.body : (await shop.app.inject({ url: '/?lang=en' })).body;
      expect(html).toMatch(/<title>[^<]+<\/title>/);
      expect(html).toMatch(/<meta name="description" content="[^"]+"/);
      expect(html).toMatch(/<link rel="canonical" href="http:\/\/127\.0\.0\.1:0\/[^"]*lang=en"/);
      expect(html).toMatch(/hreflang="ja"/);
      expect(html).toMatch(/hreflang="en"/);
      const sitemap = await shop.app.inject({ url: '/sitemap.xml' });
      expect(sitemap.headers['content-type']).toMatch(/xml/);
      expect(sitemap.body).toContain('/products/uji-matcha-latte?lang=ja');
      expect(sitemap.body).toContain('hreflang="en"');
      const robots = await shop.app.inject({ url: '/robots.txt' });
      expect(robots.body).toContain('Sitemap: ');
      expect(robots.body).toContain('Disallow: /checkout');
    });

    it('serves the generated product images itself, and 404 pages without stack traces', async () => {
      const page = await shop.app.inject({ url: '/products/uji-matcha-latte' });
      const src = /<img src="(\/media\/[^"]+)"/.exec(page.body)![1]!;
      const img = await shop.app.inject({ url: src });
      expect(img.statusCode).toBe(200);
      expect(img.headers['content-type']).toMatch(/image\/svg\+xml/);
      const missing = await shop.app.inject({ url: '/products/nope' });
      expect(missing.statusCode).toBe(404);
      expect(missing.headers['content-type']).toMatch(/text\/html/);
      const traversal = await shop.app.inject({ url: '/media/../shop.sqlite' });
      expect(traversal.statusCode).toBe(404);
    });

    it('paginates the catalog and filters by category', async () => {
      const r = await shop.app.inject({ url: '/?lang=en' });
      expect(r.body).toContain('rel="next"');
      const page2 = await shop.app.inject({ url: '/?lang=en&page=2' });
      expect(page2.statusCode).toBe(200);
      expect(page2.body).toContain('rel="prev"');
      const tea = await shop.app.inject({ url: '/?category=tea&lang=en' });
      expect(tea.body).toContain('aria-current="page"');
      const silly = await shop.app.inject({ url: '/?page=-5&category=%3Cx%3E' });
      expect(silly.statusCode).toBe(200);
    });
  });
}
