import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createCatalogCache } from './catalog-cache.ts';
import { seedDemoCatalogOnce } from './seed-demo-catalog.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

describe('catalog cache', () => {
  it('serves repeated reads from memory until the TTL passes or it is invalidated', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cache-'));
    const handle = openDatabase(path.join(dir, 'shop.sqlite'));
    try {
      await migrateToLatest(handle.db);
      await seedDemoCatalogOnce(handle.db, path.join(dir, 'media'));
      const cache = createCatalogCache(handle.db, { ttlMs: 60_000 });
      const first = await cache.productBySlug('uji-matcha-latte');
      await handle.db.updateTable('products').set({ name_en: 'Changed' }).where('slug', '=', 'uji-matcha-latte').execute();
      expect((await cache.productBySlug('uji-matcha-latte'))?.name_en).toBe(first?.name_en);
      cache.invalidate();
      expect((await cache.productBySlug('uji-matcha-latte'))?.name_en).toBe('Changed');
      expect(await cache.productBySlug('no-such-product')).toBeUndefined();
      const page = await cache.productPage({}, 5, 0);
      expect(page.products).toHaveLength(5);
      expect(page.total).toBeGreaterThanOrEqual(10);
      const expired = createCatalogCache(handle.db, { ttlMs: 0 });
      await expired.productBySlug('uji-matcha-latte');
      await handle.db.updateTable('products').set({ name_en: 'Again' }).where('slug', '=', 'uji-matcha-latte').execute();
      expect((await expired.productBySlug('uji-matcha-latte'))?.name_en).toBe('Again');
    } finally {
      await handle.close();
    }
  });
});
