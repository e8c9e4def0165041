
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { enrolledAccount, signIn } from '../../test/support/admin-test-client.ts';
import { csrfTokenIfAny } from '../../test/support/csrf.ts';
import { uploadCsv } from '../../test/support/catalog-upload.ts';
import { adminDb } from '../admin/admin-tables.ts';
import { listProducts } from '../catalog/queries.ts';
import { decodeCatalogFile, parseCatalogSheet } from './catalog-csv-format.ts';
import { applyCatalogImport, exportCatalogCsv, planCatalogImport, WRITE_CHUNK_ROWS } from './catalog-import.ts';

const JA_HEADER = '商品URL名,カテゴリURL名,カテゴリ名（日本語）,カテゴリ名（英語）,商品名（日本語）,商品名（英語）,説明（日本語）,説明（英語）,読み,税率,公開状態,SKU,バリエーション名（日本語）,バリエーション名（英語）,価格（税込）,在庫数';

/** A Shift_JIS file as Japanese Excel saves it: two new products (one with two variants) in a new category. */
function sjisFile(rows: string[]): Buffer {
  return iconv.encode([JA_HEADER, ...rows].join('\r\n') + '\r\n', 'CP932');
}
const GOOD_ROWS = [
  'kombu-dashi,dashi,だし,Dashi,昆布だしパック,Kombu Dashi Packs,北海道産の昆布,Hokkaido kombu,こんぶだし,8,公開,DASHI-KOMBU-10,10袋,10 packs,648,30',
  'kombu-dashi,,,,,,,,,,,DASHI-KOMBU-30,30袋,30 packs,1728,12',
  'yuzu-kosho,food,,,柚子胡椒,Yuzu Kosho,九州の青柚子と唐辛子,Green yuzu and chili,ゆずこしょう,8,,YUZU-KOSHO-50G,50g,50 g,702,20',
];

describe('product CSV files', () => {
  it('reads Shift_JIS by detection and refuses it when UTF-8 is demanded', () => {
    const file = sjisFile(GOOD_ROWS);
    const auto = decodeCatalogFile(file, 'auto');
    expect(auto).toMatchObject({ ok: true, encoding: 'shift_jis' });
    expect(auto.ok && auto.text).toContain('昆布だしパック');
    expect(decodeCatalogFile(file, 'utf-8')).toEqual({ ok: false, code: 'NOT_UTF8' });
    const utf8 = decodeCatalogFile(Buffer.from(`\ufeff${JA_HEADER}\r\n`), 'auto');
    expect(utf8).toMatchObject({ ok: true, encoding: 'utf-8' });
  });

  it('names a missing, unknown or repeated column', () => {
    expect(parseCatalogSheet('product_slug,sku\r\n', 10)).toMatchObject({ ok: false, code: 'MISSING_COLUMN' });
    expect(parseCatalogSheet(`${JA_HEADER},色\r\n`, 10)).toMatchObject({ ok: false, code: 'UNKNOWN_COLUMN', column: '色' });
    expect(parseCatalogSheet(`${JA_HEADER},SKU\r\n`, 10)).toMatchObject({ ok: false, code: 'DUPLICATE_COLUMN', column: 'SKU' });
    expect(parseCatalogSheet(`${JA_HEADER}\r\n"unclosed\r\n`, 10)).toMatchObject({ ok: false, code: 'UNREADABLE' });
  });
});

