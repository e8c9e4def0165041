// Catalog changes from the back office: products, variants, prices, tax rate, archive, stock
// adjustments with a reason. Each change is audited with before/after; the caller invalidates
// the storefront's catalog cache afterwards.
import type { AdminAccount, AdminDb } from './admin-tables.ts';
import { productSearchName, productSearchText } from '../catalog/search-text.ts';
import { appendAuditEntry } from '../audit/audit-log.ts';
import { firstFreeSlug, romanisedSlug } from '../catalog/slug-from-name.ts';
import { randomBytes } from 'node:crypto';

export interface ProductFields {
  /** Empty on create: romanised from the Japanese name (kana) or `p-<id>`; on update: kept. */
  slug?: string | undefined;
  categoryId: number;
  nameJa: string;
  nameEn: string;
  descriptionJa: string;
  descriptionEn: string;
  /** Reading keywords (読み) for search; optional for callers that predate it. */
  reading?: string;
  taxRate: 8 | 10;
  status: 'active' | 'archived';
  /** Draft: seen only in the back office; absent: published (callers that predate drafts). */
  publication?: 'draft' | 'published';
  /** UTC ISO instant from which it is visible; null: at once. */
  publishAt?: string | null;
}

export interface VariantFields {
  sku: string;
  nameJa: string;
  nameEn: string;
  price: number;
}

type Actor = { account: AdminAccount; ip: string; now: Date };

function productRow(f: ProductFields, category: { name_ja: string; name_en: string }) {
  const searchable = { name_ja: f.nameJa, name_en: f.nameEn, description_ja: f.descriptionJa, description_en: f.descriptionEn, reading: f.reading ?? '' };
  return {
    ...(f.slug ? { slug: f.slug } : {}),
    ...(f.publication ? { publication: f.publication } : {}),
    ...(f.publishAt !== undefined ? { publish_at: f.publishAt } : {}),
    category_id: f.categoryId, name_ja: f.nameJa, name_en: f.nameEn, description_ja: f.descriptionJa, description_en: f.descriptionEn,
    reading: searchable.reading, tax_rate: f.taxRate, status: f.status,
    search_text: productSearchText({ ...searchable, category_name_ja: category.name_ja, category_name_en: category.name_en }),
    search_name: productSearchName(searchable),
  };
}

