// Seeds the demo catalog once (first start), with images generated into the data folder
// so the shop serves them itself and the CSP can stay img-src 'self'.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { DEMO_CATEGORIES, DEMO_PRODUCTS } from './demo-catalog.ts';
import { renderDemoImageSvg } from './demo-image.ts';
import { productSearchName, productSearchText } from './search-text.ts';

const SEEDED_KEY = 'demo_catalog_seeded_at';

export async function seedDemoCatalogOnce(db: Kysely<Database>, mediaDir: string, now = new Date()): Promise<boolean> {
  const seeded = await db.selectFrom('app_meta').where('key', '=', SEEDED_KEY).select('value').executeTakeFirst();
  if (seeded) return false;

  await mkdir(path.join(mediaDir, 'demo'), { recursive: true });
  for (const p of DEMO_PRODUCTS) {
    for (const [i, image] of p.images.entries()) {
      await writeFile(path.join(mediaDir, 'demo', `${p.slug}-${i + 1}.svg`), renderDemoImageSvg(image, p.nameEn));
    }
  }

  const ts = now.toISOString();
  await db.transaction().execute(async (trx) => {
    const categoryIds = new Map<string, number>();
    for (const [position, c] of DEMO_CATEGORIES.entries()) {
      const row = await trx.insertInto('categories').values({ slug: c.slug, name_ja: c.nameJa, name_en: c.nameEn, position }).returning('id').executeTakeFirstOrThrow();
      categoryIds.set(c.slug, row.id);
    }
    for (const p of DEMO_PRODUCTS) {
      const fields = { name_ja: p.nameJa, name_en: p.nameEn, description_ja: p.descriptionJa, description_en: p.descriptionEn, reading: p.reading };
      const category = DEMO_CATEGORIES.find((c) => c.slug === p.category)!;
      const product = await trx
        .insertInto('products')
        .values({
          slug: p.slug,
          category_id: categoryIds.get(p.category)!,
          ...fields,
          tax_rate: p.taxRate,
          status: 'active',
          search_text: productSearchText({ ...fields, category_name_ja: category.nameJa, category_name_en: category.nameEn }),
          search_name: productSearchName(fields),
          created_at: ts,
          updated_at: ts,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.insertInto('product_images').values(
        p.images.map((im, i) => ({ product_id: product.id, path: `demo/${p.slug}-${i + 1}.svg`, alt_ja: im.altJa, alt_en: im.altEn, position: i })),
      ).execute();
      await trx.insertInto('variants').values(
        p.variants.map((v, i) => ({ product_id: product.id, sku: v.sku, name_ja: v.nameJa, name_en: v.nameEn, price: v.price, stock: v.stock, position: i })),
      ).execute();
    }
    await trx.insertInto('app_meta').values({ key: SEEDED_KEY, value: ts }).execute();
  });
  return true;
}
