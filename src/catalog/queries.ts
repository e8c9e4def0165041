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

/** How a listing is ordered: the shop's own order (by id, the default), newest, price, units sold. */
export const PRODUCT_SORTS = ['recommended', 'new', 'price-asc', 'price-desc', 'popular'] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];

export interface ProductFilter {
  categorySlug?: string | undefined;
  /** Only products with at least one variant in stock. */
  inStock?: boolean | undefined;
  sort?: ProductSort | undefined;
  /**
   * The shop's clock: drafts, and products whose publish_at is still ahead of it, are invisible.
   * Callers in the shop pass `shop.clock()`; absent, the real time.
   */
  now?: Date | undefined;
  /**
   * Search over names, readings (読み), category names and descriptions in both languages; every
   * word must be found, after the normalisation of search-text.ts on both sides.
   */
  search?: string | undefined;
}

/** What a visitor may see: on sale, published, and due (publish_at null or not ahead of `now`). */
function visibleAt<Q extends { where: (...args: any[]) => Q }>(q: Q, now: Date | undefined): Q {
  const at = (now ?? new Date()).toISOString();
  return q.where('p.status', '=', 'active').where('p.publication', '=', 'published')
    .where((eb: any) => eb.or([eb('p.publish_at', 'is', null), eb('p.publish_at', '<=', at)]));
}

/** Units of the product in paid (or since shipped) orders: a few index lookups per product (order_items_variant_idx). */
const unitsSold = sql<number>`(select coalesce(sum(oi.quantity), 0) from order_items oi inner join variants sv on sv.id = oi.variant_id inner join orders so on so.id = oi.order_id where sv.product_id = p.id and so.status in ('paid', 'fulfilled'))`;
const minPrice = sql<number>`(select min(pv.price) from variants pv where pv.product_id = p.id)`;
// When a product became visible: its scheduled time, else when it was created.
const publishedAt = sql<string>`coalesce(p.publish_at, p.created_at)`;