async function slugTaken(db: AdminDb, slug: string, exceptId?: number) {
  let q = db.selectFrom('products').where('slug', '=', slug).select('id');
  if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

async function skuTaken(db: AdminDb, sku: string, exceptId?: number) {
  let q = db.selectFrom('variants').where('sku', '=', sku).select('id');
  if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

async function findCategory(db: AdminDb, id: number) {
  return db.selectFrom('categories').where('id', '=', id).select(['name_ja', 'name_en']).executeTakeFirst();
}

export type CatalogChangeError = 'SLUG_TAKEN' | 'SKU_TAKEN' | 'CATEGORY_NOT_FOUND' | 'PRODUCT_NOT_FOUND' | 'VARIANT_NOT_FOUND' | 'NEGATIVE_STOCK';

export async function createProduct(db: AdminDb, product: ProductFields, firstVariant: VariantFields & { stock: number }, by: Actor): Promise<{ ok: true; productId: number } | { ok: false; error: CatalogChangeError }> {
  const category = await findCategory(db, product.categoryId);
  if (!category) return { ok: false, error: 'CATEGORY_NOT_FOUND' };
  if (product.slug && await slugTaken(db, product.slug)) return { ok: false, error: 'SLUG_TAKEN' };
  if (await skuTaken(db, firstVariant.sku)) return { ok: false, error: 'SKU_TAKEN' };
  const at = by.now.toISOString();
  let slug = product.slug;
  const productId = await db.transaction().execute(async (trx) => {
    const romanised = slug ? undefined : romanisedSlug(product.nameJa);
    slug ??= romanised ? await firstFreeSlug(romanised, (s) => slugTaken(trx, s)) : undefined;
    // Without a text slug the row is inserted under a random placeholder and then named by its id.
    const p = await trx.insertInto('products').values({ ...productRow(product, category), slug: slug ?? `tmp-${randomBytes(8).toString('hex')}`, created_at: at, updated_at: at }).returning('id').executeTakeFirstOrThrow();
    if (!slug) {
      slug = (await firstFreeSlug(`p-${p.id}`, (s) => slugTaken(trx, s, p.id))) ?? `p-${p.id}-${randomBytes(3).toString('hex')}`;
      await trx.updateTable('products').set({ slug }).where('id', '=', p.id).execute();
    }
    await trx.insertInto('variants').values({ product_id: p.id, sku: firstVariant.sku, name_ja: firstVariant.nameJa, name_en: firstVariant.nameEn, price: firstVariant.price, stock: firstVariant.stock, position: 0 }).execute();
    return p.id;
  });
  await appendAuditEntry(db, { actor: `admin:${by.account.id}`, action: 'product.created', target: `product:${productId}`, ip: by.ip, after: { ...product, slug, variant: firstVariant }, at: by.now });
  return { ok: true, productId };
}

export async function updateProduct(db: AdminDb, productId: number, product: ProductFields, by: Actor): Promise<{ ok: true } | { ok: false; error: CatalogChangeError }> {
  const before = await db.selectFrom('products').where('id', '=', productId).selectAll().executeTakeFirst();
  if (!before) return { ok: false, error: 'PRODUCT_NOT_FOUND' };
  const category = await findCategory(db, product.categoryId);
  if (!category) return { ok: false, error: 'CATEGORY_NOT_FOUND' };
  if (product.slug && await slugTaken(db, product.slug, productId)) return { ok: false, error: 'SLUG_TAKEN' };
  await db.updateTable('products').set({ ...productRow(product, category), updated_at: by.now.toISOString() }).where('id', '=', productId).execute();
  const { search_text: _s, search_name: _n, ...beforeForAudit } = before;
  const action = before.status !== product.status ? (product.status === 'archived' ? 'product.archived' : 'product.restored')
    : product.publication && before.publication !== product.publication ? (product.publication === 'published' ? 'product.published' : 'product.unpublished')
      : 'product.updated';
  await appendAuditEntry(db, { actor: `admin:${by.account.id}`, action, target: `product:${productId}`, ip: by.ip, before: beforeForAudit, after: product, at: by.now });
  return { ok: true };
}

export async function addVariant(db: AdminDb, productId: number, variant: VariantFields & { stock: number }, by: Actor): Promise<{ ok: true } | { ok: false; error: CatalogChangeError }> {
  const product = await db.selectFrom('products').where('id', '=', productId).select('id').executeTakeFirst();
  if (!product) return { ok: false, error: 'PRODUCT_NOT_FOUND' };
  if (await skuTaken(db, variant.sku)) return { ok: false, error: 'SKU_TAKEN' };
  const position = await db.selectFrom('variants').where('product_id', '=', productId).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const v = await db.insertInto('variants').values({ product_id: productId, sku: variant.sku, name_ja: variant.nameJa, name_en: variant.nameEn, price: variant.price, stock: variant.stock, position: Number(position.n) }).returning('id').executeTakeFirstOrThrow();
  await db.updateTable('products').set({ updated_at: by.now.toISOString() }).where('id', '=', productId).execute();
  await appendAuditEntry(db, { actor: `admin:${by.account.id}`, action: 'variant.created', target: `variant:${v.id}`, ip: by.ip, after: { productId, ...variant }, at: by.now });
  return { ok: true };
}

export async function updateVariant(db: AdminDb, variantId: number, variant: VariantFields, by: Actor): Promise<{ ok: true; productId: number } | { ok: false; error: CatalogChangeError }> {
  const before = await db.selectFrom('variants').where('id', '=', variantId).selectAll().executeTakeFirst();
  if (!before) return { ok: false, error: 'VARIANT_NOT_FOUND' };
  if (await skuTaken(db, variant.sku, variantId)) return { ok: false, error: 'SKU_TAKEN' };
  await db.updateTable('variants').set({ sku: variant.sku, name_ja: variant.nameJa, name_en: variant.nameEn, price: variant.price }).where('id', '=', variantId).execute();
  await db.updateTable('products').set({ updated_at: by.now.toISOString() }).where('id', '=', before.product_id).execute();
  const { stock: _stock, ...beforeForAudit } = before;
  await appendAuditEntry(db, { actor: `admin:${by.account.id}`, action: before.price !== variant.price ? 'variant.price_changed' : 'variant.updated', target: `variant:${variantId}`, ip: by.ip, before: beforeForAudit, after: variant, at: by.now });
  return { ok: true, productId: before.product_id };
}

/**
 * Adds (or with a negative delta removes) stock with a reason. One conditional UPDATE, so a
 * concurrent checkout reserving the same units can never drive stock below zero.
 */
export async function adjustStock(db: AdminDb, variantId: number, delta: number, reason: string, by: Actor): Promise<{ ok: true; productId: number; stock: number } | { ok: false; error: CatalogChangeError }> {
  const variant = await db.selectFrom('variants').where('id', '=', variantId).select(['product_id']).executeTakeFirst();
  if (!variant) return { ok: false, error: 'VARIANT_NOT_FOUND' };
  const at = by.now.toISOString();
  const after = await db.transaction().execute(async (trx) => {
    const row = await trx.updateTable('variants').set((eb) => ({ stock: eb('stock', '+', delta) }))
      .where('id', '=', variantId).where((eb) => eb(eb('stock', '+', delta), '>=', 0))
      .returning('stock').executeTakeFirst();
    if (!row) return undefined;
    await trx.insertInto('admin_stock_adjustments').values({ variant_id: variantId, delta, stock_after: row.stock, reason, account_id: by.account.id, created_at: at }).execute();
    return row.stock;
  });
  if (after === undefined) return { ok: false, error: 'NEGATIVE_STOCK' };
  await appendAuditEntry(db, { actor: `admin:${by.account.id}`, action: 'stock.adjusted', target: `variant:${variantId}`, ip: by.ip, before: { stock: after - delta }, after: { stock: after, delta, reason }, at: by.now });
  return { ok: true, productId: variant.product_id, stock: after };
}

export async function listAdminProducts(db: AdminDb) {
  return db.selectFrom('products as p')
    .select(['p.id', 'p.slug', 'p.name_ja', 'p.name_en', 'p.status', 'p.tax_rate'])
    .select((eb) => [
      eb.selectFrom('variants as v').whereRef('v.product_id', '=', 'p.id').select((e) => e.fn.min<number>('v.price').as('m')).as('min_price'),
      eb.selectFrom('variants as v').whereRef('v.product_id', '=', 'p.id').select((e) => e.fn.sum<number>('v.stock').as('s')).as('total_stock'),
    ])
    .orderBy('p.id', 'desc')
    .execute();
}

export async function loadAdminProduct(db: AdminDb, productId: number) {
  const product = await db.selectFrom('products').where('id', '=', productId).selectAll().executeTakeFirst();
  if (!product) return undefined;
  const variants = await db.selectFrom('variants').where('product_id', '=', productId).selectAll().orderBy('position').orderBy('id').execute();
  const adjustments = await db.selectFrom('admin_stock_adjustments as a')
    .innerJoin('variants as v', 'v.id', 'a.variant_id')
    .where('v.product_id', '=', productId)
    .select(['a.id', 'v.sku', 'a.delta', 'a.stock_after', 'a.reason', 'a.created_at'])
    .orderBy('a.id', 'desc').limit(20).execute();
  const images = await db.selectFrom('product_images').where('product_id', '=', productId).select(['id', 'path', 'alt_ja', 'alt_en']).orderBy('position').orderBy('id').execute();
  return { product, variants, adjustments, images };
}
