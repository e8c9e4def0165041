// axe-core on the security area's pages in Chromium, filled with what an incident looks like: an
// open alert, card payments paused, a baseline and a run with differences, a wrong code's field
// message. One database: the pages are the same HTML on both.
import { beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { describeWithChromium } from '../../test/support/headless-chromium.ts';
import { shopInChromium } from '../../test/support/shop-in-chromium.ts';
import { DATABASES } from '../../test/support/databases.ts';
import type { TestShop } from '../../test/support/test-shop.ts';
import { seriousAccessibilityViolations } from '../../test/support/axe.ts';
import { enrolledAccount, signIn } from '../../test/support/admin-test-client.ts';
import { raiseAlert } from '../alerts/raise-alert.ts';
import { pauseShop } from '../shop-pause/shop-pause.ts';
import { checkPaymentPages } from '../page-watch/check-payment-pages.ts';
import { recordRun } from '../page-watch/baseline.ts';
import { storeCspViolations } from '../csp-reports/csp-reports.ts';

const database = DATABASES[0]!;

describeWithChromium('security area pages in Chromium', () => {
  const suite = shopInChromium();
  let shop: TestShop;
  let browser: Browser;
  let page: Page;
  beforeAll(() => { ({ shop, browser } = suite); });

  it('has no serious accessibility violations on the dashboard, pause, page-watch and status pages', async () => {
    const { account, secret } = await enrolledAccount(shop, 'owner@example.jp', 'owner');
    await raiseAlert(shop.context, { kind: 'page_watch.difference', severity: 'critical', summary: 'a script was added to /checkout', evidence: {} });
    await pauseShop(shop.db.db, { scope: 'card_payments', reason: 'page watch found a new script', actor: { id: 'page-watch' } }, new Date());
    const first = await checkPaymentPages(shop.db.db, { baseUrl: shop.url, fetch: (u, init) => fetch(u, init) });
    expect(first.outcome).toBe('baseline-recorded');
    await recordRun(shop.db.db, { startedAt: new Date(), finishedAt: new Date(), level: 'http', outcome: 'differences', baselineId: 1, differences: [{ type: 'script-added', page: 'checkout', script: { kind: 'external', url: 'https://evil.example/x.js', sha256: null, fetchError: 'unreachable' } }] });

    await storeCspViolations(shop.db.db, [{ format: 'report-uri', effectiveDirective: 'script-src-elem', blockedUrl: 'https://evil.example/x.js', documentUrl: `${shop.url}/checkout`, disposition: 'enforce', sourceFile: null, lineNumber: null }], { maxStored: 100, now: new Date() });
    const signedIn = await signIn(shop, 'owner@example.jp', account.id, secret);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, userAgent: '' });
    await context.addCookies([...signedIn.jar].map(([name, value]) => ({ name, value, url: `${shop.url}/admin` })));
    page = await context.newPage();

    const results: string[] = [];
    const check = async (label: string) => {
      for (const v of await seriousAccessibilityViolations(page)) results.push(`${label}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    };
    for (const url of ['/admin', '/admin/security/pause', '/admin/security/page-watch', '/admin/security/csp-reports', '/admin/status', '/admin/security/page-watch?lang=en']) {
      const r = await page.goto(`${shop.url}${url}`);
      expect(r?.status(), url).toBe(200);
      await check(url);
    }
    expect(await page.locator('.page-watch-runs [data-outcome="differences"]').count()).toBe(1);

    await page.goto(`${shop.url}/admin/security/pause`);
    await page.fill('#resume-card_payments-note', 'checked');
    await page.fill('#resume-card_payments-code', '000000');
    await page.click('form[action="/admin/security/pause/resume"] button[type="submit"]');
    expect(await page.locator('#resume-card_payments-code-error').textContent()).toMatch(/The code is wrong/); // the ?lang=en visit set the language
    await check('pause page with a wrong code');

    expect(results).toEqual([]);
  }, 120_000);
});
