// Headers the shop's composition root sets on every answer: a Permissions-Policy that denies
// every powerful feature, and the CSRF cookie's __Host- prefix over HTTPS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../test/support/databases.ts';
import { startTestShop, type TestShop } from '../test/support/test-shop.ts';

const DENIED = ['camera', 'microphone', 'geolocation', 'payment', 'usb', 'serial', 'bluetooth', 'hid', 'display-capture', 'publickey-credentials-get'];

for (const database of DATABASES) {
  describe(`shop response headers on ${database.name}`, () => {
    let http: TestShop;
    let https: TestShop;
    beforeAll(async () => {
      http = await startTestShop(database, { auditAnchoring: false });
      https = await startTestShop(database, { auditAnchoring: false, env: { PUBLIC_URL: 'https://shop.example.jp' } });
    });
    afterAll(async () => { await http?.dispose(); await https?.dispose(); });

    it('denies every browser feature the shop does not use, on pages, the API, errors and static files', async () => {
      for (const url of ['/', '/cart', '/api/store/products', '/no-such-page', '/static/no-such-file.css', '/healthz']) {
        const res = await http.app.inject({ url });
        const policy = String(res.headers['permissions-policy'] ?? '');
        for (const feature of DENIED) expect(policy, `${url} ${feature}`).toContain(`${feature}=()`);
        // Every directive denies: none names an origin or self.
        expect(policy.split(', ').every((d) => /^[a-z-]+=\(\)$/.test(d)), policy).toBe(true);
      }
    });

    it('names the CSRF cookie __Host-_csrf over HTTPS (Secure, Path=/, no Domain) and _csrf over plain HTTP', async () => {
      const secure = await https.app.inject({ url: '/checkout' });
      // A page with a form (the catalog list has none, so it sets no CSRF cookie).
      const page = await https.app.inject({ url: '/products/uji-matcha-latte' });
      const cookies = [...secure.cookies, ...page.cookies];
      const host = cookies.find((c) => c.name === '__Host-_csrf');
      expect(host, JSON.stringify(cookies)).toBeDefined();
      expect(host).toMatchObject({ path: '/', secure: true, httpOnly: true });
      expect(host?.domain).toBeUndefined();
      expect(cookies.some((c) => c.name === '_csrf')).toBe(false);

      const plain = await http.app.inject({ url: '/products/uji-matcha-latte' });
      expect(plain.cookies.some((c) => c.name === '_csrf')).toBe(true);
      expect(plain.cookies.some((c) => c.name.startsWith('__Host-'))).toBe(false);
    });

    it('accepts a form post over HTTPS with the __Host- cookie and refuses one without it', async () => {
      const page = await https.app.inject({ url: '/products/uji-matcha-latte' });
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      const variantId = /name="variantId" value="(\d+)"/.exec(page.body)![1]!;
      const secret = page.cookies.find((c) => c.name === '__Host-_csrf')!.value;
      const post = (cookie: string) => https.app.inject({
        method: 'POST', url: '/cart/items', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ variantId, quantity: '1', _csrf: token }).toString(),
      });
      expect((await post(`__Host-_csrf=${secret}`)).statusCode).toBe(303);
      expect((await post(`_csrf=${secret}`)).statusCode).toBe(403);
    });
  });
}