describeEachDatabase('product CSV import', (database) => {
  let shop: TestShop;
  let owner: Awaited<ReturnType<typeof enrolledAccount>>;
  beforeAll(async () => {
    shop = await startTestShop(database, { jobPollMs: 0, reconcileAtStart: false, auditAnchoring: false });
    owner = await enrolledAccount(shop, 'owner@example.jp', 'owner');
  });
  afterAll(async () => shop?.dispose());
  const by = () => ({ account: owner.account, ip: '127.0.0.1', now: new Date() });
  const counts = async () => ({
    products: Number((await shop.db.db.selectFrom('products').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
    variants: Number((await shop.db.db.selectFrom('variants').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
    categories: Number((await shop.db.db.selectFrom('categories').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
  });

  it('lists every error by line and column in a dry run and writes nothing', async () => {
    const before = await counts();
    const bad = sjisFile([
      ...GOOD_ROWS,
      'bad slug,food,,,名前,Name,,,,8,,BAD-1,a,a,100,1', // line 5: slug
      'mugicha,tea,,,麦茶,Barley Tea,,,,9,,MUGI-1,a,a,１００,1', // line 6: tax rate, full-width price
      'mugicha2,nosuch,,,麦茶,Barley Tea,,,,8,,DASHI-KOMBU-10,a,a,100,1', // line 7: new category without names, SKU taken in line 2
      'kombu-dashi,,,,昆布だし,,,,,,,DASHI-KOMBU-60,60袋,60 packs,3000,1', // line 8: differs from line 2's name
      'card,food,,,4111 1111 1111 1111,Card,,,,8,,CARD-1,a,a,100,1', // line 9: a card number
      'empty,food,,,,,,,,8,,,a,a,100,1', // line 10: required names and SKU
    ]);
    const r = await planCatalogImport(shop.db.db, bad, 'auto');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      { line: 5, column: '商品URL名', code: 'INVALID' },
      { line: 6, column: '税率', code: 'INVALID' },
      { line: 6, column: '価格（税込）', code: 'INVALID' },
      { line: 7, column: 'SKU', code: 'DUPLICATE_SKU', otherLine: 2 },
      { line: 8, column: '商品名（日本語）', code: 'PRODUCT_FIELD_DIFFERS', otherLine: 2 },
      { line: 9, column: '商品名（日本語）', code: 'CARD_NUMBER' },
      { line: 10, column: '商品名（日本語）', code: 'REQUIRED' },
      { line: 10, column: '商品名（英語）', code: 'REQUIRED' },
      { line: 10, column: 'SKU', code: 'REQUIRED' },
    ]);
    expect(await counts()).toEqual(before);

    // Through the page: the same list, in Japanese, with status 422, the card number not echoed.
    const b = await signIn(shop, 'owner@example.jp', owner.account.id, owner.secret);
    const form = await b.get('/admin/products/import');
    const res = await uploadCsv(shop, b, csrfTokenIfAny(form.body), bad, 'dry-run');
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('9 件の誤りがあります。何も書き込んでいません。');
    expect(res.body).toContain('同じ商品の別の行と値が違います。（2 行目）');
    expect(res.body).not.toMatch(/4111/);
    expect(await counts()).toEqual(before);
  });

  it('imports a good Shift_JIS file in one go, creating the category, and the products can be found', async () => {
    const before = await counts();
    const file = sjisFile(GOOD_ROWS);
    const dry = await planCatalogImport(shop.db.db, file, 'auto');
    expect(dry.ok && dry.plan.counts).toEqual({ productsCreated: 2, productsUpdated: 0, variantsCreated: 3, variantsUpdated: 0, categoriesCreated: 1, categoriesRenamed: 0, stockChanged: 0 });
    expect(await counts()).toEqual(before); // the dry run wrote nothing

    const b = await signIn(shop, 'owner@example.jp', owner.account.id, owner.secret);
    const form = await b.get('/admin/products/import');
    const res = await uploadCsv(shop, b, csrfTokenIfAny(form.body), file, 'import');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('3 行を取り込みました。');
    expect(await counts()).toEqual({ products: before.products + 2, variants: before.variants + 3, categories: before.categories + 1 });
    expect((await listProducts(shop.db.db, { search: 'こんぶ' }, { limit: 10 })).map((p) => p.slug)).toEqual(['kombu-dashi']);
    expect((await listProducts(shop.db.db, { categorySlug: 'dashi' }, { limit: 10 })).map((p) => p.slug)).toEqual(['kombu-dashi']);
    const audit = await (shop.db.db as any).selectFrom('audit_log').where('action', '=', 'catalog.imported').select('after_json').executeTakeFirst();
    expect(audit).toBeDefined();
  });

  it('updates prices and stock from an exported file, and an export imports back unchanged', async () => {
    const exported = await exportCatalogCsv(shop.db.db, 'ja', 'utf-8');
    const again = await planCatalogImport(shop.db.db, exported, 'auto');
    expect(again.ok).toBe(true);
    if (!again.ok) return;
    expect(again.plan.counts).toMatchObject({ productsCreated: 0, variantsCreated: 0, categoriesCreated: 0, categoriesRenamed: 0, stockChanged: 0 });

    const text = exported.toString('utf8').replace('"DASHI-KOMBU-10","10袋","10 packs",648,30', '"DASHI-KOMBU-10","10袋","10 packs",700,25');
    const plan = await planCatalogImport(shop.db.db, Buffer.from(text), 'auto');
    expect(plan.ok && plan.plan.counts.stockChanged).toBe(1);
    if (!plan.ok) return;
    expect(await applyCatalogImport(shop.db.db, plan.plan, by())).toEqual({ ok: true });
    const v = await shop.db.db.selectFrom('variants').where('sku', '=', 'DASHI-KOMBU-10').select(['price', 'stock', 'id']).executeTakeFirstOrThrow();
    expect(v).toMatchObject({ price: 700, stock: 25 });
    const adj = await adminDb(shop.db.db).selectFrom('admin_stock_adjustments').where('variant_id', '=', v.id).select(['delta', 'stock_after', 'reason']).execute();
    expect(adj).toEqual([{ delta: -5, stock_after: 25, reason: 'CSV import' }]);
  });

  it('writes nothing when stock moved between the check and the write (a checkout reserved units)', async () => {
    const text = (await exportCatalogCsv(shop.db.db, 'en', 'utf-8')).toString('utf8')
      .replace('"DASHI-KOMBU-30","30袋","30 packs",1728,12', '"DASHI-KOMBU-30","30袋","30 packs",1800,50')
      .replace('"YUZU-KOSHO-50G","50g","50 g",702,20', '"YUZU-KOSHO-50G","50g","50 g",702,40');
    const plan = await planCatalogImport(shop.db.db, Buffer.from(text), 'auto');
    if (!plan.ok) throw new Error('plan failed');
    await shop.db.db.updateTable('variants').set({ stock: 19 }).where('sku', '=', 'YUZU-KOSHO-50G').execute();
    const r = await applyCatalogImport(shop.db.db, plan.plan, by());
    expect(r).toMatchObject({ ok: false, errors: [{ code: 'STOCK_CHANGED' }] });
    // Not even the earlier row's price and stock: the whole file rolled back.
    expect(await shop.db.db.selectFrom('variants').where('sku', '=', 'DASHI-KOMBU-30').select(['price', 'stock']).executeTakeFirstOrThrow()).toEqual({ price: 1728, stock: 12 });
  });

  it('exports Shift_JIS that Excel in Japan reads, with formula-looking text kept safe and imported back as it was', async () => {
    await shop.db.db.updateTable('products').set({ description_en: '=HYPERLINK("x")' }).where('slug', '=', 'yuzu-kosho').execute();
    const sjis = await exportCatalogCsv(shop.db.db, 'ja', 'shift_jis');
    const text = iconv.decode(sjis, 'CP932');
    expect(text.split('\r\n')[0]).toBe(JA_HEADER.split(',').map((h) => `"${h}"`).join(','));
    expect(text).toContain(`"'=HYPERLINK(""x"")"`);
    const plan = await planCatalogImport(shop.db.db, sjis, 'auto');
    expect(plan.ok && plan.plan.products.find((p) => p.slug === 'yuzu-kosho')!.description_en).toBe('=HYPERLINK("x")');
  });

  it('writes nothing of a file of several chunks when its last row fails (stock moved, or its new SKU was taken meanwhile)', async () => {
    const auditEntries = async () => Number((await (shop.db.db as any).selectFrom('audit_log').where('action', '=', 'catalog.imported').select((eb: any) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const kombu = await shop.db.db.selectFrom('variants').where('sku', '=', 'DASHI-KOMBU-10').select(['id', 'stock', 'price', 'product_id']).executeTakeFirstOrThrow();
    // 1,200 new rows (three write chunks) before the last one.
    const many = Array.from({ length: WRITE_CHUNK_ROWS * 2 + 200 }, (_, i) => `bulk-${i},food,,,一括${i},Bulk ${i},,,,8,,BULK-${i},a,a,100,1`);
    const before = { ...(await counts()), audit: await auditEntries() };

    const stockRow = `kombu-dashi,dashi,,,昆布だしパック,Kombu Dashi Packs,北海道産の昆布,Hokkaido kombu,こんぶだし,8,公開,DASHI-KOMBU-10,10袋,10 packs,${kombu.price + 1},${kombu.stock + 7}`;
    const stockPlan = await planCatalogImport(shop.db.db, sjisFile([...many, stockRow]), 'auto');
    if (!stockPlan.ok) throw new Error(JSON.stringify(stockPlan.errors.slice(0, 3)));
    await shop.db.db.updateTable('variants').set({ stock: kombu.stock - 1 }).where('id', '=', kombu.id).execute(); // a checkout reserved one
    expect(await applyCatalogImport(shop.db.db, stockPlan.plan, by())).toEqual({ ok: false, errors: [{ line: many.length + 2, code: 'STOCK_CHANGED' }] });
    expect({ ...(await counts()), audit: await auditEntries() }).toEqual(before);
    expect(await shop.db.db.selectFrom('variants').where('id', '=', kombu.id).select(['price', 'stock']).executeTakeFirstOrThrow()).toEqual({ price: kombu.price, stock: kombu.stock - 1 });

    const takenPlan = await planCatalogImport(shop.db.db, sjisFile([...many, 'late,food,,,遅い,Late,,,,8,,LATE-1,a,a,100,1']), 'auto');
    if (!takenPlan.ok) throw new Error('plan failed');
    await shop.db.db.insertInto('variants').values({ product_id: kombu.product_id, sku: 'LATE-1', name_ja: 'x', name_en: 'x', price: 1, stock: 1, position: 9 }).execute();
    await expect(applyCatalogImport(shop.db.db, takenPlan.plan, by())).rejects.toThrow();
    expect({ ...(await counts()), audit: await auditEntries() }).toEqual({ ...before, variants: before.variants + 1 });
    expect(await shop.db.db.selectFrom('products').where('slug', 'like', 'bulk-%').select('id').execute()).toEqual([]);
    await shop.db.db.deleteFrom('variants').where('sku', '=', 'LATE-1').execute();
    await shop.db.db.updateTable('variants').set({ stock: kombu.stock }).where('id', '=', kombu.id).execute();
  });

  it('tells its progress while checking and writing a file of several chunks', async () => {
    const rows = Array.from({ length: WRITE_CHUNK_ROWS * 2 + 1 }, (_, i) => `progress-${i},food,,,進捗${i},Progress ${i},,,,8,,PROGRESS-${i},a,a,100,1`);
    const seen: string[] = [];
    const onProgress = (phase: string, done: number, total: number) => { seen.push(`${phase} ${done}/${total}`); };
    const plan = await planCatalogImport(shop.db.db, sjisFile(rows), 'auto', { onProgress });
    if (!plan.ok) throw new Error('plan failed');
    expect(await applyCatalogImport(shop.db.db, plan.plan, by(), { onProgress })).toEqual({ ok: true });
    expect(seen).toEqual(['checking 500/1001', 'checking 1000/1001', 'checking 1001/1001', 'writing 500/1001', 'writing 1000/1001', 'writing 1001/1001']);
  });

  it('lets owner and staff in, not the auditor', async () => {
    const auditor = await enrolledAccount(shop, 'auditor@example.jp', 'auditor');
    const a = await signIn(shop, 'auditor@example.jp', auditor.account.id, auditor.secret);
    expect((await a.get('/admin/products/import')).statusCode).toBe(403);
    expect((await a.get('/admin/products.csv')).statusCode).toBe(403);
  });
});
