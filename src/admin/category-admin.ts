// Categories from the back office: create, rename, reorder, delete (only when empty). A product
// belongs to exactly one category (products.category_id, NOT NULL since 0001): the breadcrumb, the
// canonical listing a product is found in and the CSV import's one category column all rest on
// that, and Japanese shops' cross-cutting lists (セール, 新商品) are served by sorting and
// filtering rather than a second category. Assigning is the product form's category choice.
// Each change is one transaction with its audit entry; the caller invalidates the catalog cache.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { AdminAccount, AdminDb } from './admin-tables.ts';
import { appendAuditEntry } from '../audit/audit-log.ts';
import { reindexCategory } from '../catalog/search-index.ts';
import { firstFreeSlug, romanisedSlug } from '../catalog/slug-from-name.ts';
import { randomBytes } from 'node:crypto';

type Actor = { account: AdminAccount; ip: string; now: Date };

export interface CategoryFields { slug: string; nameJa: string; nameEn: string }

export type CategoryChangeError = 'CATEGORY_NOT_FOUND' | 'SLUG_TAKEN' | 'CATEGORY_NOT_EMPTY';

export interface AdminCategoryRow { id: number; slug: string; name_ja: string; name_en: string; position: number; products: number }

export async function listAdminCategories(db: AdminDb): Promise<AdminCategoryRow[]> {
  const rows = await db.selectFrom('categories as c')
    .select(['c.id', 'c.slug', 'c.name_ja', 'c.name_en', 'c.position'])
    .select((eb) => eb.selectFrom('products as p').whereRef('p.category_id', '=', 'c.id').select((e) => e.fn.countAll<number>().as('n')).as('products'))
    .orderBy('c.position').orderBy('c.id').execute();
  return rows.map((r) => ({ ...r, products: Number(r.products ?? 0) }));
}

async function slugTaken(db: AdminDb, slug: string, exceptId?: number): Promise<boolean> {
  let q = db.selectFrom('categories').where('slug', '=', slug).select('id');
  if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

/** `slug` empty: romanised from the Japanese name (kana), else `c-<id>`. */
export async function createCategory(db: AdminDb, f: Omit<CategoryFields, 'slug'> & { slug: string | undefined }, by: Actor): Promise<{ ok: true; categoryId: number; slug: string } | { ok: false; error: CategoryChangeError }> {
  if (f.slug && await slugTaken(db, f.slug)) return { ok: false, error: 'SLUG_TAKEN' };
  return db.transaction().execute(async (trx) => {
    const romanised = f.slug ? undefined : romanisedSlug(f.nameJa);
    const chosen = f.slug ?? (romanised ? await firstFreeSlug(romanised, (s) => slugTaken(trx, s)) : undefined);
    const last = await trx.selectFrom('categories').select((eb) => eb.fn.max<number>('position').as('p')).executeTakeFirst();
    // Without a text slug the row is inserted under a random placeholder and then named by its id.
    const row = await trx.insertInto('categories').values({ slug: chosen ?? `tmp-${randomBytes(8).toString('hex')}`, name_ja: f.nameJa, name_en: f.nameEn, position: Number(last?.p ?? -1) + 1 }).returning('id').executeTakeFirstOrThrow();
    // A merchant may have typed c-<n> for another category: then the next free variant of it.
    const slug = chosen ?? (await firstFreeSlug(`c-${row.id}`, (s) => slugTaken(trx, s, row.id))) ?? `c-${row.id}-${randomBytes(3).toString('hex')}`;
    if (!chosen) await trx.updateTable('categories').set({ slug }).where('id', '=', row.id).execute();
    await appendAuditEntry(trx, { actor: `admin:${by.account.id}`, action: 'category.created', target: `category:${row.id}`, ip: by.ip, after: { ...f, slug }, at: by.now });
    return { ok: true, categoryId: row.id, slug } as const;
  });
}

/** Renames (names and slug); its products' search text carries the names, so they are re-indexed. */
export async function renameCategory(db: AdminDb, id: number, f: CategoryFields, by: Actor): Promise<{ ok: true } | { ok: false; error: CategoryChangeError }> {
  const before = await db.selectFrom('categories').where('id', '=', id).selectAll().executeTakeFirst();
  if (!before) return { ok: false, error: 'CATEGORY_NOT_FOUND' };
  if (await slugTaken(db, f.slug, id)) return { ok: false, error: 'SLUG_TAKEN' };
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('categories').set({ slug: f.slug, name_ja: f.nameJa, name_en: f.nameEn }).where('id', '=', id).execute();
    await reindexCategory(trx as unknown as Kysely<Database>, id);
    await appendAuditEntry(trx, { actor: `admin:${by.account.id}`, action: 'category.renamed', target: `category:${id}`, ip: by.ip, before: { slug: before.slug, nameJa: before.name_ja, nameEn: before.name_en }, after: f, at: by.now });
  });
  return { ok: true };
}

/** Swaps the category with its neighbour above or below; positions are renumbered 0..n-1 on the way. */
export async function moveCategory(db: AdminDb, id: number, direction: 'up' | 'down', by: Actor): Promise<{ ok: true } | { ok: false; error: CategoryChangeError }> {
  return db.transaction().execute(async (trx) => {
    const order = await trx.selectFrom('categories').select(['id', 'position']).orderBy('position').orderBy('id').execute();
    const at = order.findIndex((c) => c.id === id);
    if (at < 0) return { ok: false, error: 'CATEGORY_NOT_FOUND' } as const;
    const to = direction === 'up' ? at - 1 : at + 1;
    if (to < 0 || to >= order.length) return { ok: true } as const;
    const ids = order.map((c) => c.id);
    [ids[at], ids[to]] = [ids[to]!, ids[at]!];
    for (const [position, cid] of ids.entries()) {
      if (order[position]!.id !== cid || order[position]!.position !== position) await trx.updateTable('categories').set({ position }).where('id', '=', cid).execute();
    }
    await appendAuditEntry(trx, { actor: `admin:${by.account.id}`, action: 'category.moved', target: `category:${id}`, ip: by.ip, before: { order: order.map((c) => c.id) }, after: { order: ids }, at: by.now });
    return { ok: true } as const;
  });
}

/** Deletes a category no product is in (archived and draft products count: they still name it). */
export async function deleteCategory(db: AdminDb, id: number, by: Actor): Promise<{ ok: true } | { ok: false; error: CategoryChangeError }> {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('categories').where('id', '=', id).selectAll().executeTakeFirst();
    if (!before) return { ok: false, error: 'CATEGORY_NOT_FOUND' } as const;
    const used = await trx.selectFrom('products').where('category_id', '=', id).select('id').limit(1).executeTakeFirst();
    if (used) return { ok: false, error: 'CATEGORY_NOT_EMPTY' } as const;
    await trx.deleteFrom('categories').where('id', '=', id).execute();
    await appendAuditEntry(trx, { actor: `admin:${by.account.id}`, action: 'category.deleted', target: `category:${id}`, ip: by.ip, before: { slug: before.slug, nameJa: before.name_ja, nameEn: before.name_en }, at: by.now });
    return { ok: true } as const;
  });
}
