// The sign-off pages in Chromium: axe-core finds no serious violation on the archive, the draft form
// (also with a field message), the committee's review form, the approved page and the membership
// page, in Japanese and English; the draft's field message appears as a browser submits the form.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { describeWithChromium, launchHeadlessChromium } from '../../test/support/headless-chromium.ts';
import { DATABASES } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { seriousAccessibilityViolations } from '../../test/support/axe.ts';
import { enrolledAccount, signIn } from '../../test/support/admin-test-client.ts';
import { fakeMonthlyReportRenderer } from '../../test/support/fake-monthly-report-renderer.ts';
import { setCommitteeMembership } from './committee-members.ts';
import { addMonths, monthOf } from './review-service.ts';

describeWithChromium('security report pages in Chromium', () => {
  let shop: TestShop;
  let browser: Browser;

  beforeAll(async () => {
    shop = await startTestShop(DATABASES[0]!, { listen: true, reconcileAtStart: false, seedDemoCatalog: false, monthlyReportRenderer: fakeMonthlyReportRenderer() });
    browser = await launchHeadlessChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await shop?.dispose();
  });

  async function contextFor(email: string, role: 'owner' | 'vendor' | 'auditor'): Promise<{ context: BrowserContext; id: number }> {
    const { account, secret } = await enrolledAccount(shop, email, role);
    const signedIn = await signIn(shop, email, account.id, secret);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
    await context.addCookies([...signedIn.jar].map(([name, value]) => ({ name, value, url: `${shop.url}/admin` })));
    return { context, id: account.id };
  }

  it('has no serious accessibility violations; the draft form shows its field message in a browser', async () => {
    const month = addMonths(monthOf(new Date(), shop.config.timeZone), -1);
    const owner = await contextFor('owner@example.jp', 'owner');
    const vendor = await contextFor('vendor@example.jp', 'vendor');
    const auditor = await contextFor('auditor@example.jp', 'auditor');
    await setCommitteeMembership(shop.db.db, auditor.id, true, { id: `admin:${owner.id}` }, new Date());
    const results: string[] = [];
    const pages = { owner: await owner.context.newPage(), vendor: await vendor.context.newPage(), auditor: await auditor.context.newPage() };
    const check = async (who: keyof typeof pages, label: string) => {
      for (const v of await seriousAccessibilityViolations(pages[who])) results.push(`${label}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    };
    const url = `${shop.url}/admin/security-reports/${month}`;

    await pages.vendor.goto(`${shop.url}/admin/security-reports`);
    await check('vendor', 'archive');
    await pages.vendor.goto(url);
    await check('vendor', 'draft form');
    // An owner without the action's text: the field message, tied to its input.
    await pages.vendor.fill('#action-0-owner', '保守ベンダー');
    await Promise.all([pages.vendor.waitForEvent('load'), pages.vendor.click('#draft-form button[type="submit"]')]);
    expect(await pages.vendor.locator('#action-0-text-error').textContent()).toBe('入力してください。');
    expect(await pages.vendor.locator('#action-0-text').getAttribute('aria-describedby')).toBe('action-0-text-error');
    await check('vendor', 'draft form with a field message');
    await pages.vendor.goto(url);
    await pages.vendor.fill('#action-0-text', 'OpenSSL を更新する');
    await Promise.all([pages.vendor.waitForEvent('load'), pages.vendor.click('#draft-form button[type="submit"]')]);
    await Promise.all([pages.vendor.waitForEvent('load'), pages.vendor.click('#submit-form button[type="submit"]')]);
    await pages.vendor.goto(`${url}?lang=en`);
    await check('vendor', 'submitted report in English');

    await pages.auditor.goto(`${url}?lang=en`);
    expect(await pages.auditor.locator('#review-form').count()).toBe(1);
    await check('auditor', 'review form in English');
    await pages.auditor.goto(`${url}?lang=ja`);
    await Promise.all([pages.auditor.waitForEvent('load'), pages.auditor.click('#review-form button[value="approve"]')]);
    expect(await pages.auditor.locator('#approved-on').count()).toBe(1);
    await check('auditor', 'approved report');
    await pages.auditor.goto(`${shop.url}/admin/security-reports`);
    await check('auditor', 'archive with an approved month');

    await pages.owner.goto(`${shop.url}/admin/security-committee`);
    await check('owner', 'committee membership');
    await pages.owner.goto(`${shop.url}/admin/security-committee?lang=en`);
    await check('owner', 'committee membership in English');
    expect(results).toEqual([]);
  }, 240_000);
});
