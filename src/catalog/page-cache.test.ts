// Cached catalog pages and API reads (issue 16): one rendered template per (page, language,
// catalog version), filled per response. Proves the per-response parts never leak between
// responses, the HTTP caching rules (304, public only without personal parts, never with a
// cookie being set) and that an admin edit is visible at once. Both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { DATABASES } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { csrfTokenOf } from '../../test/support/csrf.ts';
import { enrolledAccount, signIn } from '../../test/support/admin-test-client.ts';
import { adminDb } from '../admin/admin-tables.ts';

const PRODUCT = '/products/uji-matcha-latte';
const cookieOf = (r: LightMyRequestResponse) => r.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
const noncesOf = (r: LightMyRequestResponse) => [...String(r.headers['content-security-policy']).matchAll(/'nonce-([^']+)'/g)].map((m) => m[1]!);

for (const database of DATABASES) {
  describe(`cached catalog pages on ${database.name}`, () => {
    let shop: TestShop;
    /** Templates rendered (and API answers serialized) since the last reset: proves a response came from the cache. */
    let builds = 0;
    beforeAll(async () => {
      // A long cache life, so nothing here passes because an entry expired between two requests.
      shop = await startTestShop(database, { catalogCacheTtlMs: 600_000 });
      const catalog = shop.context.catalog;
      const derived = catalog.derived.bind(catalog);
      catalog.derived = (key, build) => derived(key, () => { builds++; return build(); });
    });
    afterAll(async () => { await shop?.dispose(); });

    async function cartWith(quantity: number): Promise<string> {
      const created = await shop.app.inject({ method: 'POST', url: '/api/store/carts' });
      const id = created.json<{ id: string }>().id;
      const add = await shop.app.inject({ method: 'POST', url: `/api/store/carts/${id}/items`, payload: { variantId: 1, quantity } });
      expect(add.statusCode).toBe(201);
      return id;
    }

    it('gives each response of one cached product page its own nonce and CSRF token, valid only with its own secret', async () => {
      await shop.app.inject({ url: PRODUCT });
      builds = 0;
      const a = await shop.app.inject({ url: PRODUCT });
      const b = await shop.app.inject({ url: PRODUCT });
      expect(builds).toBe(0); // both from the one cached template
      const [tokenA, tokenB] = [csrfTokenOf(a.body), csrfTokenOf(b.body)];
      expect(tokenA).not.toBe(tokenB);
      expect(a.body).not.toContain(tokenB);
      expect(b.body).not.toContain(tokenA);
      for (const n of noncesOf(b)) expect(a.body).not.toContain(n);
      for (const n of noncesOf(a)) expect(b.body).not.toContain(n);
      expect(noncesOf(a)).toHaveLength(2);
      expect(noncesOf(a).some((n) => noncesOf(b).includes(n))).toBe(false);
      // No marker of a hole is ever sent.
      for (const r of [a, b]) expect(r.body).not.toMatch(/mamori[0-9a-f]{24}[ncb]/);

      const post = (token: string, cookie: string) => shop.app.inject({ method: 'POST', url: '/cart/items', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${encodeURIComponent(token)}&variantId=1&quantity=1` });
      expect((await post(tokenA, cookieOf(a))).statusCode).toBe(303);
      expect((await post(tokenA, cookieOf(b))).statusCode).toBe(403);
    });

    it('issues a cookie-less visitor\'s CSRF secret from the pooled CSPRNG: its own 18 bytes, the plugin\'s cookie, and the add-to-cart post still needs both', async () => {
      const [a, b] = [await shop.app.inject({ url: PRODUCT }), await shop.app.inject({ url: PRODUCT })];
      const secretOf = (r: LightMyRequestResponse) => r.cookies.find((c) => c.name === '_csrf')!;
      for (const r of [a, b]) {
        const c = secretOf(r);
        expect(c.value).toMatch(/^[A-Za-z0-9_-]{24}$/);
        expect([c.path, c.httpOnly, c.sameSite, c.domain]).toEqual(['/', true, 'Lax', undefined]);
        expect(r.cookies).toHaveLength(1);
      }
      expect(secretOf(a).value).not.toBe(secretOf(b).value);
      const post = (headers: Record<string, string>, body: string) => shop.app.inject({ method: 'POST', url: '/cart/items', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, payload: `${body}variantId=1&quantity=1` });
      const token = encodeURIComponent(csrfTokenOf(a.body));
      expect((await post({ cookie: cookieOf(a) }, '')).statusCode).toBe(403);
      expect((await post({}, `_csrf=${token}&`)).statusCode).toBe(403);
      expect((await post({ cookie: cookieOf(b) }, `_csrf=${token}&`)).statusCode).toBe(403);
      expect((await post({ cookie: cookieOf(a) }, `_csrf=${token}&`)).statusCode).toBe(303);
      // A visitor who has a secret keeps it: no new one is issued.
      const again = await shop.app.inject({ url: PRODUCT, headers: { cookie: cookieOf(a) } });
      expect(again.headers['set-cookie']).toBeUndefined();
      expect((await post({ cookie: cookieOf(a) }, `_csrf=${encodeURIComponent(csrfTokenOf(again.body))}&`)).statusCode).toBe(303);
    });

    it('never shows another customer\'s cart on a cached page', async () => {
      const mine = await cartWith(2);
      const theirs = await cartWith(5);
      for (const url of [PRODUCT, '/']) {
        await shop.app.inject({ url });
        builds = 0;
        const m = await shop.app.inject({ url, headers: { cookie: `cart=${mine}` } });
        const t = await shop.app.inject({ url, headers: { cookie: `cart=${theirs}` } });
        const none = await shop.app.inject({ url });
        expect(builds, url).toBe(0);
        expect(m.body, url).toMatch(/href="\/cart">[^<]*\(2\)</);
        expect(t.body, url).toMatch(/href="\/cart">[^<]*\(5\)</);
        expect(none.body, url).toMatch(/href="\/cart">[^<(]*</);
        for (const r of [m, t]) expect(String(r.headers['cache-control'])).toMatch(/private/);
      }
    });

    it('lets a shared cache keep the anonymous catalog page briefly, answers If-None-Match with 304', async () => {
      const first = await shop.app.inject({ url: '/' });
      expect(first.headers['set-cookie']).toBeUndefined();
      expect(first.headers['cache-control']).toMatch(/^public, max-age=0, s-maxage=\d+$/);
      expect(String(first.headers.vary)).toMatch(/Cookie/);
      const etag = String(first.headers.etag);
      expect(etag).toMatch(/^W\/"/);
      const again = await shop.app.inject({ url: '/', headers: { 'if-none-match': etag } });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
      // Another language is another page.
      const en = await shop.app.inject({ url: '/', headers: { 'if-none-match': etag, 'accept-language': 'en' } });
      expect(en.statusCode).toBe(200);
      expect(en.headers.etag).not.toBe(etag);
    });

    it('answers 304 on a product page only for the same visitor\'s copy (same CSRF secret, same cart)', async () => {
      const first = await shop.app.inject({ url: PRODUCT });
      expect(first.headers.etag).toBeUndefined(); // it sets the CSRF secret: nothing to revalidate
      expect(first.headers['cache-control']).toMatch(/private/);
      const cookie = cookieOf(first);
      const second = await shop.app.inject({ url: PRODUCT, headers: { cookie } });
      expect(second.headers['set-cookie']).toBeUndefined();
      expect(second.headers['cache-control']).toBe('private, no-cache');
      const etag = String(second.headers.etag);
      expect((await shop.app.inject({ url: PRODUCT, headers: { cookie, 'if-none-match': etag } })).statusCode).toBe(304);
      // Another visitor (another secret) or another cart never gets a 304 for this copy.
      const other = cookieOf(await shop.app.inject({ url: PRODUCT }));
      expect((await shop.app.inject({ url: PRODUCT, headers: { cookie: other, 'if-none-match': etag } })).statusCode).toBe(200);
      const withCart = `${cookie}; cart=${await cartWith(1)}`;
      expect((await shop.app.inject({ url: PRODUCT, headers: { cookie: withCart, 'if-none-match': etag } })).statusCode).toBe(200);
    });

    it('never lets a shared cache keep a response that sets a cookie or carries personal data', async () => {
      const withCookie = [
        await shop.app.inject({ url: PRODUCT }), // sets the CSRF secret
        await shop.app.inject({ url: '/?lang=en' }), // sets the language cookie
      ];
      for (const r of withCookie) {
        expect(r.headers['set-cookie']).toBeDefined();
        expect(String(r.headers['cache-control'])).toMatch(/private/);
        expect(String(r.headers['cache-control'])).not.toMatch(/public/);
      }
      const cart = await cartWith(1);
      const personal = await shop.app.inject({ url: '/', headers: { cookie: `cart=${cart}` } });
      expect(personal.headers['cache-control']).toBe('private, no-cache');
      const apiCart = await shop.app.inject({ url: `/api/store/carts/${cart}` });
      expect(String(apiCart.headers['cache-control'] ?? '')).not.toMatch(/public/);
    });

    it('serves API catalog reads from the cache with an ETag and 304', async () => {
      for (const url of ['/api/store/products', `/api/store/products/uji-matcha-latte`]) {
        await shop.app.inject({ url });
        builds = 0;
        const r = await shop.app.inject({ url });
        expect(builds, url).toBe(0);
        expect(r.headers['content-type']).toMatch(/^application\/json/);
        expect(r.headers['cache-control']).toMatch(/^public/);
        expect(r.headers['set-cookie']).toBeUndefined();
        expect((await shop.app.inject({ url, headers: { 'if-none-match': String(r.headers.etag) } })).statusCode).toBe(304);
      }
    });

    it('shows an admin edit at once on the cached product page, catalog page and API reads', async () => {
      const reads = [`${PRODUCT}?lang=en`, PRODUCT, '/', '/api/store/products/uji-matcha-latte', '/api/store/products'];
      const en = { 'accept-language': 'en' };
      for (const url of reads) expect((await shop.app.inject({ url, headers: en })).body).not.toContain('Matcha latte, renamed');
      const { account, secret } = await enrolledAccount(shop, 'staff@example.jp', 'staff');
      const b = await signIn(shop, 'staff@example.jp', account.id, secret);
      const p = await adminDb(shop.db.db).selectFrom('products').where('slug', '=', 'uji-matcha-latte').selectAll().executeTakeFirstOrThrow();
      await b.get(`/admin/products/${p.id}`);
      const saved = await b.post(`/admin/products/${p.id}`, {
        slug: p.slug, categoryId: String(p.category_id), nameJa: p.name_ja, nameEn: 'Matcha latte, renamed',
        descriptionJa: p.description_ja, descriptionEn: p.description_en, taxRate: String(p.tax_rate), status: 'active',
      });
      expect(saved.statusCode).toBe(303);
      for (const url of reads) expect((await shop.app.inject({ url, headers: en })).body, url).toContain('Matcha latte, renamed');
    });
  });
}
