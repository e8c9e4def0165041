// axe-core on the 会員管理 pages in Chromium (list, one customer, the reason's field message), in
// Japanese and English. One database: the pages are the same HTML on both.
import { beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { describeWithChromium } from '../../test/support/headless-chromium.ts';
import { shopInChromium } from '../../test/support/shop-in-chromium.ts';
import type { TestShop } from '../../test/support/test-shop.ts';
import { seriousAccessibilityViolations } from '../../test/support/axe.ts';
import { enrolledAccount, signIn } from '../../test/support/admin-test-client.ts';

describeWithChromium('customer administration pages in Chromium', () => {
  const suite = shopInChromium();
  let shop: TestShop;
  let browser: Browser;
  beforeAll(async () => {
    ({ shop, browser } = suite);
    const at = new Date().toISOString();
    await shop.db.db.insertInto('customers').values({
      email: 'hanako@example.jp', name: '山田 花子', password_hash: 'x', locale: 'ja', email_verified_at: at, disabled_at: null,
      totp_secret: null, totp_enrolled_at: null, totp_last_step: null, created_at: at, updated_at: at,
    }).execute();
  });

  it('has no serious accessibility violations on the list, the customer page and its form error', async () => {
    const { account, secret } = await enrolledAccount(shop, 'owner@example.jp', 'owner');
    const signedIn = await signIn(shop, 'owner@example.jp', account.id, secret);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, userAgent: '' });
    await context.addCookies([...signedIn.jar].map(([name, value]) => ({ name, value, url: `${shop.url}/admin` })));
    const page = await context.newPage();
    const results: string[] = [];
    const check = async (label: string) => {
      for (const v of await seriousAccessibilityViolations(page)) results.push(`${label}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    };
    for (const url of ['/admin/customers', '/admin/customers?text=hanako', '/admin/customers/1', '/admin/customers?lang=en']) {
      const r = await page.goto(`${shop.url}${url}`);
      expect(r?.status(), url).toBe(200);
      await check(url);
    }
    await page.goto(`${shop.url}/admin/customers/1?lang=ja`);
    expect(await page.locator('text=hanako@example.jp').count()).toBe(1);
    // The browser's own `required` check would stop an empty reason: a space passes it, the server refuses it.
    await page.fill('#customer-reason', ' ');
    await page.click('form[action="/admin/customers/1/disable"] button[type="submit"]');
    expect(await page.locator('#customer-reason-error').textContent()).toContain('理由を入力してください');
    await check('reason error');
    expect(results).toEqual([]);
  }, 120_000);
});
