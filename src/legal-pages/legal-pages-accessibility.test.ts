// The legal pages as a shopper reaches them in Chromium: every storefront footer links to
// 特定商取引法に基づく表記, the privacy policy, the terms of sale and the contact page, and the checkout
// links to the first three beside its submit button; each page opens from its link, in Japanese and
// English, says what APPI and the Act require of it (the privacy policy names the payment gateway as
// an outsourced party and says the shop never holds card numbers), and axe-core finds no serious
// violation on it. The owner's shipping-settings pages (list, new, edit) are checked with axe too.
// One database: the pages are the same HTML on both.
import { beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { describeWithChromium } from '../../test/support/headless-chromium.ts';
import { shopInChromium } from '../../test/support/shop-in-chromium.ts';
import type { TestShop } from '../../test/support/test-shop.ts';
import { seriousAccessibilityViolations } from '../../test/support/axe.ts';
import { signedInAdminPage } from '../../test/support/admin-in-chromium.ts';

describeWithChromium('legal pages in Chromium', () => {
  const suite = shopInChromium();
  let shop: TestShop;
  let browser: Browser;
  beforeAll(() => { ({ shop, browser } = suite); });

  async function collector(page: Page) {
    const results: string[] = [];
    const check = async (label: string) => {
      for (const v of await seriousAccessibilityViolations(page)) results.push(`${label}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    };
    return { results, check };
  }

  it('opens each legal page and the contact page from the footer and the checkout, in both languages, with no serious accessibility violation', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, userAgent: '', locale: 'ja-JP' });
    const page = await context.newPage();
    const { results, check } = await collector(page);
    const footer = () => page.getByRole('navigation', { name: '法的表記とお問い合わせ' });

    for (const [link, heading] of [
      ['特定商取引法に基づく表記', '特定商取引法に基づく表記'],
      ['プライバシーポリシー', 'プライバシーポリシー'],
      ['ご利用規約', 'ご利用規約'],
    ] as const) {
      await page.goto(`${shop.url}/?lang=ja`);
      await Promise.all([page.waitForURL(/\/legal\//), footer().getByRole('link', { name: link }).click()]);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(heading);
      await check(`${link} (ja)`);
    }
    // The privacy policy: purposes, outsourcing to the payment gateway, safety measures, disclosure requests.
    await page.goto(`${shop.url}/legal/privacy?lang=ja`);
    const privacy = (await page.locator('main').textContent()) ?? '';
    for (const part of ['利用目的', '第三者提供と委託', '決済代行会社', '安全管理措置', '開示等のご請求']) expect(privacy).toContain(part);
    expect(privacy).toContain('クレジットカード番号は決済代行会社の画面でのみ入力され、当店は取得も保持もしません。');
    // The terms of sale: how the contract is made, prices and payment, returns and cancellation.
    await page.goto(`${shop.url}/legal/terms?lang=ja`);
    const terms = (await page.locator('main').textContent()) ?? '';
    for (const part of ['ご注文と契約の成立', '価格とお支払い', '返品・交換・キャンセル']) expect(terms).toContain(part);

    await page.goto(`${shop.url}/?lang=ja`);
    await Promise.all([page.waitForURL(/\/contact/), footer().getByRole('link', { name: 'お問い合わせ' }).click()]);
    await check('contact (ja)');

    for (const p of ['tokushoho', 'privacy', 'terms']) {
      await page.goto(`${shop.url}/legal/${p}?lang=en`);
      expect(await page.getByRole('navigation', { name: 'Legal and contact' }).getByRole('link').count()).toBe(4);
      await check(`${p} (en)`);
    }
    await page.goto(`${shop.url}/contact?lang=en`);
    await check('contact (en)');

    // The checkout links to the three pages beside its submit button.
    await page.goto(`${shop.url}/products/uji-matcha-latte?lang=ja`);
    await Promise.all([page.waitForURL(/\/cart/), page.getByRole('button', { name: 'カートに入れる' }).click()]);
    await page.goto(`${shop.url}/checkout?lang=ja`);
    const notice = page.locator('.checkout-legal-notice');
    expect(await notice.getByRole('link').evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname)))
      .toEqual(['/legal/tokushoho', '/legal/terms', '/legal/privacy']);
    await Promise.all([page.waitForURL(/\/legal\/terms/), notice.getByRole('link', { name: 'ご利用規約' }).click()]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('ご利用規約');

    await context.close();
    expect(results).toEqual([]);
  }, 240_000);

  it('the owner\'s shipping-settings pages (list, new method, edit) have no serious accessibility violation', async () => {
    const { page, context } = await signedInAdminPage(shop, browser, 'shipping-owner@example.jp', 'owner');
    const { results, check } = await collector(page);
    await page.goto(`${shop.url}/admin/settings/shipping?lang=ja`);
    const edit = page.locator('a[href^="/admin/settings/shipping/"]:not([href$="/new"])').first();
    const editHref = await edit.getAttribute('href');
    expect(editHref).toMatch(/^\/admin\/settings\/shipping\/\d+/);
    await check('shipping list (ja)');
    await page.goto(`${shop.url}/admin/settings/shipping/new?lang=ja`);
    await check('new shipping method (ja)');
    await page.goto(`${shop.url}${editHref}`);
    await check('edit shipping method (ja)');
    await page.goto(`${shop.url}/admin/settings/shipping?lang=en`);
    await check('shipping list (en)');
    await context.close();
    expect(results).toEqual([]);
  }, 240_000);
});
