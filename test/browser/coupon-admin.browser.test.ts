// /admin/coupons in Chromium: a staff member creates a coupon through the form, a bad form comes
// back with its field messages, then disables it; axe finds nothing serious on each state, in
// Japanese and English, and the strict CSP is never refused. One database: the HTML is the same.
import { beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { describeWithChromium } from '../support/headless-chromium.ts';
import { shopInChromium } from '../support/shop-in-chromium.ts';
import type { TestShop } from '../support/test-shop.ts';
import { expectAccessible, signedInAdminPage } from '../support/admin-in-chromium.ts';

describeWithChromium('coupon administration in Chromium', () => {
  const suite = shopInChromium();
  let shop: TestShop;
  let browser: Browser;
  beforeAll(() => { ({ shop, browser } = suite); });

  it('creates, refuses bad input with field messages, and disables, accessibly', async () => {
    const { context, page, cspViolations } = await signedInAdminPage(shop, browser, 'staff-axe@example.jp', 'staff');
    expect((await page.goto(`${shop.url}/admin/coupons`))?.status()).toBe(200);
    await expectAccessible(page, 'empty list');

    await page.fill('#coupon-code', 'autumn300');
    await page.selectOption('#coupon-kind', 'fixed');
    await page.fill('#coupon-amount', '300');
    await page.fill('#coupon-minimumSubtotal', '2000');
    await page.fill('#coupon-validFrom', '2026-10-01T00:00');
    await page.fill('#coupon-usageLimit', '50');
    await page.click('form[action="/admin/coupons"] button[type="submit"]');
    await page.waitForURL(/done=created/);
    expect(await page.locator('th[scope="row"] code').allTextContents()).toEqual(['AUTUMN300']);
    await expectAccessible(page, 'list with a coupon');

    await page.fill('#coupon-code', 'BIG');
    await page.selectOption('#coupon-kind', 'percent');
    await page.fill('#coupon-amount', '150');
    await page.fill('#coupon-perCustomerLimit', '0');
    await page.click('form[action="/admin/coupons"] button[type="submit"]');
    await page.waitForSelector('#coupon-amount-error');
    expect(await page.locator('#coupon-perCustomerLimit-error').count()).toBe(1);
    expect(await page.locator('#coupon-amount').getAttribute('aria-describedby')).toBe('coupon-amount-error');
    await expectAccessible(page, 'field messages (ja)');

    await page.goto(`${shop.url}/admin/coupons?lang=en`);
    await page.click('button[aria-label="Disable coupon AUTUMN300"]');
    await page.waitForURL(/done=disabled/);
    expect(await page.locator('td[data-state="disabled"]').textContent()).toBe('Disabled');
    await expectAccessible(page, 'disabled (en)');
    expect(cspViolations).toEqual([]);
    await context.close();
  }, 120_000);
});
