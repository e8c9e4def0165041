// The incident pages in Chromium: axe-core finds no serious violation on the list, the incident
// page (with timeline, evidence, tasks, checklist) and the PPC report draft, in Japanese and
// English; the open form's field messages and the evidence upload work as a real browser sends
// them (multipart with the session's CSRF token). One database: the pages are the same HTML on both.
import { beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { describeWithChromium } from '../../test/support/headless-chromium.ts';
import { shopInChromium } from '../../test/support/shop-in-chromium.ts';
import type { TestShop } from '../../test/support/test-shop.ts';
import { seriousAccessibilityViolations } from '../../test/support/axe.ts';
import { enrolledAccount, signIn } from '../../test/support/admin-test-client.ts';
import { raiseAlert } from '../alerts/raise-alert.ts';
import { incidentDb } from './incident-tables.ts';

describeWithChromium('incident pages in Chromium', () => {
  const suite = shopInChromium();
  let shop: TestShop;
  let browser: Browser;
  let page: Page;
  beforeAll(() => { ({ shop, browser } = suite); });

  it('has no serious accessibility violations; the open form and the evidence upload work in a browser', async () => {
    const { account, secret } = await enrolledAccount(shop, 'owner@example.jp', 'owner');
    await raiseAlert(shop.context, { kind: 'page_watch.difference', severity: 'critical', summary: 'a script was added to /checkout', evidence: {} });
    const signedIn = await signIn(shop, 'owner@example.jp', account.id, secret);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, userAgent: '', locale: 'ja-JP' });
    await context.addCookies([...signedIn.jar].map(([name, value]) => ({ name, value, url: `${shop.url}/admin` })));
    page = await context.newPage();
    const results: string[] = [];
    const check = async (label: string) => {
      for (const v of await seriousAccessibilityViolations(page)) results.push(`${label}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    };

    await page.goto(`${shop.url}/admin/incidents`);
    await check('list');
    await page.fill('#incident-title', '');
    await page.fill('#incident-noticed', 'checkout に未知のスクリプト');
    await page.click('#open-incident button[type="submit"]');
    expect(await page.locator('#incident-title-error').textContent()).toBe('入力してください。');
    await check('open form with a field message');
    await page.fill('#incident-title', '決済ページの改ざん');
    await Promise.all([page.waitForURL(/\/admin\/incidents\/\d+$/), page.click('#open-incident button[type="submit"]')]);
    const incidentUrl = page.url();
    await check('incident page');
    expect(await page.locator('.incident-timeline [data-source="alert"]').count()).toBe(1);

    await page.fill('#evidence-description', 'スクリーンショット');
    await page.setInputFiles('#evidence-file', { name: 'screenshot.txt', mimeType: 'text/plain', buffer: Buffer.from('what the checkout showed') });
    await Promise.all([page.waitForURL(/saved=1/), page.click('#evidence-upload button[type="submit"]')]);
    expect(await page.locator('.incident-evidence [data-source="upload"]').count()).toBe(1);
    expect(await incidentDb(shop.db.db).selectFrom('incident_evidence').select('file_name').execute()).toEqual([{ file_name: 'screenshot.txt' }]);
    await check('incident page with evidence');

    await page.goto(`${incidentUrl}/ppc-report`);
    await check('PPC report draft');
    await page.goto(`${incidentUrl}?lang=en`);
    await check('incident page in English');
    expect(results).toEqual([]);
  }, 240_000);
});
