// Catalog administration and browsing in Chromium (issues 17, 18): the categories page (add one,
// move it, with axe on every state), a draft's preview, and the catalog's sort and stock filter
// driven by the form, in Japanese and English; the strict CSP holds throughout.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeWithChromium, launchHeadlessChromium } from '../support/headless-chromium.ts';
import { DATABASES } from '../support/databases.ts';
import { startTestShop, type TestShop } from '../support/test-shop.ts';
import { expectAccessible as expectPageAccessible, signedInAdminPage } from '../support/admin-in-chromium.ts';

for (const database of DATABASES) {
  describeWithChromium(`catalog administration in Chromium on ${database.name}`, () => {
    let shop: TestShop;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let cspViolations: string[] = [];

    beforeAll(async () => {
      shop = await startTestShop(database, { listen: true, catalogCacheTtlMs: 0 });
      browser = await launchHeadlessChromium();
      ({ context, page, cspViolations } = await signedInAdminPage(shop, browser, 'browser-staff@example.jp', 'staff'));
    });
    afterAll(async () => {
      await browser?.close();
      await shop?.dispose();
    });

    const expectAccessible = (label: string) => expectPageAccessible(page, label);

    it('adds a category, moves it up and shows it in the store, accessible in both languages', async () => {
      await page.goto(`${shop.url}/admin/categories?lang=ja`);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('カテゴリ');
      await expectAccessible('categories ja');
      await page.locator('#nameJa').fill('ぎふと');
      await page.locator('#nameEn').fill('Gifts');
      await page.getByRole('button', { name: '追加' }).click();
      await page.waitForURL(/saved=1/);
      expect(await page.getByRole('status').textContent()).toBe('保存しました。');
      await expectAccessible('categories ja saved');
      await page.getByRole('button', { name: 'ぎふと を上へ' }).click();
      await page.waitForURL(/saved=1/);
      await page.goto(`${shop.url}/admin/categories?lang=en`);
      await expectAccessible('categories en');
      await page.goto(`${shop.url}/?lang=en`);
      const nav = await page.getByRole('navigation', { name: /categor/i }).textContent();
      expect(nav!.indexOf('Gifts')).toBeLessThan(nav!.indexOf('Homeware'));
    });

    it('sorts by price and filters to what is in stock from the catalog form', async () => {
      await page.goto(`${shop.url}/?lang=en`);
      await page.getByLabel('Sort by').selectOption('price-desc');
      await page.getByLabel('In stock only').check();
      await page.getByRole('button', { name: 'Show' }).click();
      await page.waitForURL(/sort=price-desc/);
      expect(page.url()).toContain('availability=in-stock');
      const prices = (await page.locator('.product-card .price').allTextContents()).map((t) => Number(t.replace(/[^0-9]/g, '')));
      expect(prices.length).toBeGreaterThan(3);
      expect(prices).toEqual([...prices].sort((a, b) => b - a));
      await expectAccessible('catalog sorted');
      await page.goto(`${shop.url}/products/uji-matcha-latte?lang=ja`);
      expect(await page.locator('.variant-option .stock').first().textContent()).toBe('在庫あり');
      expect(await page.locator('.description').evaluate((el) => getComputedStyle(el).fontFamily)).not.toMatch(/^monospace/);
    });

    it('previews a draft for the back office while the store answers 404', async () => {
      const product = await shop.db.db.selectFrom('products').where('slug', '=', 'yuzu-ponzu').select('id').executeTakeFirstOrThrow();
      await shop.db.db.updateTable('products').set({ publication: 'draft' }).where('id', '=', product.id).execute();
      expect((await page.goto(`${shop.url}/products/yuzu-ponzu`))!.status()).toBe(404);
      await page.goto(`${shop.url}/admin/products/${product.id}/preview?lang=en`);
      expect(await page.getByRole('status').textContent()).toContain('Preview');
      await expectAccessible('preview');
      await page.goto(`${shop.url}/admin/products/${product.id}?lang=en`);
      expect(await page.getByLabel('Publication').inputValue()).toBe('draft');
      expect(await page.locator('#descriptionEn').evaluate((el) => getComputedStyle(el).fontFamily)).not.toMatch(/^monospace/);
      await expectAccessible('edit product');
      expect(cspViolations).toEqual([]);
    });
  });
}
