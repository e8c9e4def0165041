// Image upload in the back office: type decided by content (not name or Content-Type), size
// capped, alt text required in both languages, served back with its image type and nosniff.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { csrfOf, enrolledAccount, signIn } from '../../test/support/admin-test-client.ts';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { detectImageType, MAX_IMAGE_BYTES, MAX_IMAGE_EDGE } from './product-images.ts';
import { CLEAN_PNG as PNG } from '../../test/support/test-clamd.ts';

/** A phone photo as a customer's camera writes it: 4000×3000, its maker and a GPS position in EXIF. */
async function phonePhotoWithGps(): Promise<Buffer> {
  return sharp({ create: { width: 4000, height: 3000, channels: 3, background: { r: 120, g: 160, b: 90 } } })
    .jpeg({ quality: 90 })
    .withExif({ IFD0: { Make: 'MamoriTestPhone', Model: 'GPS-1' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '35/1 39/1 3012/100', GPSLongitudeRef: 'E', GPSLongitude: '139/1 44/1 2880/100' } })
    .toBuffer();
}


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

    it('re-encodes a 10 MB-class phone photo: shrunk, its EXIF and GPS position gone; images reorder and delete, audited', async () => {
      const { account, secret } = await enrolledAccount(shop, `img4-${database.name}@example.jp`, 'staff');
      const b = await signIn(shop, `img4-${database.name}@example.jp`, account.id, secret);
      const product = await shop.db.db.selectFrom('products').select(['id', 'slug']).where('slug', '=', 'kaga-bo-hojicha').executeTakeFirstOrThrow();
      const photo = await phonePhotoWithGps();
      // The test's own photo really carries what must be removed.
      const input = await sharp(photo).metadata();
      expect(input.exif?.includes(Buffer.from('MamoriTestPhone'))).toBe(true);
      expect(input.exif?.includes(Buffer.from([0x88, 0x25])) || input.exif?.includes(Buffer.from([0x25, 0x88]))).toBe(true); // the GPS IFD pointer

      const ok = await upload(b, product.id, photo, 'IMG_0001.JPG', 'image/jpeg', { altJa: '加賀棒茶', altEn: 'Kaga bocha' });
      expect(ok.statusCode, ok.body.slice(0, 300)).toBe(303);
      const images = async () => shop.db.db.selectFrom('product_images').where('product_id', '=', product.id).select(['id', 'path', 'position']).orderBy('position').orderBy('id').execute();
      const added = (await images()).at(-1)!;
      expect(added.path).toMatch(/^uploads\/[0-9a-f]{32}\.jpg$/);
      const stored = await readFile(path.join(shop.config.mediaDir, added.path));
      const meta = await sharp(stored).metadata();
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(stored.includes(Buffer.from('MamoriTestPhone'))).toBe(false);
      expect(stored.includes(Buffer.from('Exif\0\0'))).toBe(false);
      expect(Math.max(meta.width!, meta.height!)).toBe(MAX_IMAGE_EDGE);
      expect(stored.length).toBeLessThan(photo.length);

      // Move it first: the catalog shows it; then delete it: row and file gone.
      const before = await images();
      await b.get(`/admin/products/${product.id}`);
      for (let i = 1; i < before.length; i++) expect((await b.post(`/admin/products/${product.id}/images/${added.id}/move`, { direction: 'up' })).statusCode).toBe(303);
      expect((await images())[0]!.id).toBe(added.id);
      expect((await shop.app.inject({ url: '/?category=tea' })).body).toContain(`/media/${added.path}`);
      expect((await b.post(`/admin/products/${product.id}/images/${added.id}/move`, { direction: 'left' })).statusCode).toBe(400);
      expect((await b.post(`/admin/products/${product.id + 1}/images/${added.id}/delete`, {})).statusCode).toBe(404); // not this product's
      expect((await b.post(`/admin/products/${product.id}/images/${added.id}/delete`, {})).statusCode).toBe(303);
      expect((await images()).map((i) => i.id)).toEqual(before.filter((i) => i.id !== added.id).map((i) => i.id));
      expect((await images()).map((i) => i.position)).toEqual(before.slice(1).map((_, i) => i));
      expect(existsSync(path.join(shop.config.mediaDir, added.path))).toBe(false);
      expect((await shop.app.inject({ url: `/media/${added.path}` })).statusCode).toBe(404);
      const actions = (await shop.db.db.selectFrom('audit_log' as never).select(['action' as never]).where('actor' as never, '=', `admin:${account.id}` as never).execute()).map((r) => (r as { action: string }).action);
      expect(actions).toEqual(expect.arrayContaining(['product.image_added', 'product.images_reordered', 'product.image_deleted']));
    });

    it('refuses a file with image magic bytes that does not decode', async () => {
      const { account, secret } = await enrolledAccount(shop, `img5-${database.name}@example.jp`, 'staff');
      const b = await signIn(shop, `img5-${database.name}@example.jp`, account.id, secret);
      const r = await upload(b, 1, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('<?php system($_GET[1]); ?>')]), 'x.jpg', 'image/jpeg');
      expect(r.statusCode).toBe(400);
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
