// A short-lived in-process cache of catalog reads. Product pages are the hottest pages and
// change rarely; profiling showed SQL execution and query building at ~30% of a product page's
// CPU. Stock shown on a page may be up to `ttlMs` old, which is harmless: stock is checked
// again when adding to the cart and reserved atomically at checkout. Writers call invalidate().
// Several instances on PostgreSQL: invalidate() also NOTIFYs CATALOG_CHANNEL and every instance's
// listener (src/db/notification-listener.ts) drops its copy, so an admin edit shows everywhere at
// once rather than after the TTL; the TTL stays as the bound when a notification is lost.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { countProducts, findProductBySlug, listCategories, listProducts, nextScheduledPublish, type ProductDetail, type ProductFilter, type ProductSummary } from './queries.ts';

export interface CatalogCache {
  productBySlug(slug: string): Promise<ProductDetail | undefined>;
  categories(): ReturnType<typeof listCategories>;
  /**
   * Browsing pages (no search text) are cached per category, availability filter and sort;
   * searches always go to the database. `now` in the filter is ignored: the cache's clock is used.
   */
  productPage(filter: ProductFilter, limit: number, offset: number): Promise<{ total: number; products: ProductSummary[] }>;
  /** Drops this process's copy and tells the other instances (when `announce` is given). */
  /**
   * Anything built from catalog reads (a rendered page, a serialized API answer), kept as long
   * as the reads themselves and dropped by the same invalidate().
   */
  derived<T>(key: string, build: () => Promise<T>): Promise<T>;
  /** Bumped by every invalidate(): part of the keys of what is built from the catalog. */
  version(): number;
  /** The clock visibility is decided by (the shop's). */
  now(): Date;
  invalidate(): void;
  /** Drops this process's copy only (another instance announced a change). */
  dropLocal(): void;
}

/** The PostgreSQL notification channel of catalog changes. */
export const CATALOG_CHANNEL = 'mamori_catalog';

export interface CatalogCacheOptions {
  ttlMs: number;
  maxEntries?: number;
  /** Tells the other instances that the catalog changed (PostgreSQL: NOTIFY CATALOG_CHANNEL). */
  announce?: () => Promise<void>;
  onAnnounceError?: (err: unknown) => void;
  /** The shop's clock: what is visible (scheduled publishing) is decided by it. */
  clock?: () => Date;
}

export function createCatalogCache(db: Kysely<Database>, opts: CatalogCacheOptions): CatalogCache {
  const max = opts.maxEntries ?? 1000;
  const entries = new Map<string, { at: number; value: Promise<unknown> }>();
  let version = 0;
  const clock = opts.clock ?? (() => new Date());
  // A scheduled product becomes visible without anyone editing the catalog: remember the next
  // publish_at ahead (one query after each drop) and drop everything once the clock passes it.
  let nextDue: Promise<Date | undefined> | undefined;

  function dropAll() { version++; entries.clear(); nextDue = undefined; }

  async function current(): Promise<Date> {
    const now = clock();
    nextDue ??= nextScheduledPublish(db, now).catch(() => undefined);
    const due = await nextDue;
    if (due && now.getTime() >= due.getTime()) dropAll();
    return now;
  }

  function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = entries.get(key);
    if (hit && now - hit.at < opts.ttlMs) return hit.value as Promise<T>;
    const value = load();
    // A failed load must not be served from the cache.
    value.catch(() => entries.delete(key));
    if (entries.size >= max) entries.delete(entries.keys().next().value!);
    entries.set(key, { at: now, value });
    return value;
  }

  async function loadPage(filter: ProductFilter, limit: number, offset: number) {
    const [total, products] = await Promise.all([countProducts(db, filter), listProducts(db, filter, { limit, offset })]);
    return { total, products };
  }

  return {
    async productBySlug(slug) {
      const now = await current();
      return cached(`p:${slug}`, () => findProductBySlug(db, slug, now));
    },
    categories: () => cached('categories', () => listCategories(db)),
    async productPage(filter, limit, offset) {
      const f = { ...filter, now: await current() };
      if (filter.search) return loadPage(f, limit, offset);
      return cached(`l:${filter.categorySlug ?? ''}:${filter.inStock ? 'in-stock' : ''}:${filter.sort ?? 'recommended'}:${limit}:${offset}`, () => loadPage(f, limit, offset));
    },
    async derived(key, build) {
      await current();
      return cached(`d:${version}:${key}`, build);
    },
    version: () => version,
    now: () => clock(),
    invalidate() {
      dropAll();
      opts.announce?.().catch((err: unknown) => opts.onAnnounceError?.(err));
    },
    // Another instance changed the catalog: what was built from it here is stale too.
    dropLocal: () => dropAll(),
  };
}
