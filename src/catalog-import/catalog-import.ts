// Product CSV import and export. An import is first planned — every row and column checked, every
// error listed by line and column — and written only when the whole file is right, in one
// transaction, so a file is either all in or not at all. The dry run is the plan without the write.
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema.ts';
import { adminDb, type AdminAccount } from '../admin/admin-tables.ts';
import { appendAuditEntry } from '../audit/audit-log.ts';
import { csvCell } from '../admin/orders-admin.ts';
import { containsCardNumber } from '../card-data/card-number-guard.ts';
import { productSearchName, productSearchText } from '../catalog/search-text.ts';
import type { Locale } from '../i18n/locale.ts';
import { CATALOG_COLUMNS, catalogHeader, decodeCatalogFile, encodeCatalogFile, parseCatalogSheet, unprotectCell, type CatalogColumn, type FileEncoding } from './catalog-csv-format.ts';

export const MAX_IMPORT_ROWS = 50_000;
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

export type ImportErrorCode =
  | 'NOT_UTF8' | 'EMPTY' | 'UNREADABLE' | 'NO_HEADER' | 'UNKNOWN_COLUMN' | 'MISSING_COLUMN' | 'DUPLICATE_COLUMN' | 'TOO_MANY_ROWS'
  | 'REQUIRED' | 'INVALID' | 'CARD_NUMBER' | 'PRODUCT_FIELD_DIFFERS' | 'DUPLICATE_SKU' | 'SKU_OF_OTHER_PRODUCT' | 'CATEGORY_NAME_REQUIRED' | 'STOCK_CHANGED';

export interface ImportError {
  /** The line a spreadsheet shows (header = 1); 0 for the file as a whole. */
  line: number;
  /** The column's header as the file has it. */
  column?: string;
  code: ImportErrorCode;
  /** The line this row disagrees with (PRODUCT_FIELD_DIFFERS, DUPLICATE_SKU). */
  otherLine?: number;
}

const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/).max(80);
const FIELD: Record<CatalogColumn, z.ZodType<unknown>> = {
  product_slug: slug,
  category_slug: slug,
  category_name_ja: z.string().max(100),
  category_name_en: z.string().max(100),
  name_ja: z.string().min(1).max(200),
  name_en: z.string().min(1).max(200),
  description_ja: z.string().max(5000),
  description_en: z.string().max(5000),
  reading: z.string().max(500),
  tax_rate: z.enum(['8', '10']).transform((r) => Number(r) as 8 | 10),
  status: z.enum(['', 'active', 'archived', '公開', '非公開']).transform((s) => (s === 'archived' || s === '非公開' ? 'archived' : 'active')),
  sku: z.string().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/),
  variant_name_ja: z.string().min(1).max(200),
  variant_name_en: z.string().min(1).max(200),
  price: z.string().regex(/^\d{1,8}$/).transform(Number).pipe(z.number().max(10_000_000)),
  stock: z.string().regex(/^\d{1,7}$/).transform(Number).pipe(z.number().max(1_000_000)),
};
const REQUIRED = new Set<CatalogColumn>(['product_slug', 'category_slug', 'name_ja', 'name_en', 'tax_rate', 'sku', 'variant_name_ja', 'variant_name_en', 'price', 'stock']);
const PRODUCT_FIELDS = ['category_slug', 'name_ja', 'name_en', 'description_ja', 'description_en', 'reading', 'tax_rate', 'status'] as const;

interface ProductPlan {
  slug: string; line: number; existingId?: number;
  /** An existing product whose own fields the file leaves as they are (its row is not rewritten unless its category's names change). */
  sameAsStored?: boolean;
  category_slug: string; name_ja: string; name_en: string; description_ja: string; description_en: string; reading: string; tax_rate: 8 | 10; status: 'active' | 'archived';
  variants: { line: number; sku: string; name_ja: string; name_en: string; price: number; stock: number; existingId?: number; existingStock?: number; sameAsStored?: boolean }[];
}
interface CategoryPlan { slug: string; name_ja: string; name_en: string; existingId?: number; rename: boolean }

export interface ImportPlan {
  sha256: string;
  encoding: 'utf-8' | 'shift_jis';
  rows: number;
  products: ProductPlan[];
  categories: CategoryPlan[];
  counts: { productsCreated: number; productsUpdated: number; variantsCreated: number; variantsUpdated: number; categoriesCreated: number; categoriesRenamed: number; stockChanged: number };
}

export type PlanResult = { ok: true; plan: ImportPlan } | { ok: false; errors: ImportError[]; rows: number };

