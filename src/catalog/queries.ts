import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { isPostgres } from '../db/migrate.ts';
import { searchTerms } from './search-text.ts';

export interface ProductSummary {
  id: number;
  slug: string;
  name_ja: string;
  name_en: string;
  description_ja: string;
  description_en: string;
  tax_rate: number;
  category_slug: string;
  min_price: number;
  total_stock: number;
  image_path: string | null;
  image_alt_ja: string | null;
  image_alt_en: string | null;
}

export interface ProductFilter {
  categorySlug?: string;
  /**
   * Search over names, readings (読み), category names and descriptions in both languages; every
   * word must be found, after the normalisation of search-text.ts on both sides.
   */
  search?: string;
}

/** Escapes LIKE wildcards so a customer's `%` or `_` matches itself. */
function escapeLike(q: string): string {
  return q.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function filteredProducts(db: Kysely<Database>, f: ProductFilter) {
  let q = db
    .selectFrom('products as p')
    .innerJoin('categories as c', 'c.id', 'p.category_id')
    .where('p.status', '=', 'active');
  if (f.categorySlug) q = q.where('c.slug', '=', f.categorySlug);
  for (const term of f.search ? searchTerms(f.search) : []) {
    const pattern = `%${escapeLike(term)}%`;
    q = isPostgres(db)
      ? // pg_trgm's GIN index serves LIKE on search_text.
        q.where(sql<boolean>`p.search_text like ${pattern} escape '\\'`)
      : // FTS5's trigram tokenizer serves LIKE on the virtual table (patterns of 3+ characters;
        // shorter ones, like 抹茶, fall back to scanning it, which is still correct).
        q.where('p.id', 'in', sql<number>`(select rowid from product_search where search_text like ${pattern} escape '\\')`);
  }
  return q;
}

/**
 * Products whose name or reading is the whole query come first, then those whose name or reading
 * contains it, then matches in category names and descriptions.
 */
function nameMatchRank(query: string) {
  const exact = `%\n${escapeLike(query)}\n%`;
  const within = `%${escapeLike(query)}%`;
  return sql<number>`case when ('\n' || p.search_name || '\n') like ${exact} escape '\\' then 0 when p.search_name like ${within} escape '\\' then 1 else 2 end`;
}

export async function countProducts(db: Kysely<Database>, f: ProductFilter): Promise<number> {
  const r = await filteredProducts(db, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function listProducts(
  db: Kysely<Database>,
  f: ProductFilter,
  page: { limit: number; offset?: number; afterId?: number },
): Promise<ProductSummary[]> {
  let q = filteredProducts(db, f);
  if (page.afterId !== undefined) q = q.where('p.id', '>', page.afterId);
  return q
    .select([
      'p.id', 'p.slug', 'p.name_ja', 'p.name_en', 'p.description_ja', 'p.description_en', 'p.tax_rate',
      'c.slug as category_slug',
    ])
    .select((eb) => [
      eb.selectFrom('variants as v').whereRef('v.product_id', '=', 'p.id').select((e) => e.fn.min<number>('v.price').as('m')).as('min_price'),
      eb.selectFrom('variants as v').whereRef('v.product_id', '=', 'p.id').select((e) => e.fn.sum<number>('v.stock').as('s')).as('total_stock'),
      eb.selectFrom('product_images as i').whereRef('i.product_id', '=', 'p.id').orderBy('i.position').orderBy('i.id').limit(1).select('i.path').as('image_path'),
      eb.selectFrom('product_images as i').whereRef('i.product_id', '=', 'p.id').orderBy('i.position').orderBy('i.id').limit(1).select('i.alt_ja').as('image_alt_ja'),
      eb.selectFrom('product_images as i').whereRef('i.product_id', '=', 'p.id').orderBy('i.position').orderBy('i.id').limit(1).select('i.alt_en').as('image_alt_en'),
    ])
    .$if(f.search !== undefined && searchTerms(f.search).length > 0, (qb) => qb.orderBy(nameMatchRank(searchTerms(f.search!).join(' '))))
    .orderBy('p.id')
    .limit(page.limit)
    .offset(page.offset ?? 0)
    .execute()
    .then((rows) => rows.map((r) => ({ ...r, min_price: Number(r.min_price ?? 0), total_stock: Number(r.total_stock ?? 0) })));
}

export async function listCategories(db: Kysely<Database>) {
  return db.selectFrom('categories').selectAll().orderBy('position').orderBy('id').execute();
}

export async function findProductBySlug(db: Kysely<Database>, slug: string) {
  const product = await db
    .selectFrom('products as p')
    .innerJoin('categories as c', 'c.id', 'p.category_id')
    .where('p.slug', '=', slug)
    .where('p.status', '=', 'active')
    .select(['p.id', 'p.slug', 'p.name_ja', 'p.name_en', 'p.description_ja', 'p.description_en', 'p.tax_rate', 'p.updated_at', 'c.slug as category_slug', 'c.name_ja as category_name_ja', 'c.name_en as category_name_en'])
    .executeTakeFirst();
  if (!product) return undefined;
  const [variants, images] = await Promise.all([
    db.selectFrom('variants').where('product_id', '=', product.id).selectAll().orderBy('position').orderBy('id').execute(),
    db.selectFrom('product_images').where('product_id', '=', product.id).selectAll().orderBy('position').orderBy('id').execute(),
  ]);
  return { ...product, variants, images };
}
export type ProductDetail = NonNullable<Awaited<ReturnType<typeof findProductBySlug>>>;

/** Products with their variants and images in three queries, whatever the page size (the API's list). */
export async function listProductDetails(db: Kysely<Database>, f: ProductFilter, page: { limit: number; afterId?: number | undefined }): Promise<ProductDetail[]> {
  let q = filteredProducts(db, f);
  if (page.afterId !== undefined) q = q.where('p.id', '>', page.afterId);
  const products = await q
    .select(['p.id', 'p.slug', 'p.name_ja', 'p.name_en', 'p.description_ja', 'p.description_en', 'p.tax_rate', 'p.updated_at', 'c.slug as category_slug', 'c.name_ja as category_name_ja', 'c.name_en as category_name_en'])
    .orderBy('p.id')
    .limit(page.limit)
    .execute();
  if (products.length === 0) return [];
  const ids = products.map((p) => p.id);
  const [variants, images] = await Promise.all([
    db.selectFrom('variants').where('product_id', 'in', ids).selectAll().orderBy('product_id').orderBy('position').orderBy('id').execute(),
    db.selectFrom('product_images').where('product_id', 'in', ids).selectAll().orderBy('product_id').orderBy('position').orderBy('id').execute(),
  ]);
  return products.map((p) => ({ ...p, variants: variants.filter((v) => v.product_id === p.id), images: images.filter((i) => i.product_id === p.id) }));
}

export async function listProductSlugs(db: Kysely<Database>) {
  return db.selectFrom('products').where('status', '=', 'active').select(['slug', 'updated_at']).orderBy('id').execute();
}
