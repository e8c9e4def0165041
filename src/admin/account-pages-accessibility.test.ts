// axe-core on the accounts list and one account's page with its TOTP reset form (and that form's
// field messages), in Japanese and English, plus the owner's own page. One database: the pages are
// the same HTML on both.
import { beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { describeWithChromium } from '../../test/support/headless-chromium.ts';
import { shopInChromium } from '../../test/support/shop-in-chromium.ts';
import type { TestShop } from '../../test/support/test-shop.ts';
import { seriousAccessibilityViolations } from '../../test/support/axe.ts';
import { enrolledAccount, signIn } from '../../test/support/admin-test-client.ts';
import { adminMessagesJa } from './admin-messages-ja.ts';

describeWithChromium('account pages in Chromium', () => {
  const suite = shopInChromium();
  let shop: TestShop;
  let browser: Browser;
  beforeAll(() => { ({ shop, browser } = suite); });

  it('has no serious accessibility violations on the accounts list, an account\'s TOTP reset form and its field messages', async () => {
    const { account, secret } = await enrolledAccount(shop, 'owner@example.jp', 'owner');
    const { account: staff } = await enrolledAccount(shop, 'staff@example.jp', 'staff');
    const signedIn = await signIn(shop, 'owner@example.jp', account.id, secret);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, userAgent: '' });
    await context.addCookies([...signedIn.jar].map(([name, value]) => ({ name, value, url: `${shop.url}/admin` })));
    const page = await context.newPage();
    const results: string[] = [];
    const check = async (label: string) => {
      for (const v of await seriousAccessibilityViolations(page)) results.push(`${label}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    };
    for (const url of ['/admin/accounts', `/admin/accounts/${staff.id}`, `/admin/accounts/${account.id}`, `/admin/accounts/${staff.id}?lang=en`]) {
      const r = await page.goto(`${shop.url}${url}`);
      expect(r?.status(), url).toBe(200);
      await check(url);
    }
    await page.goto(`${shop.url}/admin/accounts/${staff.id}?lang=ja`);
    // The browser's own `required` check would stop an empty reason: a space passes it, the server refuses it.
    await page.fill('#account-totp-reason', ' ');
    await page.fill('#account-totp-code', '000000');
    await page.click(`form[action="/admin/accounts/${staff.id}/reset-totp"] button[type="submit"]`);
    expect(await page.locator('#account-totp-reason-error').textContent()).toBe(adminMessagesJa.accounts.resetTotp.reasonRequired);
    await check('reason error');
    // A wrong code: the message sits at the code field.
    await page.fill('#account-totp-reason', 'lost phone');
    await page.fill('#account-totp-code', '000000');
    await page.click(`form[action="/admin/accounts/${staff.id}/reset-totp"] button[type="submit"]`);
    expect(await page.locator('#account-totp-code-error').textContent()).toBe(adminMessagesJa.securityArea.pause.invalidCode);
    await check('code error');
    expect(results).toEqual([]);
  }, 120_000);
});
