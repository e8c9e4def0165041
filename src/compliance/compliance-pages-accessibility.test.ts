// The compliance pages in Chromium: axe-core finds no serious violation on the map (owner view,
// Japanese and English, with a field message shown) and on the printable copy; the attest form
// works as a real browser sends it (multipart with the session's CSRF token, optional file), and
// the print view renders for paper. One database: the pages are the same HTML on both.
import { beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { describeWithChromium } from '../../test/support/headless-chromium.ts';
import { shopInChromium } from '../../test/support/shop-in-chromium.ts';
import type { TestShop } from '../../test/support/test-shop.ts';
import { seriousAccessibilityViolations } from '../../test/support/axe.ts';
import { enrolledAccount, signIn } from '../../test/support/admin-test-client.ts';

describeWithChromium('compliance pages in Chromium', () => {
  const suite = shopInChromium();
  let shop: TestShop;
  let browser: Browser;
  beforeAll(() => { ({ shop, browser } = suite); });

  it('has no serious accessibility violations; attesting works in a browser; the print view renders', async () => {
    const { account, secret } = await enrolledAccount(shop, 'hanako@example.jp', 'owner');
    const signedIn = await signIn(shop, 'hanako@example.jp', account.id, secret);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, userAgent: '', locale: 'ja-JP' });
    await context.addCookies([...signedIn.jar].map(([name, value]) => ({ name, value, url: `${shop.url}/admin` })));
    const page = await context.newPage();
    const results: string[] = [];
    const check = async (label: string) => {
      for (const v of await seriousAccessibilityViolations(page)) results.push(`${label}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    };

    await page.goto(`${shop.url}/admin/compliance`);
    await check('map');
    // An empty note: the browser's own validation is bypassed to see the server's field message.
    await page.evaluate(() => document.querySelector('#attest-note')?.removeAttribute('required'));
    await page.selectOption('#attest-itemId', 'pci-12.10.1');
    const until = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    await page.fill('#attest-expiresOn', until);
    await page.click('#attest-form button[type="submit"]');
    expect(await page.locator('#attest-note-error').textContent()).toBe('入力してください。');
    await check('map with a field message');
    await page.fill('#attest-note', 'インシデント対応計画を改訂し、全員に配布した');
    await page.setInputFiles('#attest-file', { name: 'plan.txt', mimeType: 'text/plain', buffer: Buffer.from('計画書') });
    await Promise.all([page.waitForURL(/done=attested/), page.click('#attest-form button[type="submit"]')]);
    expect(await page.locator('[data-item="pci-12.10.1"]').getAttribute('data-status')).toBe('attested');
    await check('map with an attestation');

    await page.goto(`${shop.url}/admin/compliance?lang=en`);
    await check('map in English');
    await page.goto(`${shop.url}/admin/compliance/print`);
    await check('print');
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(results).toEqual([]);
  }, 240_000);
});
