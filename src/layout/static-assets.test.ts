// Every script and stylesheet the shop serves carries Subresource Integrity that matches the bytes
// served, on storefront and back-office pages alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { integrityOf } from './static-assets.ts';

const db = DATABASES[0]!;

describe('Subresource Integrity on served assets', () => {
  let shop: TestShop;
  beforeAll(async () => { shop = await startTestShop(db); });
  afterAll(async () => { await shop?.dispose(); });

  it('puts a matching sha384 integrity on every stylesheet and script of every page', async () => {
    let checked = 0;
    for (const url of ['/', '/?lang=en', '/products/uji-matcha-latte', '/cart', '/orders/lookup', '/admin/login']) {
      const page = await shop.app.inject({ url });
      expect(page.statusCode, url).toBe(200);
      const tags = page.body.match(/<(?:link[^>]*rel="stylesheet"|script)[^>]*>/g) ?? [];
      expect(tags.length, url).toBeGreaterThan(0);
      for (const tag of tags) {
        const src = /(?:href|src)="([^"]+)"/.exec(tag)?.[1];
        if (!src) continue; // an inline script carries the CSP nonce instead
        const integrity = /integrity="([^"]+)"/.exec(tag)?.[1];
        expect(integrity, `${url}: ${tag}`).toMatch(/^sha384-/);
        const asset = await shop.app.inject({ url: src });
        expect(asset.statusCode).toBe(200);
        expect(integrityOf(asset.rawPayload)).toBe(integrity);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(6);
  });
});
