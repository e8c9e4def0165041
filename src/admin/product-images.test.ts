// Image upload in the back office: type decided by content (not name or Content-Type), size
// capped, alt text required in both languages, served back with its image type and nosniff.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { csrfOf, enrolledAccount, signIn } from '../../test/support/admin-test-client.ts';
import { detectImageType, MAX_IMAGE_BYTES } from './product-images.ts';

// A valid 1×1 PNG.
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');

describe('detectImageType', () => {
  it.each([
    [PNG, 'png'],
    [Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), 'jpeg'],
    [Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]), 'webp'],
    [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), undefined],
    [Buffer.from('<html><script>alert(1)</script></html>'), undefined],
    [Buffer.alloc(0), undefined],
  ])('%#', (buf, type) => {
    expect(detectImageType(buf)).toBe(type);
  });
});

for (const database of DATABASES) {
  describe(`admin product images on ${database.name}`, () => {
    let shop: TestShop;
    beforeAll(async () => { shop = await startTestShop(database); });
    afterAll(async () => { await shop?.dispose(); });

    async function upload(b: Awaited<ReturnType<typeof signIn>>, productId: number, file: Buffer, name: string, type: string, alt = { altJa: '湯のみ', altEn: 'A tea cup' }) {
      const page = await b.get(`/admin/products/${productId}`);
      const form = new FormData();
      form.set('_csrf', csrfOf(page.body));
      form.set('altJa', alt.altJa);
      form.set('altEn', alt.altEn);
      form.set('image', new Blob([new Uint8Array(file)], { type }), name);
      const request = new Request('http://127.0.0.1/', { method: 'POST', body: form });
      return shop.app.inject({
        method: 'POST', url: `/admin/products/${productId}/images`,
        headers: { cookie: [...b.jar].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': request.headers.get('content-type')! },
        payload: Buffer.from(await request.arrayBuffer()),
      });
    }

    it('stores a PNG under data/media/uploads and shows it in the store with its alt text', async () => {
      const { account, secret } = await enrolledAccount(shop, `img-${database.name}@example.jp`, 'staff');
      const b = await signIn(shop, `img-${database.name}@example.jp`, account.id, secret);
      const product = await shop.db.db.selectFrom('products').select(['id', 'slug']).where('slug', '=', 'uji-matcha-latte').executeTakeFirstOrThrow();

      const ok = await upload(b, product.id, PNG, 'cup.png', 'image/png');
      expect(ok.statusCode, ok.body.slice(0, 300)).toBe(303);
      const store = await shop.app.inject({ url: `/products/${product.slug}?lang=en` });
      const src = /<img src="(\/media\/uploads\/[0-9a-f]{32}\.png)" alt="A tea cup"/.exec(store.body)?.[1];
      expect(src).toBeDefined();
      const served = await shop.app.inject({ url: src! });
      expect(served.statusCode).toBe(200);
      expect(served.headers['content-type']).toBe('image/png');
      expect(served.headers['x-content-type-options']).toBe('nosniff');
      const audited = await shop.db.db.selectFrom('audit_log' as never).select(['action' as never]).where('action' as never, '=', 'product.image_added' as never).execute();
      expect(audited.length).toBeGreaterThanOrEqual(1);
    });

    it('refuses script disguised as a PNG, oversized files and missing alt text, with a message on the form', async () => {
      const { account, secret } = await enrolledAccount(shop, `img2-${database.name}@example.jp`, 'staff');
      const b = await signIn(shop, `img2-${database.name}@example.jp`, account.id, secret);
      const product = await shop.db.db.selectFrom('products').select('id').where('slug', '=', 'yuzu-ponzu').executeTakeFirst()
        ?? await shop.db.db.selectFrom('products').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
      const before = await shop.db.db.selectFrom('product_images').where('product_id', '=', product.id).selectAll().execute();

      const svg = await upload(b, product.id, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'evil.png', 'image/png');
      expect(svg.statusCode).toBe(400);
      expect(svg.body).toMatch(/Only PNG, JPEG and WebP|PNG・JPEG・WebP/);
      const big = await upload(b, product.id, Buffer.concat([PNG, Buffer.alloc(MAX_IMAGE_BYTES)]), 'big.png', 'image/png');
      expect(big.statusCode).toBe(413);
      const noAlt = await upload(b, product.id, PNG, 'cup.png', 'image/png', { altJa: '', altEn: 'x' });
      expect(noAlt.statusCode).toBe(400);
      expect(await shop.db.db.selectFrom('product_images').where('product_id', '=', product.id).selectAll().execute()).toHaveLength(before.length);
    });

    it('refuses an upload without the CSRF token', async () => {
      const { account, secret } = await enrolledAccount(shop, `img3-${database.name}@example.jp`, 'staff');
      const b = await signIn(shop, `img3-${database.name}@example.jp`, account.id, secret);
      const form = new FormData();
      form.set('altJa', 'a'); form.set('altEn', 'a');
      form.set('image', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), 'cup.png');
      const request = new Request('http://127.0.0.1/', { method: 'POST', body: form });
      const r = await shop.app.inject({ method: 'POST', url: '/admin/products/1/images', headers: { cookie: [...b.jar].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': request.headers.get('content-type')! }, payload: Buffer.from(await request.arrayBuffer()) });
      expect(r.statusCode).toBe(403);
    });
  });
}
