// What a Japanese shopper types, and what each query must find in the demo catalog: the exact
// set of products (nothing missing, nothing extra), on both databases.
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { openMigratedDatabase, type MigratedTestDatabase } from '../../test/support/migrated-database.ts';
import { seedDemoCatalogOnce } from './seed-demo-catalog.ts';
import { ensureProductSearchIndexCurrent, reindexCategory } from './search-index.ts';
import { countProducts, listProducts } from './queries.ts';
import { normalizeForSearch } from './search-text.ts';

const TEA = ['uji-matcha-latte', 'organic-uji-matcha', 'shizuoka-fukamushi-sencha', 'kaga-bo-hojicha'];
const MATCHA = ['uji-matcha-latte', 'organic-uji-matcha', 'matcha-dorayaki'];

/** [query, slugs it must find, exactly]. */
const QUERIES: [string, string[]][] = [
  ['お茶', [...TEA, 'kokuto-karinto']], // the category, plus karinto's "お茶の時間"
  ['抹茶', MATCHA],
  ['まっちゃ', MATCHA],
  ['マッチャ', MATCHA],
  ['ﾏｯﾁｬ', MATCHA],
  ['matcha', MATCHA],
  ['MATCHA', MATCHA],
  ['Ｍａｔｃｈａ', MATCHA],
  ['抹茶 ラテ', ['uji-matcha-latte']],
  ['抹茶　ラテ', ['uji-matcha-latte']], // full-width space, as a Japanese IME types it
  ['まっちゃらて', ['uji-matcha-latte']],
  ['Tシャツ', ['organic-cotton-t-shirt']],
  ['tシャツ', ['organic-cotton-t-shirt']],
  ['Ｔシャツ', ['organic-cotton-t-shirt']],
  ['ｔしゃつ', ['organic-cotton-t-shirt']],
  ['てぃーしゃつ', ['organic-cotton-t-shirt']],
  ['ティシャツ', ['organic-cotton-t-shirt']], // without the long-vowel mark
  ['オーガニック', ['organic-cotton-t-shirt']],
  ['おーがにっく', ['organic-cotton-t-shirt']],
  ['ほうじ茶', ['kaga-bo-hojicha']],
  ['ホウジチャ', ['kaga-bo-hojicha']],
  ['せんちゃ', ['shizuoka-fukamushi-sencha']],
  ['煎茶', ['shizuoka-fukamushi-sencha']],
  ['緑茶', []], // no product says 緑茶 in kanji, and readings are kana: an honest miss
  ['りょくちゃ', ['shizuoka-fukamushi-sencha']],
  ['どらやき', ['matcha-dorayaki']],
  ['ドラ焼き', ['matcha-dorayaki']], // ドラ folds to どら, and 焼き is in the name
  ['ぽんず', ['yuzu-ponzu']],
  ['ポン酢', ['yuzu-ponzu']], // ポン folds to the name's ぽん
  ['ゆず', ['yuzu-ponzu']],
  ['かりんとう', ['kokuto-karinto']],
  ['みそ', ['shinshu-kome-miso']],
  ['味噌', []],
  ['じんべえ', ['cotton-linen-jinbei']],
  ['甚平', ['cotton-linen-jinbei']],
  ['てぬぐい', ['chusen-tenugui-asanoha']],
  ['手ぬぐい', []],
  ['マグカップ', ['hasami-porcelain-mug']],
  ['mug', ['hasami-porcelain-mug']],
  ['トートバッグ', ['kurashiki-canvas-tote']],
  ['衣類', ['organic-cotton-t-shirt', 'aizome-linen-shirt', 'cotton-linen-jinbei']],
  ['clothing', ['organic-cotton-t-shirt', 'aizome-linen-shirt', 'cotton-linen-jinbei']],
  ['宇治', ['uji-matcha-latte', 'organic-uji-matcha', 'matcha-dorayaki']],
  ['100%', []],
  ['_', []],
];

describeEachDatabase('storefront search', (database) => {
  let t: MigratedTestDatabase;
  beforeAll(async () => {
    t = await openMigratedDatabase(database);
    await seedDemoCatalogOnce(t.db, path.join(t.dataDir, 'media'));
    await ensureProductSearchIndexCurrent(t.db);
  });
  afterAll(async () => t.dispose());

  const slugsFor = async (q: string) => (await listProducts(t.db, { search: q }, { limit: 50 })).map((p) => p.slug);

  it.each(QUERIES)('%s finds exactly its products', async (q, expected) => {
    const found = await slugsFor(q);
    expect([...found].sort()).toEqual([...expected].sort());
    expect(await countProducts(t.db, { search: q })).toBe(expected.length);
  });

  it('ranks a product whose name is the query before mentions in descriptions and categories', async () => {
    // 抹茶: all three have it in their names; お茶: the category's products before karinto's description.
    expect((await slugsFor('お茶')).at(-1)).toBe('kokuto-karinto');
    // どら焼き's reading is exactly どらやき; only it matches anyway, so check a shared word instead:
    // 有機宇治抹茶's name contains 宇治 as does 宇治抹茶ラテ; 抹茶どら焼き only in its description.
    expect((await slugsFor('宇治')).at(-1)).toBe('matcha-dorayaki');
    // A reading that is the whole query ranks first: せんちゃ is a reading of the sencha only.
    expect((await slugsFor('ゆうきうじまっちゃ'))[0]).toBe('organic-uji-matcha');
  });

  it('finds a product by its category after the category is renamed and re-indexed', async () => {
    const cat = await t.db.selectFrom('categories').where('slug', '=', 'homeware').select('id').executeTakeFirstOrThrow();
    expect(await slugsFor('日用品')).toEqual([]);
    await t.db.updateTable('categories').set({ name_ja: '日用品' }).where('id', '=', cat.id).execute();
    await reindexCategory(t.db, cat.id);
    expect((await slugsFor('日用品')).sort()).toEqual(['chusen-tenugui-asanoha', 'hasami-porcelain-mug', 'kurashiki-canvas-tote']);
  });

  it('re-indexes existing products once when the normalisation version changes', async () => {
    await t.db.updateTable('products').set({ search_text: 'stale', search_name: 'stale' }).execute();
    expect(await ensureProductSearchIndexCurrent(t.db)).toBe(false); // same version: untouched
    await t.db.updateTable('app_meta').set({ value: 'old' }).where('key', '=', 'product_search_index_version').execute();
    expect(await ensureProductSearchIndexCurrent(t.db)).toBe(true);
    expect((await slugsFor('まっちゃ')).sort()).toEqual([...MATCHA].sort());
  });
});

it('normalises the ways the same word is typed to one form', () => {
  expect(normalizeForSearch('ＴシャツﾃｨｰＳＨＩＲＴ')).toBe(normalizeForSearch('tしゃつてぃーshirt'));
  expect(normalizeForSearch('コーヒー')).toBe('こひ');
  expect(normalizeForSearch('  抹茶　 ラテ ')).toBe('抹茶 らて');
  expect(normalizeForSearch('ヴァイオリン')).toBe(normalizeForSearch('ゔあいおりん'));
});