const MAX_ERRORS = 500;

/** Reads and checks the whole file against the catalog as it is now; writes nothing. */
export async function planCatalogImport(db: Kysely<Database>, bytes: Buffer, encoding: FileEncoding, opts: { onProgress?: ImportProgress } = {}): Promise<PlanResult> {
  const decoded = decodeCatalogFile(bytes, encoding);
  if (!decoded.ok) return { ok: false, errors: [{ line: 0, code: decoded.code }], rows: 0 };
  const sheet = parseCatalogSheet(decoded.text, MAX_IMPORT_ROWS);
  if (!sheet.ok) return { ok: false, errors: [{ line: sheet.code === 'UNREADABLE' || sheet.code === 'TOO_MANY_ROWS' ? 0 : 1, code: sheet.code, ...(sheet.column ? { column: sheet.column } : {}) }], rows: 0 };

  const errors: ImportError[] = [];
  const fail = (e: ImportError) => { if (errors.length < MAX_ERRORS) errors.push(e); };
  const headerOf = (key: CatalogColumn) => sheet.headers[sheet.columns.indexOf(key)] ?? key;

  const [products, variants, categories] = await Promise.all([
    db.selectFrom('products').select(['id', 'slug', 'category_id', 'name_ja', 'name_en', 'description_ja', 'description_en', 'reading', 'tax_rate', 'status']).execute(),
    db.selectFrom('variants').select(['id', 'sku', 'product_id', 'stock', 'name_ja', 'name_en', 'price']).execute(),
    db.selectFrom('categories').select(['id', 'slug', 'name_ja', 'name_en']).execute(),
  ]);
  const productBySlug = new Map(products.map((p) => [p.slug, p]));
  const categorySlugById = new Map(categories.map((c) => [c.id, c.slug]));
  const variantBySku = new Map(variants.map((v) => [v.sku, v]));
  const categoryBySlug = new Map(categories.map((c) => [c.slug, c]));

  const planned = new Map<string, ProductPlan>();
  const skuLine = new Map<string, number>();
  const categoryPlans = new Map<string, CategoryPlan>();

  let checked = 0;
  for (const { line, cells } of sheet.rows) {
    // Checking is CPU work: between chunks the event loop serves other requests and progress is told.
    if (opts.onProgress && checked > 0 && checked % WRITE_CHUNK_ROWS === 0) {
      await opts.onProgress('checking', checked, sheet.rows.length);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    checked++;
    const raw: Partial<Record<CatalogColumn, string>> = {};
    for (const [i, key] of sheet.columns.entries()) if (key) raw[key] = unprotectCell((cells[i] ?? '').trim());
    const row: Record<string, unknown> = {};
    let rowOk = true;
    const existingProductPlan = raw.product_slug ? planned.get(raw.product_slug) : undefined;
    for (const c of CATALOG_COLUMNS) {
      const value = raw[c.key] ?? '';
      // On a product's later rows its own fields may be left empty: the first row gives them.
      const inherited = existingProductPlan && (PRODUCT_FIELDS as readonly string[]).includes(c.key) && value === '';
      if (inherited) continue;
      if (containsCardNumber(value)) { fail({ line, column: headerOf(c.key), code: 'CARD_NUMBER' }); rowOk = false; continue; }
      if (value === '' && REQUIRED.has(c.key)) { fail({ line, column: headerOf(c.key), code: 'REQUIRED' }); rowOk = false; continue; }
      const parsed = FIELD[c.key].safeParse(value);
      if (!parsed.success) { fail({ line, column: headerOf(c.key), code: 'INVALID' }); rowOk = false; continue; }
      row[c.key] = parsed.data;
    }
    if (!rowOk) continue;
    const productSlug = row.product_slug as string;
    const sku = row.sku as string;

    let product = planned.get(productSlug);
    if (!product) {
      product = {
        slug: productSlug, line, ...(productBySlug.has(productSlug) ? { existingId: productBySlug.get(productSlug)!.id } : {}),
        category_slug: row.category_slug as string, name_ja: row.name_ja as string, name_en: row.name_en as string,
        description_ja: (row.description_ja as string | undefined) ?? '', description_en: (row.description_en as string | undefined) ?? '',
        reading: (row.reading as string | undefined) ?? '', tax_rate: row.tax_rate as 8 | 10, status: (row.status as 'active' | 'archived' | undefined) ?? 'active',
        variants: [],
      };
      planned.set(productSlug, product);
    } else {
      for (const f of PRODUCT_FIELDS) {
        if (row[f] !== undefined && row[f] !== product[f]) fail({ line, column: headerOf(f), code: 'PRODUCT_FIELD_DIFFERS', otherLine: product.line });
      }
    }

    const first = skuLine.get(sku);
    if (first !== undefined) { fail({ line, column: headerOf('sku'), code: 'DUPLICATE_SKU', otherLine: first }); continue; }
    skuLine.set(sku, line);
    const existing = variantBySku.get(sku);
    if (existing && product.existingId !== existing.product_id) { fail({ line, column: headerOf('sku'), code: 'SKU_OF_OTHER_PRODUCT' }); continue; }
    product.variants.push({
      line, sku, name_ja: row.variant_name_ja as string, name_en: row.variant_name_en as string, price: row.price as number, stock: row.stock as number,
      ...(existing ? { existingId: existing.id, existingStock: existing.stock, sameAsStored: existing.name_ja === row.variant_name_ja && existing.name_en === row.variant_name_en && existing.price === row.price } : {}),
    });

    // A category named in the file is created, or renamed when its names are given and differ.
    const categorySlug = row.category_slug as string | undefined;
    if (categorySlug && !categoryPlans.has(categorySlug)) {
      const known = categoryBySlug.get(categorySlug);
      const nameJa = (row.category_name_ja as string | undefined) ?? '';
      const nameEn = (row.category_name_en as string | undefined) ?? '';
      if (!known && (!nameJa || !nameEn)) fail({ line, column: headerOf(nameJa ? 'category_name_en' : 'category_name_ja'), code: 'CATEGORY_NAME_REQUIRED' });
      else if (known) categoryPlans.set(categorySlug, { slug: categorySlug, existingId: known.id, name_ja: nameJa || known.name_ja, name_en: nameEn || known.name_en, rename: (nameJa !== '' && nameJa !== known.name_ja) || (nameEn !== '' && nameEn !== known.name_en) });
      else categoryPlans.set(categorySlug, { slug: categorySlug, name_ja: nameJa, name_en: nameEn, rename: false });
    }
  }
  await opts.onProgress?.('checking', checked, sheet.rows.length);
  if (errors.length > 0) return { ok: false, errors, rows: sheet.rows.length };

  const productList = [...planned.values()];
  for (const p of productList) {
    const stored = productBySlug.get(p.slug);
    if (!stored) continue;
    p.sameAsStored = categorySlugById.get(stored.category_id) === p.category_slug && stored.name_ja === p.name_ja && stored.name_en === p.name_en
      && stored.description_ja === p.description_ja && stored.description_en === p.description_en && stored.reading === p.reading
      && Number(stored.tax_rate) === p.tax_rate && stored.status === p.status;
  }
  const variantList = productList.flatMap((p) => p.variants);
  const categoryList = [...categoryPlans.values()];
  return {
    ok: true,
    plan: {
      sha256: createHash('sha256').update(bytes).digest('hex'),
      encoding: decoded.encoding,
      rows: sheet.rows.length,
      products: productList,
      categories: categoryList,
      counts: {
        productsCreated: productList.filter((p) => p.existingId === undefined).length,
        productsUpdated: productList.filter((p) => p.existingId !== undefined).length,
        variantsCreated: variantList.filter((v) => v.existingId === undefined).length,
        variantsUpdated: variantList.filter((v) => v.existingId !== undefined).length,
        categoriesCreated: categoryList.filter((c) => c.existingId === undefined).length,
        categoriesRenamed: categoryList.filter((c) => c.rename).length,
        stockChanged: variantList.filter((v) => v.existingStock !== undefined && v.existingStock !== v.stock).length,
      },
    },
  };
}

/** Rows per multi-row statement: well under SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
export const WRITE_CHUNK_ROWS = 500;

/** Progress of a long import, reported between chunks (rows done out of the file's rows). */
export type ImportProgress = (phase: 'checking' | 'writing', done: number, total: number) => Promise<void> | void;

function chunks<T>(items: readonly T[], size = WRITE_CHUNK_ROWS): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Writes a plan in one transaction. Stock is set to the file's figure only where it is still what
 * the plan read, so units a checkout reserved meanwhile are never overwritten: then nothing is
 * written and the merchant is asked to run the import again.
 *
 * Rows go in multi-row statements of WRITE_CHUNK_ROWS (one statement per row took 13 s for
 * 10,000 rows on PostgreSQL, a round trip each): products as INSERT … ON CONFLICT DO UPDATE,
 * new variants as INSERT, changed ones as INSERT … ON CONFLICT DO UPDATE, guarded stock as one
 * UPDATE … FROM (VALUES …) per chunk; rows the file leaves as they are are not rewritten. The same
 * statements run on both databases.
 */
export async function applyCatalogImport(
  db: Kysely<Database>, plan: ImportPlan, by: { account: AdminAccount; ip: string; now: Date },
  opts: { onProgress?: ImportProgress } = {},
): Promise<{ ok: true } | { ok: false; errors: ImportError[] }> {
  const at = by.now.toISOString();
  class StockChanged extends Error { constructor(readonly line: number) { super('stock changed'); } }
  const variantCount = plan.products.reduce((n, p) => n + p.variants.length, 0);
  try {
    await db.transaction().execute(async (trx) => {
      const a = adminDb(trx);
      const categoryIds = new Map<string, { id: number; name_ja: string; name_en: string }>();
      let categoryPosition: number | undefined;
      for (const c of plan.categories) {
        if (c.existingId === undefined) {
          categoryPosition ??= Number((await trx.selectFrom('categories').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
          const row = await trx.insertInto('categories').values({ slug: c.slug, name_ja: c.name_ja, name_en: c.name_en, position: categoryPosition++ }).returning('id').executeTakeFirstOrThrow();
          categoryIds.set(c.slug, { id: row.id, name_ja: c.name_ja, name_en: c.name_en });
        } else {
          if (c.rename) await trx.updateTable('categories').set({ name_ja: c.name_ja, name_en: c.name_en }).where('id', '=', c.existingId).execute();
          categoryIds.set(c.slug, { id: c.existingId, name_ja: c.name_ja, name_en: c.name_en });
        }
      }

      const productIds = new Map<string, number>();
      // A product left as it is keeps its row (its search text is rebuilt only when it can change).
      const renamed = new Set(plan.categories.filter((c) => c.rename).map((c) => c.slug));
      for (const p of plan.products) if (p.sameAsStored && !renamed.has(p.category_slug)) productIds.set(p.slug, p.existingId!);
      for (const part of chunks(plan.products.filter((p) => !productIds.has(p.slug)))) {
        const rows = part.map((p) => {
          const category = categoryIds.get(p.category_slug)!;
          const searchable = { name_ja: p.name_ja, name_en: p.name_en, description_ja: p.description_ja, description_en: p.description_en, reading: p.reading };
          return {
            slug: p.slug, category_id: category.id, ...searchable, tax_rate: p.tax_rate, status: p.status,
            search_text: productSearchText({ ...searchable, category_name_ja: category.name_ja, category_name_en: category.name_en }),
            search_name: productSearchName(searchable), created_at: at, updated_at: at,
          };
        });
        const written = await trx.insertInto('products').values(rows)
          .onConflict((oc) => oc.column('slug').doUpdateSet((eb) => ({
            category_id: eb.ref('excluded.category_id'), name_ja: eb.ref('excluded.name_ja'), name_en: eb.ref('excluded.name_en'),
            description_ja: eb.ref('excluded.description_ja'), description_en: eb.ref('excluded.description_en'), reading: eb.ref('excluded.reading'),
            tax_rate: eb.ref('excluded.tax_rate'), status: eb.ref('excluded.status'), search_text: eb.ref('excluded.search_text'),
            search_name: eb.ref('excluded.search_name'), updated_at: eb.ref('excluded.updated_at'),
          })))
          .returning(['id', 'slug']).execute();
        for (const r of written) productIds.set(r.slug, r.id);
      }

      // New variants go after a product's existing ones.
      const existingProductIds = plan.products.filter((p) => p.existingId !== undefined).map((p) => p.existingId!);
      const nextPosition = new Map<number, number>();
      for (const part of chunks(existingProductIds)) {
        const rows = await trx.selectFrom('variants').where('product_id', 'in', part).groupBy('product_id')
          .select(['product_id', (eb) => eb.fn.countAll<number>().as('n')]).execute();
        for (const r of rows) nextPosition.set(r.product_id, Number(r.n));
      }
      const variants = plan.products.flatMap((p) => {
        const productId = productIds.get(p.slug)!;
        return p.variants.map((v) => {
          const position = nextPosition.get(productId) ?? 0;
          if (v.existingId === undefined) nextPosition.set(productId, position + 1);
          return { v, row: { product_id: productId, sku: v.sku, name_ja: v.name_ja, name_en: v.name_en, price: v.price, stock: v.stock, position } };
        });
      });
      let done = 0;
      for (const part of chunks(variants)) {
        // An existing SKU keeps its stock here: stock changes are guarded below.
        // A new SKU is a plain insert: one taken since the check (by another product) fails the whole file.
        const created = part.filter((x) => x.v.existingId === undefined).map((x) => x.row);
        if (created.length > 0) await trx.insertInto('variants').values(created).execute();
        const changed = part.filter((x) => x.v.existingId !== undefined && !x.v.sameAsStored).map((x) => x.row);
        if (changed.length > 0) {
          await trx.insertInto('variants').values(changed)
            .onConflict((oc) => oc.column('sku').doUpdateSet((eb) => ({ name_ja: eb.ref('excluded.name_ja'), name_en: eb.ref('excluded.name_en'), price: eb.ref('excluded.price') })))
            .execute();
        }
        const stock = part.filter((x) => x.v.existingId !== undefined && x.v.existingStock !== x.v.stock).map((x) => x.v);
        if (stock.length > 0) {
          const values = sql.join(stock.map((v) => sql`(cast(${v.existingId!} as integer), cast(${v.stock} as integer), cast(${v.existingStock!} as integer))`));
          const moved = await sql<{ id: number }>`with wanted(id, stock, expected) as (values ${values})
            update variants set stock = wanted.stock from wanted
            where variants.id = wanted.id and variants.stock = wanted.expected
            returning variants.id`.execute(trx);
          if (moved.rows.length !== stock.length) {
            const updated = new Set(moved.rows.map((r) => Number(r.id)));
            throw new StockChanged(stock.find((v) => !updated.has(v.existingId!))!.line);
          }
          await a.insertInto('admin_stock_adjustments').values(stock.map((v) => ({
            variant_id: v.existingId!, delta: v.stock - v.existingStock!, stock_after: v.stock, reason: 'CSV import', account_id: by.account.id, created_at: at,
          }))).execute();
        }
        done += part.length;
        await opts.onProgress?.('writing', done, variantCount);
      }
      // One audit entry for the file, in the same transaction: what it changed and which file it was.
      await appendAuditEntry(trx, {
        actor: `admin:${by.account.id}`, action: 'catalog.imported', target: 'catalog', ip: by.ip, at: by.now,
        after: { sha256: plan.sha256, encoding: plan.encoding, rows: plan.rows, ...plan.counts, products: plan.products.slice(0, 1000).map((p) => p.slug) },
      });
    });
  } catch (e) {
    if (e instanceof StockChanged) return { ok: false, errors: [{ line: e.line, code: 'STOCK_CHANGED' }] };
    throw e;
  }
  return { ok: true };
}

/** Every product (archived too) with its variants, in the import's format. */
export async function exportCatalogCsv(db: Kysely<Database>, locale: Locale, encoding: 'utf-8' | 'shift_jis'): Promise<Buffer> {
  const rows = await db.selectFrom('variants as v')
    .innerJoin('products as p', 'p.id', 'v.product_id')
    .innerJoin('categories as c', 'c.id', 'p.category_id')
    .select(['p.slug', 'c.slug as category_slug', 'c.name_ja as category_name_ja', 'c.name_en as category_name_en', 'p.name_ja', 'p.name_en', 'p.description_ja', 'p.description_en', 'p.reading', 'p.tax_rate', 'p.status', 'v.sku', 'v.name_ja as variant_name_ja', 'v.name_en as variant_name_en', 'v.price', 'v.stock'])
    .orderBy('p.id').orderBy('v.position').orderBy('v.id')
    .execute();
  const lines = [catalogHeader(locale).map(csvCell).join(',')];
  for (const r of rows) {
    const byKey: Record<CatalogColumn, string | number> = {
      product_slug: r.slug, category_slug: r.category_slug, category_name_ja: r.category_name_ja, category_name_en: r.category_name_en,
      name_ja: r.name_ja, name_en: r.name_en, description_ja: r.description_ja, description_en: r.description_en, reading: r.reading,
      tax_rate: r.tax_rate, status: r.status, sku: r.sku, variant_name_ja: r.variant_name_ja, variant_name_en: r.variant_name_en, price: r.price, stock: r.stock,
    };
    lines.push(CATALOG_COLUMNS.map((c) => (typeof byKey[c.key] === 'number' ? String(byKey[c.key]) : csvCell(byKey[c.key] as string))).join(','));
  }
  return encodeCatalogFile(lines.join('\r\n') + '\r\n', encoding);
}