/** Escapes LIKE wildcards so a customer's `%` or `_` matches itself. */
function escapeLike(q: string): string {
  return q.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function filteredProducts(db: Kysely<Database>, f: ProductFilter) {
  let q = visibleAt(db
    .selectFrom('products as p')
    .innerJoin('categories as c', 'c.id', 'p.category_id'), f.now);
  if (f.categorySlug) q = q.where('c.slug', '=', f.categorySlug);
  if (f.inStock) q = q.where(sql<boolean>`exists (select 1 from variants iv where iv.product_id = p.id and iv.stock > 0)`);
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

/** ORDER BY for a listing: an explicit sort wins; else a search ranks name matches first; id breaks ties. */
function ordered<Q extends { orderBy: (...args: any[]) => Q }>(q: Q, f: ProductFilter): Q {
  const sort = f.sort ?? 'recommended';
  if (sort === 'new') q = q.orderBy(publishedAt, 'desc').orderBy('p.id', 'desc');
  else if (sort === 'price-asc') q = q.orderBy(minPrice, 'asc');
  else if (sort === 'price-desc') q = q.orderBy(minPrice, 'desc');
  else if (sort === 'popular') q = q.orderBy(unitsSold, 'desc');
  else if (f.search !== undefined && searchTerms(f.search).length > 0) q = q.orderBy(nameMatchRank(searchTerms(f.search).join(' ')));
  return q.orderBy('p.id');
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
    .$call((qb) => ordered(qb, f))
    .limit(page.limit)
    .offset(page.offset ?? 0)
    .execute()
    .then((rows) => rows.map((r) => ({ ...r, min_price: Number(r.min_price ?? 0), total_stock: Number(r.total_stock ?? 0) })));
}

export async function listCategories(db: Kysely<Database>) {
  return db.selectFrom('categories').selectAll().orderBy('position').orderBy('id').execute();
}

/** A product a visitor may see at `now` (a draft or a not-yet-due product: undefined, so 404). */
export async function findProductBySlug(db: Kysely<Database>, slug: string, now?: Date) {
  const product = await visibleAt(db
    .selectFrom('products as p')
    .innerJoin('categories as c', 'c.id', 'p.category_id')
    .where('p.slug', '=', slug), now)
    .select(['p.id', 'p.slug', 'p.name_ja', 'p.name_en', 'p.description_ja', 'p.description_en', 'p.tax_rate', 'p.updated_at', 'p.category_id', 'c.slug as category_slug', 'c.name_ja as category_name_ja', 'c.name_en as category_name_en'])
    .executeTakeFirst();
  if (!product) return undefined;
  const [variants, images] = await Promise.all([
    db.selectFrom('variants').where('product_id', '=', product.id).selectAll().orderBy('position').orderBy('id').execute(),
    db.selectFrom('product_images').where('product_id', '=', product.id).selectAll().orderBy('position').orderBy('id').execute(),
  ]);
  return { ...product, variants, images };
}
export type ProductDetail = NonNullable<Awaited<ReturnType<typeof findProductBySlug>>>;

/** Any product by id, visible or not, with its state: the back office's preview. */
export async function findProductForPreview(db: Kysely<Database>, id: number) {
  const product = await db
    .selectFrom('products as p')
    .innerJoin('categories as c', 'c.id', 'p.category_id')
    .where('p.id', '=', id)
    .select(['p.id', 'p.slug', 'p.name_ja', 'p.name_en', 'p.description_ja', 'p.description_en', 'p.tax_rate', 'p.updated_at', 'p.category_id', 'c.slug as category_slug', 'c.name_ja as category_name_ja', 'c.name_en as category_name_en', 'p.status', 'p.publication', 'p.publish_at'])
    .executeTakeFirst();
  if (!product) return undefined;
  const [variants, images] = await Promise.all([
    db.selectFrom('variants').where('product_id', '=', product.id).selectAll().orderBy('position').orderBy('id').execute(),
    db.selectFrom('product_images').where('product_id', '=', product.id).selectAll().orderBy('position').orderBy('id').execute(),
  ]);
  return { ...product, variants, images };
}

/** Products with their variants and images in three queries, whatever the page size (the API's list). */
export async function listProductDetails(db: Kysely<Database>, f: ProductFilter, page: { limit: number; afterId?: number | undefined; offset?: number | undefined }): Promise<ProductDetail[]> {
  let q = filteredProducts(db, f);
  if (page.afterId !== undefined) q = q.where('p.id', '>', page.afterId);
  const products = await q
    .select(['p.id', 'p.slug', 'p.name_ja', 'p.name_en', 'p.description_ja', 'p.description_en', 'p.tax_rate', 'p.updated_at', 'p.category_id', 'c.slug as category_slug', 'c.name_ja as category_name_ja', 'c.name_en as category_name_en'])
    .$call((qb) => ordered(qb, f))
    .limit(page.limit)
    .offset(page.offset ?? 0)
    .execute();
  if (products.length === 0) return [];
  const ids = products.map((p) => p.id);
  const [variants, images] = await Promise.all([
    db.selectFrom('variants').where('product_id', 'in', ids).selectAll().orderBy('product_id').orderBy('position').orderBy('id').execute(),
    db.selectFrom('product_images').where('product_id', 'in', ids).selectAll().orderBy('product_id').orderBy('position').orderBy('id').execute(),
  ]);
  return products.map((p) => ({ ...p, variants: variants.filter((v) => v.product_id === p.id), images: images.filter((i) => i.product_id === p.id) }));
}

/** What the sitemap lists: the products a visitor may see at `now`. */
export async function listProductSlugs(db: Kysely<Database>, now?: Date) {
  return visibleAt(db.selectFrom('products as p'), now).select(['p.slug', 'p.updated_at']).orderBy('p.id').execute();
}

/**
 * The earliest publish_at still ahead of `now` among products that will then become visible: the
 * catalog cache drops its copy when the clock passes it (catalog-cache.ts).
 */
export async function nextScheduledPublish(db: Kysely<Database>, now: Date): Promise<Date | undefined> {
  const r = await db.selectFrom('products as p').where('p.status', '=', 'active').where('p.publication', '=', 'published')
    .where('p.publish_at', '>', now.toISOString()).select((eb) => eb.fn.min<string>('p.publish_at').as('at')).executeTakeFirst();
  return r?.at ? new Date(r.at) : undefined;
}
