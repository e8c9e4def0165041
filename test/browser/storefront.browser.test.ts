// A customer in a real browser: browse in both languages, add to cart, check out, see the
// confirmation. axe-core checks the main pages; screenshots for the README come from here
// (written to docs/screenshots when UPDATE_SCREENSHOTS=1, `npm run screenshots`).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { tmpdir } from 'node:os';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeWithChromium, launchHeadlessChromium } from '../support/headless-chromium.ts';
import { DATABASES } from '../support/databases.ts';
import { startTestShop, type TestShop } from '../support/test-shop.ts';
import { seriousAccessibilityViolations } from '../support/axe.ts';

const screenshotDir = process.env.UPDATE_SCREENSHOTS === '1' ? path.resolve('docs/screenshots') : path.join(tmpdir(), 'mamori-screenshots');
mkdirSync(screenshotDir, { recursive: true });

const database = DATABASES[0]!;

describeWithChromium('storefront in Chromium', () => {
  let shop: TestShop;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    shop = await startTestShop(database, { listen: true });
    browser = await launchHeadlessChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await shop?.dispose();
  });

  async function freshPage(viewport = { width: 1280, height: 900 }) {
    await context?.close();
    context = await browser.newContext({ viewport, locale: 'ja-JP' });
    page = await context.newPage();
    page.on('console', (m) => { if (/Content Security Policy|Refused to/.test(m.text())) cspViolations.push(m.text()); });
    page.on('pageerror', (e) => cspViolations.push(String(e)));
  }

  async function expectAccessible(label: string) {
    const violations = await seriousAccessibilityViolations(page);
    expect(violations.map((v) => `${label}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }

  it('browses the catalog in Japanese and English, accessibly', async () => {
    await freshPage();
    await page.goto(`${shop.url}/`);
    await expect(page.locator('html')).toHaveAttributeSoon('lang', 'ja');
    await expectAccessible('catalog ja');
    await page.screenshot({ path: path.join(screenshotDir, 'catalog-ja.png'), fullPage: false });

    await page.getByRole('link', { name: 'English' }).click();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await expect(page.getByRole('heading', { level: 1 })).toHaveTextSoon('Products');
    await expectAccessible('catalog en');

    await page.getByLabel('Search products').fill('抹茶');
    await page.getByRole('button', { name: 'Search' }).click();
    expect(await page.getByRole('link', { name: /Uji Matcha Latte/ }).count()).toBeGreaterThan(0);
  });

  it('adds to cart, checks out and sees the confirmation', async () => {
    await freshPage({ width: 390, height: 844 }); // phone-sized: mobile first
    await page.goto(`${shop.url}/products/uji-matcha-latte`);
    await expectAccessible('product ja');
    await page.screenshot({ path: path.join(screenshotDir, 'product-ja-mobile.png'), fullPage: true });
    await page.getByLabel('数量').fill('2');
    await page.getByRole('button', { name: 'カートに入れる' }).click();
    await page.waitForURL(/\/cart/);
    await expectAccessible('cart ja');
    expect(await page.getByText('内消費税（8%）').count()).toBeGreaterThan(0);

    await page.getByRole('link', { name: 'ご購入手続きへ' }).click();
    await page.waitForURL(/\/checkout/);
    await expectAccessible('checkout ja');

    // Submit with mistakes first: the form comes back with messages and the input kept.
    await page.getByLabel('メールアドレス').fill('hanako@example');
    await page.getByLabel('姓', { exact: true }).fill('山田');
    await page.getByLabel('名', { exact: true }).fill('花子');
    await page.getByLabel('セイ（フリガナ）').fill('やまだ');
    await page.getByLabel('メイ（フリガナ）').fill('はなこ');
    await page.getByRole('button', { name: '注文を確定して支払いへ進む' }).click();
    expect(await page.getByText('正しいメールアドレスを入力してください。').count()).toBeGreaterThan(0);
    expect(await page.getByLabel('姓', { exact: true }).inputValue()).toBe('山田');
    expect(await page.getByLabel('名', { exact: true }).inputValue()).toBe('花子');
    await expectAccessible('checkout with errors');
    await page.screenshot({ path: path.join(screenshotDir, 'checkout-errors-ja-mobile.png'), fullPage: true });

    await page.getByLabel('メールアドレス').fill('hanako@example.jp');
    await page.getByLabel('電話番号').fill('090-1234-5678');
    await page.getByLabel('郵便番号').fill('100-0001');
    await page.getByLabel('都道府県').selectOption('東京都');
    await page.getByLabel('市区町村').fill('千代田区');
    await page.getByLabel('番地').fill('千代田1-1');
    await page.getByRole('button', { name: '注文を確定して支払いへ進む' }).click();
    await page.waitForURL(/\/orders\/[0-9a-f-]{36}/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('ご注文ありがとうございます');
    expect(await page.getByText(/MA-[0-9A-Z]{4}-[0-9A-Z]{4}/).count()).toBeGreaterThan(0);
    await expectAccessible('order confirmation');
    await page.screenshot({ path: path.join(screenshotDir, 'order-confirmation-ja-mobile.png'), fullPage: true });
  });

  it('is usable with the keyboard alone, with a visible focus', async () => {
    await freshPage();
    await page.goto(`${shop.url}/?lang=en`);
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => document.activeElement?.textContent);
    expect(first).toBe('Skip to content');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).not.toBe('none');
  });

  it('produced no CSP violations or page errors along the way', () => {
    expect(cspViolations).toEqual([]);
  });
});

// Small polling matchers so the test reads like what a person checks.
expect.extend({
  async toHaveAttributeSoon(locator: { getAttribute(n: string): Promise<string | null> }, name: string, value: string) {
    let last: string | null = null;
    for (let i = 0; i < 50; i++) {
      last = await locator.getAttribute(name);
      if (last === value) return { pass: true, message: () => '' };
      await new Promise((r) => setTimeout(r, 100));
    }
    return { pass: false, message: () => `expected ${name}="${value}", got ${last}` };
  },
  async toHaveTextSoon(locator: { textContent(): Promise<string | null> }, text: string) {
    let last: string | null = null;
    for (let i = 0; i < 50; i++) {
      last = await locator.textContent();
      if (last === text) return { pass: true, message: () => '' };
      await new Promise((r) => setTimeout(r, 100));
    }
    return { pass: false, message: () => `expected text "${text}", got "${last}"` };
  },
});
declare module 'vitest' {
  interface Assertion<T> {
    toHaveAttributeSoon(name: string, value: string): Promise<T>;
    toHaveTextSoon(text: string): Promise<T>;
  }
}
