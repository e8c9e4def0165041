// Catalog administration and browsing (issues 17, 18), both databases: categories from the back
// office (and in search, pages and the Store API), sorting and filtering with the page cache keyed
// on them, stock levels instead of counts, drafts and scheduled publishing on an injected clock,
// slugs made from the name, and the OpenAPI document covering every Store API route.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { GOOD_CUSTOMER, startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { cartWithLines } from '../../test/support/store-api-checkout.ts';
import { enrolledAccount, signIn } from '../../test/support/admin-test-client.ts';
import { adminDb } from '../admin/admin-tables.ts';

type ApiProduct = { id: number; slug: string; category: { slug: string; name: string }; variants: { price: number; stock: number; availability: string }[] };

/** Store API routes from Fastify's own route tree (printRoutes draws it with 4-column indentation). */
function storeApiRoutes(tree: string): string[] {
  const stack: string[] = [];
  const keys = new Set<string>();
  for (const line of tree.split('\n')) {
    const m = /^((?:[│ ] {3})*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    stack.length = m[1]!.length / 4;
    stack[m[1]!.length / 4] = m[2]!;
    const path = stack.join('').replace(/\/{2,}/g, '/');
    if (!m[3] || !path.startsWith('/api/store')) continue;
    for (const method of m[3].split(', ')) if (method !== 'HEAD') keys.add(`${method.toLowerCase()} ${path.replace(/:(\w+)/g, '{$1}')}`);
  }
  return [...keys].sort();
}

for (const database of DATABASES) {
  describe(`catalog administration and browsing on ${database.name}`, () => {
    let shop: TestShop;
    // Real time plus an offset the test moves: admin sign-in (TOTP) needs the real time.
    let offsetMs = 0;
    let builds = 0;
    const api = async (url: string) => shop.app.inject({ url });
    const products = async (query: string) => {
      const r = await api(`/api/store/products?limit=100&${query}`);
      expect(r.statusCode, r.body).toBe(200);
      return r.json<{ products: ApiProduct[]; nextCursor: string | null }>();
    };

    beforeAll(async () => {
      shop = await startTestShop(database, { catalogCacheTtlMs: 600_000, clock: () => new Date(Date.now() + offsetMs) });
      const catalog = shop.context.catalog;
      const derived = catalog.derived.bind(catalog);
      catalog.derived = (key, build) => derived(key, () => { builds++; return build(); });
    });
    afterAll(async () => { await shop?.dispose(); });

    it('creates, renames, reorders and deletes (only when empty) categories, audited, shown in the store, the API and search', async () => {
      const { account, secret } = await enrolledAccount(shop, 'cat-staff@example.jp', 'staff');
      const b = await signIn(shop, 'cat-staff@example.jp', account.id, secret);
      const db = adminDb(shop.db.db);
      expect((await b.get('/admin/categories')).body).toContain('お茶');
      // A card number is refused and not echoed; a bad slug is refused; nothing is written.
      const card = await b.post('/admin/categories', { nameJa: '4111 1111 1111 1111', nameEn: 'Gifts', slug: '' });
      expect(card.statusCode).toBe(400);
      expect(card.body).not.toMatch(/4111 1111/);
      expect((await b.post('/admin/categories', { nameJa: '贈り物', nameEn: 'Gifts', slug: 'Bad Slug' })).statusCode).toBe(400);
      const before = Number((await db.selectFrom('categories').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      expect(before).toBe(4);
      // Empty slug: kana is romanised, kanji falls back to the id.
      expect((await b.post('/admin/categories', { nameJa: 'ぎふと', nameEn: 'Gifts', slug: '' })).statusCode).toBe(303);
      expect((await b.post('/admin/categories', { nameJa: '贈答品', nameEn: 'Presents', slug: '' })).statusCode).toBe(303);
      const made = await db.selectFrom('categories').where('name_en', 'in', ['Gifts', 'Presents']).select(['id', 'slug', 'name_en', 'position']).orderBy('id').execute();
      expect(made[0]!.slug).toBe('gifuto');
      expect(made[1]!.slug).toBe(`c-${made[1]!.id}`);
      expect((await b.post('/admin/categories', { nameJa: 'x', nameEn: 'x', slug: 'gifuto' })).statusCode).toBe(409);

      // The Store API lists them in order; moving one up changes the order everywhere.
      const names = async () => (await api('/api/store/categories?lang=en')).json<{ categories: { name: string }[] }>().categories.map((c) => c.name);
      expect(await names()).toEqual(['Tea', 'Food', 'Clothing', 'Homeware', 'Gifts', 'Presents']);
      expect((await b.post(`/admin/categories/${made[1]!.id}/move`, { direction: 'up' })).statusCode).toBe(303);
      expect(await names()).toEqual(['Tea', 'Food', 'Clothing', 'Homeware', 'Presents', 'Gifts']);
      expect((await b.post(`/admin/categories/${made[1]!.id}/move`, { direction: 'sideways' })).statusCode).toBe(400);
      const home = await api('/?lang=en');
      expect(home.body.indexOf('Presents')).toBeLessThan(home.body.indexOf('Gifts'));

      // Renaming re-indexes its products' search text; the product page and API show the category.
      const tea = await db.selectFrom('categories').where('slug', '=', 'tea').select('id').executeTakeFirstOrThrow();
      expect((await products('q=' + encodeURIComponent('ちゃのま'))).products).toHaveLength(0);
      expect((await b.post(`/admin/categories/${tea.id}`, { nameJa: 'お茶・ちゃのま', nameEn: 'Green tea', slug: '' })).statusCode).toBe(303);
      expect((await products('q=' + encodeURIComponent('チャノマ'))).products.map((p) => p.slug)).toHaveLength(4);
      expect((await api('/products/uji-matcha-latte?lang=en')).body).toContain('Green tea');
      const one = (await api('/api/store/products/uji-matcha-latte?lang=en')).json<ApiProduct>();
      expect(one.category).toEqual({ id: tea.id, slug: 'tea', name: 'Green tea' });

      // A category with products cannot be deleted; an empty one can.
      const notEmpty = await b.post(`/admin/categories/${tea.id}/delete`, {});
      expect(notEmpty.statusCode).toBe(409);
      expect(notEmpty.body).toContain('商品があるため削除できません');
      expect((await b.post(`/admin/categories/${made[0]!.id}/delete`, {})).statusCode).toBe(303);
      expect(await names()).not.toContain('Gifts');

      const actions = (await shop.db.db.withTables<{ audit_log: { id: number; action: string; actor: string | null } }>()
        .selectFrom('audit_log').where('actor', '=', `admin:${account.id}`).where('action', 'like', 'category.%').select('action').orderBy('id').execute()).map((r) => r.action);
      expect(actions).toEqual(['category.created', 'category.created', 'category.moved', 'category.renamed', 'category.deleted']);
    });

    it('sorts and filters catalog pages and the API; a bad API value is a 400 problem, a bad page value the default', async () => {
      // One paid order of 3 Yuzu ponzu and one cancelled one of 9 tote bags: only the paid counts.
      const db = shop.db.db;
      const variant = async (slug: string) => (await db.selectFrom('variants as v').innerJoin('products as p', 'p.id', 'v.product_id').where('p.slug', '=', slug).select(['v.id', 'v.sku', 'v.price']).executeTakeFirstOrThrow());
      for (const [slug, quantity, status] of [['yuzu-ponzu', 3, 'paid'], ['kurashiki-canvas-tote', 9, 'cancelled'], ['kokuto-karinto', 1, 'fulfilled']] as const) {
        const v = await variant(slug);
        const id = `order-${slug}`;
        const now = new Date().toISOString();
        await db.insertInto('orders').values({ id, order_number: id, access_token_hash: 'x', cart_id: null, locale: 'ja', email: 'a@example.jp', name: 'n', phone: '0', country: 'JP', postal_code: '100-0001', prefecture: '東京都', city: 'c', line1: 'l', line2: '', items_total: v.price * quantity, shipping_fee: 0, total: v.price * quantity, status, payment_provider: null, payment_transaction_id: null, payment_status: null, expires_at: now, created_at: now, updated_at: now } as never).execute();
        await db.insertInto('order_items').values({ order_id: id, variant_id: v.id, product_name_ja: 'x', product_name_en: 'x', variant_name_ja: 'x', variant_name_en: 'x', sku: v.sku, unit_price: v.price, quantity, tax_rate: 8, line_total: v.price * quantity }).execute();
      }
      shop.context.catalog.invalidate();
      const popular = (await products('sort=popular')).products.map((p) => p.slug);
      expect(popular.slice(0, 2)).toEqual(['yuzu-ponzu', 'kokuto-karinto']);
      const minPrice = (p: ApiProduct) => Math.min(...p.variants.map((v) => v.price));
      const asc = (await products('sort=price-asc')).products.map(minPrice);
      expect(asc).toEqual([...asc].sort((a, b) => a - b));
      const desc = (await products('sort=price-desc')).products.map(minPrice);
      expect(desc).toEqual([...asc].reverse());
      expect((await products('sort=new')).products.length).toBe(14);

      // Paged by offset in another sort: every product once, in order.
      const seen: string[] = [];
      let cursor: string | null = '';
      while (cursor !== null) {
        const page: { products: ApiProduct[]; nextCursor: string | null } = (await api(`/api/store/products?sort=price-asc&limit=5${cursor ? `&cursor=${cursor}` : ''}`)).json();
        seen.push(...page.products.map((p) => p.slug));
        cursor = page.nextCursor;
      }
      expect(seen).toEqual((await products('sort=price-asc')).products.map((p) => p.slug));

      // In stock only: a sold-out product is left out.
      await db.updateTable('variants').set({ stock: 0 }).where('product_id', '=', (await db.selectFrom('products').where('slug', '=', 'hasami-porcelain-mug').select('id').executeTakeFirstOrThrow()).id).execute();
      shop.context.catalog.invalidate();
      expect((await products('')).products.map((p) => p.slug)).toContain('hasami-porcelain-mug');
      expect((await products('availability=in-stock')).products.map((p) => p.slug)).not.toContain('hasami-porcelain-mug');
      expect((await products('availability=in-stock&category=tea')).products).toHaveLength(4);

      for (const bad of ['sort=cheapest', 'availability=soon', 'cursor=x1']) {
        const r = await api(`/api/store/products?${bad}`);
        expect(r.statusCode, bad).toBe(400);
        expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
      }
      // HTML: an unknown sort shows the recommended order; the options keep what was chosen.
      const html = await api('/?sort=price-desc&lang=en');
      expect(html.body).toMatch(/<option value="price-desc" selected/);
      const ignored = await api('/?sort=cheapest&lang=en');
      expect(ignored.statusCode).toBe(200);
      expect(ignored.body).toMatch(/<option value="recommended" selected/);
      const soldOutHidden = await api('/?availability=in-stock&category=homeware&lang=en');
      expect(soldOutHidden.body).not.toContain('Hasami');
    });

    it('keys cached pages on sort and filter: each listing is cached, none is served for another', async () => {
      shop.context.catalog.invalidate();
      const order = (body: string) => [...body.matchAll(/href="\/products\/([a-z0-9-]+)\?/g)].map((m) => m[1]);
      const first = { rec: await api('/?lang=en'), asc: await api('/?sort=price-asc&lang=en'), desc: await api('/?sort=price-desc&lang=en'), stock: await api('/?availability=in-stock&category=homeware&lang=en') };
      expect(order(first.asc.body)).not.toEqual(order(first.rec.body));
      expect(order(first.desc.body)).not.toEqual(order(first.asc.body));
      builds = 0;
      const again = { rec: await api('/?lang=en'), asc: await api('/?sort=price-asc&lang=en'), desc: await api('/?sort=price-desc&lang=en'), stock: await api('/?availability=in-stock&category=homeware&lang=en') };
      expect(builds).toBe(0); // all four from the cache …
      for (const k of ['rec', 'asc', 'desc', 'stock'] as const) expect(order(again[k].body)).toEqual(order(first[k].body)); // … each its own
      expect(order(again.stock.body)).not.toContain('hasami-porcelain-mug');
      builds = 0;
      await api('/api/store/products?sort=popular');
      await api('/api/store/products?sort=popular');
      await api('/api/store/products?sort=new');
      expect(builds).toBe(2);
    });

    it('shows stock as a level by default: no counts on the page or in the API', async () => {
      const db = shop.db.db;
      const latte = await db.selectFrom('variants').where('sku', '=', 'TEA-MATCHA-LATTE-200G').select('id').executeTakeFirstOrThrow();
      await db.updateTable('variants').set({ stock: 2 }).where('id', '=', latte.id).execute();
      shop.context.catalog.invalidate();
      const page = await api('/products/uji-matcha-latte?lang=en');
      expect(page.body).toContain('Only a few left');
      expect(page.body).toContain('In stock');
      expect(page.body).not.toMatch(/Only 2 left|15 in stock/);
      const p = (await api('/api/store/products/uji-matcha-latte')).json<ApiProduct>();
      expect(p.variants.map((v) => [v.availability, v.stock])).toEqual([['low', 2], ['in_stock', 4]]); // 15 capped at threshold + 1
      const mug = (await api('/api/store/products/hasami-porcelain-mug')).json<ApiProduct>();
      expect(mug.variants.every((v) => v.availability === 'sold_out' && v.stock === 0)).toBe(true);
    });

    it('names a product with kanji by its id, and keeps slugs unique', async () => {
      const { account, secret } = await enrolledAccount(shop, 'slug-staff@example.jp', 'staff');
      const b = await signIn(shop, 'slug-staff@example.jp', account.id, secret);
      const category = await shop.db.db.selectFrom('categories').where('slug', '=', 'tea').select('id').executeTakeFirstOrThrow();
      const form = { nameJa: '玉露', nameEn: 'Gyokuro', slug: '', categoryId: String(category.id), descriptionJa: '玉露。', descriptionEn: 'Gyokuro.', taxRate: '8', status: 'active', sku: 'GYOKURO-1', variantNameJa: '50g', variantNameEn: '50 g', price: '2000', stock: '3' };
      await b.get('/admin/products/new');
      const r = await b.post('/admin/products', form);
      const id = Number(/\/admin\/products\/(\d+)/.exec(r.headers.location!)![1]);
      expect((await shop.db.db.selectFrom('products').where('id', '=', id).select('slug').executeTakeFirstOrThrow()).slug).toBe(`p-${id}`);
      await b.get('/admin/products/new');
      const twin = await b.post('/admin/products', { ...form, nameJa: 'ほうじちゃ ティーバッグ', sku: 'HOJI-BAG-2' });
      await b.get('/admin/products/new');
      const third = await b.post('/admin/products', { ...form, nameJa: 'ほうじちゃ ティーバッグ', sku: 'HOJI-BAG-3' });
      const thirdId = Number(/\/admin\/products\/(\d+)/.exec(third.headers.location!)![1]);
      expect((await shop.db.db.selectFrom('products').where('id', '=', thirdId).select('slug').executeTakeFirstOrThrow()).slug).toBe('houjicha-teiibaggu-2');
      const twinId = Number(/\/admin\/products\/(\d+)/.exec(twin.headers.location!)![1]);
      expect((await shop.db.db.selectFrom('products').where('id', '=', twinId).select('slug').executeTakeFirstOrThrow()).slug).toBe('houjicha-teiibaggu');
      await b.get('/admin/products/new');
      expect((await b.post('/admin/products', { ...form, slug: 'Not A Slug', sku: 'X-3' })).statusCode).toBe(400);
    });

    it('hides drafts and not-yet-due products everywhere until due, previews them for the back office, and notices a publish becoming due', async () => {
      const { account, secret } = await enrolledAccount(shop, 'draft-staff@example.jp', 'staff');
      const b = await signIn(shop, 'draft-staff@example.jp', account.id, secret);
      const category = await shop.db.db.selectFrom('categories').where('slug', '=', 'tea').select('id').executeTakeFirstOrThrow();
      const form = { nameJa: 'ほうじちゃ ぱっく', nameEn: 'Hojicha bags', slug: '', categoryId: String(category.id), descriptionJa: 'ティーバッグ。', descriptionEn: 'Tea bags.', taxRate: '8', status: 'active', publication: 'draft', publishAt: '', sku: 'HOJI-BAG', variantNameJa: '10袋', variantNameEn: '10 bags', price: '640', stock: '9' };
      await b.get('/admin/products/new');
      const created = await b.post('/admin/products', form);
      expect(created.statusCode, created.body).toBe(303);
      const id = Number(/\/admin\/products\/(\d+)/.exec(created.headers.location!)![1]);
      const row = await shop.db.db.selectFrom('products').where('id', '=', id).select(['slug', 'publication']).executeTakeFirstOrThrow();
      expect(row).toEqual({ slug: 'houjicha-pakku', publication: 'draft' });

      const visible = async () => ({
        page: (await api('/products/houjicha-pakku')).statusCode,
        api: (await api('/api/store/products/houjicha-pakku')).statusCode,
        list: (await products('category=tea')).products.some((p) => p.slug === 'houjicha-pakku'),
        html: (await api('/?category=tea&lang=en')).body.includes('Hojicha bags'),
        search: (await products('q=' + encodeURIComponent('ほうじちゃ'))).products.some((p) => p.slug === 'houjicha-pakku'),
        sitemap: (await api('/sitemap.xml')).body.includes('houjicha-pakku'),
      });
      const hidden = { page: 404, api: 404, list: false, html: false, search: false, sitemap: false };
      const shown = { page: 200, api: 200, list: true, html: true, search: true, sitemap: true };
      expect(await visible()).toEqual(hidden);
      // Nor can its variant be put in a cart by guessing the id.
      const variant = await shop.db.db.selectFrom('variants').where('sku', '=', 'HOJI-BAG').select('id').executeTakeFirstOrThrow();
      const cart = (await shop.app.inject({ method: 'POST', url: '/api/store/carts' })).json<{ id: string }>();
      expect((await shop.app.inject({ method: 'POST', url: `/api/store/carts/${cart.id}/items`, payload: { variantId: variant.id, quantity: 1 } })).statusCode).toBe(404);
      const preview = await b.get(`/admin/products/${id}/preview`);
      expect(preview.statusCode).toBe(200);
      expect(preview.body).toContain('ほうじちゃ ぱっく');
      expect(preview.body).toContain('プレビュー');
      expect(preview.body).toContain('noindex');

      // Published for two hours ahead (shop time, Asia/Tokyo): still hidden, and the cached pages know it.
      const inTwoHours = new Date(Date.now() + offsetMs + 2 * 3_600_000);
      const wall = new Date(inTwoHours.getTime() + 9 * 3_600_000).toISOString().slice(0, 16);
      await b.get(`/admin/products/${id}`);
      expect((await b.post(`/admin/products/${id}`, { ...form, slug: '', publication: 'published', publishAt: wall })).statusCode).toBe(303);
      const stored = await shop.db.db.selectFrom('products').where('id', '=', id).select(['slug', 'publish_at']).executeTakeFirstOrThrow();
      expect(stored.slug).toBe('houjicha-pakku'); // empty on edit: kept
      expect(stored.publish_at!.slice(0, 16)).toBe(inTwoHours.toISOString().slice(0, 16));
      expect(await visible()).toEqual(hidden);
      builds = 0;
      await api('/?category=tea&lang=en');
      expect(builds).toBe(0); // served from the cache …
      offsetMs += 2 * 3_600_000 + 60_000;
      expect(await visible()).toEqual(shown); // … until the clock passes publish_at, without any edit
      const actions = (await shop.db.db.withTables<{ audit_log: { id: number; action: string; actor: string | null } }>()
        .selectFrom('audit_log').where('actor', '=', `admin:${account.id}`).where('action', 'like', 'product.%').select('action').orderBy('id').execute()).map((r) => r.action);
      expect(actions).toEqual(['product.created', 'product.published']);
    });

    it('does not sell a product made a draft after it went into a cart', async () => {
      const variant = await shop.db.db.selectFrom('variants as v').innerJoin('products as p', 'p.id', 'v.product_id')
        .where('p.status', '=', 'active').where('p.publication', '=', 'published').where('v.stock', '>', 0)
        .select(['v.id', 'p.id as productId']).orderBy('v.id').executeTakeFirstOrThrow();
      const cartId = await cartWithLines(shop, [{ variantId: variant.id, quantity: 1 }]);
      await shop.db.db.updateTable('products').set({ publication: 'draft' }).where('id', '=', variant.productId).execute();
      try {
        const r = await shop.app.inject({ method: 'POST', url: `/api/store/carts/${cartId}/checkout`, payload: { ...GOOD_CUSTOMER } });
        expect(r.statusCode, r.body).toBe(409);
        expect(r.json<{ code: string }>().code).toBe('MAMORI_ERR_CART_EMPTY');
        const sold = await shop.db.db.selectFrom('order_items').where('variant_id', '=', variant.id).select('order_id').execute();
        expect(sold).toEqual([]);
      } finally {
        await shop.db.db.updateTable('products').set({ publication: 'published' }).where('id', '=', variant.productId).execute();
      }
    });

    it('documents every Store API route in the OpenAPI document, with the new parameters', async () => {
      const doc = (await api('/api/openapi.json')).json<{ paths: Record<string, Record<string, { parameters?: { name: string }[] }>> }>();
      const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`)).filter((k) => k.includes('/api/store')).sort();
      expect(documented).toEqual(storeApiRoutes(shop.app.printRoutes({ commonPrefix: false })));
      expect(doc.paths['/api/store/products']!.get!.parameters!.map((p) => p.name)).toEqual(expect.arrayContaining(['sort', 'availability', 'category']));
      expect(JSON.stringify(doc.paths['/api/store/products/{slug}'])).toContain('availability');
    });
  });
}

