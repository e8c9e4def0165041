// Catalog management through the back office, seen from the store: create, edit, price, tax
// rate, archive, stock adjustments with a reason; each audited. Both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { adminDb } from './admin-tables.ts';
import { enrolledAccount, signIn } from '../../test/support/admin-test-client.ts';

const PRODUCT = {
  slug: 'hojicha-tin', nameJa: 'ほうじ茶 缶入り', nameEn: 'Hojicha in a tin', descriptionJa: '香ばしいほうじ茶。', descriptionEn: 'Roasted green tea.',
  taxRate: '8', status: 'active', sku: 'HOJI-100', variantNameJa: '100g', variantNameEn: '100 g', price: '1296', stock: '5',
};

for (const database of DATABASES) {
  describe(`admin catalog on ${database.name}`, () => {
    let shop: TestShop;
    beforeAll(async () => { shop = await startTestShop(database); });
    afterAll(async () => { await shop?.dispose(); });

    it('creates a product that shows in the store at once, edits, re-prices, adjusts stock and archives it', async () => {
      const { account, secret } = await enrolledAccount(shop, 'staff@example.jp', 'staff');
      const b = await signIn(shop, 'staff@example.jp', account.id, secret);
      const db = adminDb(shop.db.db);
      const category = await db.selectFrom('categories').select('id').orderBy('id').executeTakeFirstOrThrow();
      // Warm the storefront cache so the test proves it is invalidated.
      expect((await shop.app.inject({ url: '/products/hojicha-tin' })).statusCode).toBe(404);

      await b.get('/admin/products/new');
      expect((await b.post('/admin/products', { ...PRODUCT, categoryId: String(category.id), taxRate: '5' })).statusCode).toBe(400);
      // A card number pasted into catalog text is refused, said so, and not echoed back.
      const card = await b.post('/admin/products', { ...PRODUCT, categoryId: String(category.id), descriptionEn: 'Paid with 4111 1111 1111 1111 thanks' });
      expect(card.statusCode).toBe(400);
      expect(card.body).toContain('カード番号は入力できません。');
      expect(card.body).not.toMatch(/4111[ -]?1111/);
      expect(await db.selectFrom('products').where('slug', '=', 'hojicha-tin').select('id').executeTakeFirst()).toBeUndefined();
      const created = await b.post('/admin/products', { ...PRODUCT, categoryId: String(category.id) });
      expect(created.statusCode).toBe(303);
      const productId = Number(/\/admin\/products\/(\d+)/.exec(created.headers.location!)![1]);
      const page = await shop.app.inject({ url: '/products/hojicha-tin?lang=en' });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Hojicha in a tin');
      expect(page.body).toContain('1,296');
      expect((await shop.app.inject({ url: '/?q=' + encodeURIComponent('ほうじ茶') })).body).toContain('ほうじ茶 缶入り');
      expect((await b.post('/admin/products', { ...PRODUCT, categoryId: String(category.id) })).statusCode).toBe(409); // slug taken

      await b.get(`/admin/products/${productId}`);
      expect((await b.post(`/admin/products/${productId}`, { ...PRODUCT, nameEn: 'Roasted hojicha tin', descriptionEn: 'Smoky and sweet.', categoryId: String(category.id), taxRate: '10' })).statusCode).toBe(303);
      const row = await db.selectFrom('products').where('id', '=', productId).select(['tax_rate', 'search_text']).executeTakeFirstOrThrow();
      expect(row.tax_rate).toBe(10);
      expect(row.search_text).toContain('smoky and sweet');
      expect((await shop.app.inject({ url: '/?lang=en&q=smoky' })).body).toContain('Roasted hojicha tin');
      // A reading (読み) the merchant gives lets kana find the kanji name, in either kana.
      const noReading = await shop.app.inject({ url: '/?q=' + encodeURIComponent('かんいり') });
      expect(noReading.body).not.toContain('ほうじ茶 缶入り');
      await b.get(`/admin/products/${productId}`);
      expect((await b.post(`/admin/products/${productId}`, { ...PRODUCT, nameEn: 'Roasted hojicha tin', descriptionEn: 'Smoky and sweet.', categoryId: String(category.id), taxRate: '10', reading: 'ほうじちゃ　カンイリ' })).statusCode).toBe(303);
      expect((await shop.app.inject({ url: '/?q=' + encodeURIComponent('かんいり') })).body).toContain('ほうじ茶 缶入り');
      expect((await b.get(`/admin/products/${productId}`)).body).toContain('ほうじちゃ　カンイリ');

      const variant = await db.selectFrom('variants').where('product_id', '=', productId).select(['id']).executeTakeFirstOrThrow();
      await b.get(`/admin/products/${productId}`);
      expect((await b.post(`/admin/variants/${variant.id}`, { sku: 'HOJI-100', variantNameJa: '100g', variantNameEn: '100 g', price: '1404' })).statusCode).toBe(303);
      expect((await shop.app.inject({ url: '/products/hojicha-tin' })).body).toContain('1,404');

      await b.get(`/admin/products/${productId}`);
      expect((await b.post(`/admin/variants/${variant.id}/stock`, { delta: '-6', reason: 'breakage' })).statusCode).toBe(409);
      expect((await b.post(`/admin/variants/${variant.id}/stock`, { delta: '3', reason: '' })).statusCode).toBe(400);
      expect((await b.post(`/admin/variants/${variant.id}/stock`, { delta: '3', reason: 'refund to card 4111-1111-1111-1111' })).statusCode).toBe(400);
      expect((await b.post(`/admin/variants/${variant.id}/stock`, { delta: '-2', reason: '破損のため廃棄' })).statusCode).toBe(303);
      expect(await db.selectFrom('variants').where('id', '=', variant.id).select('stock').executeTakeFirstOrThrow()).toEqual({ stock: 3 });
      const edit = await b.get(`/admin/products/${productId}`);
      expect(edit.body).toContain('破損のため廃棄');

      expect((await b.post(`/admin/products/${productId}`, { ...PRODUCT, categoryId: String(category.id), status: 'archived' })).statusCode).toBe(303);
      expect((await shop.app.inject({ url: '/products/hojicha-tin' })).statusCode).toBe(404);

      const actions = (await shop.db.db.withTables<{ audit_log: { id: number; action: string; actor: string | null } }>()
        .selectFrom('audit_log').where('actor', '=', `admin:${account.id}`).select('action').orderBy('id').execute()).map((r) => r.action);
      expect(actions).toEqual(expect.arrayContaining(['product.created', 'product.updated', 'variant.price_changed', 'stock.adjusted', 'product.archived']));
    });
  });
}
