// Keeps products.search_text / search_name in step with the normalisation in search-text.ts: on
// start (when SEARCH_INDEX_VERSION changed, e.g. after an upgrade) and when a product or a category
// name changes.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { SEARCH_INDEX_VERSION, productSearchName, productSearchText } from './search-text.ts';

const VERSION_KEY = 'product_search_index_version';

async function reindex(db: Kysely<Database>, where?: { categoryId?: number; productId?: number }): Promise<number> {
  let q = db
    .selectFrom('products as p')
    .innerJoin('categories as c', 'c.id', 'p.category_id')
    .select(['p.id', 'p.name_ja', 'p.name_en', 'p.description_ja', 'p.description_en', 'p.reading', 'c.name_ja as category_name_ja', 'c.name_en as category_name_en']);
  if (where?.categoryId !== undefined) q = q.where('p.category_id', '=', where.categoryId);
  if (where?.productId !== undefined) q = q.where('p.id', '=', where.productId);
  const rows = await q.execute();
  for (const r of rows) {
    await db.updateTable('products').set({ search_text: productSearchText(r), search_name: productSearchName(r) }).where('id', '=', r.id).execute();
  }
  return rows.length;
}

/** Re-indexes every product once after the normalisation changed; a no-op otherwise. */
export async function ensureProductSearchIndexCurrent(db: Kysely<Database>): Promise<boolean> {
  const current = await db.selectFrom('app_meta').where('key', '=', VERSION_KEY).select('value').executeTakeFirst();
  if (current?.value === SEARCH_INDEX_VERSION) return false;
  await db.transaction().execute(async (trx) => {
    await reindex(trx);
    // Two instances starting together both re-index (same result); the second write just agrees.
    await trx.insertInto('app_meta').values({ key: VERSION_KEY, value: SEARCH_INDEX_VERSION })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: SEARCH_INDEX_VERSION })).execute();
  });
  return true;
}

/** After a product's names, readings, descriptions or category changed. */
export async function reindexProduct(db: Kysely<Database>, productId: number): Promise<void> {
  await reindex(db, { productId });
}

/** After a category was renamed: its name is part of its products' search text. */
export async function reindexCategory(db: Kysely<Database>, categoryId: number): Promise<void> {
  await reindex(db, { categoryId });
}
