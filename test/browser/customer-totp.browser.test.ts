// Customer TOTP in Chromium: sign in with the password, turn TOTP on by reading the key from the
// page and computing the code with otpauth, sign out, sign in with password and code, make new
// recovery codes; axe on the enrolment, recovery-code, code-entry and account pages.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { Secret, TOTP } from 'otpauth';
import { describeWithChromium, launchHeadlessChromium } from '../support/headless-chromium.ts';
import { DATABASES } from '../support/databases.ts';
import { startTestShop, type TestShop } from '../support/test-shop.ts';
import { scryptHasher } from '../../src/customer-accounts/account-runtime.ts';
import { seriousAccessibilityViolations } from '../support/axe.ts';

const PASSWORD = 'correct horse battery staple';
const EMAIL = 'totp-browser@example.jp';
const codeOf = (secret: string, at: number) => new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate({ timestamp: at });

describeWithChromium('customer TOTP in Chromium', () => {
  let shop: TestShop;
  let browser: Browser;
  let page: Page;
  let base: string;

  beforeAll(async () => {
    shop = await startTestShop(DATABASES[0]!, { listen: true, reconcileAtStart: false, env: { CUSTOMER_AUTH_PER_MINUTE: '100000' }, customerAccounts: { waitMs: async () => {} } });
    base = shop.url;
    const at = new Date().toISOString();
    await shop.db.db.insertInto('customers').values({
      email: EMAIL, name: '二段 太郎', password_hash: await scryptHasher.hash(PASSWORD), locale: 'ja', email_verified_at: at, disabled_at: null,
      totp_secret: null, totp_enrolled_at: null, totp_last_step: null, created_at: at, updated_at: at,
    }).execute();
    browser = await launchHeadlessChromium();
    page = await (await browser.newContext({ viewport: { width: 1024, height: 900 } })).newPage();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await shop?.dispose();
  });

  it('turns TOTP on from the account page, signs in with password and code, and makes new recovery codes', async () => {
    await page.goto(`${base}/account/login?lang=ja`);
    await page.fill('#email', EMAIL);
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForURL(/\/account\?/), page.click('form[action="/account/login"] button[type="submit"]')]);
    await Promise.all([page.waitForURL(/\/account\/totp/), page.click('a[href^="/account/totp"]')]);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    const secret = (await page.textContent('#totp-secret'))!.replace(/\s/g, '');
    await page.fill('#code', codeOf(secret, Date.now()));
    await page.click('form[action="/account/totp"] button[type="submit"]');
    await page.locator('ul.recovery-codes li').first().waitFor();
    expect(await page.locator('ul.recovery-codes li').count()).toBe(10);
    const firstCodes = await page.locator('ul.recovery-codes code').allTextContents();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await Promise.all([page.waitForURL(/\/account\?/), page.click('a[href*="done=totpEnabled"]')]);
    await Promise.all([page.waitForURL(/\/\?lang=/), page.click('form[action="/account/logout"] button[type="submit"]')]);

    await page.goto(`${base}/account/login?lang=ja`);
    await page.fill('#email', EMAIL);
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForURL(/\/account\/login\/totp/), page.click('form[action="/account/login"] button[type="submit"]')]);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    // The next time step: the enrolment spent the current one.
    await page.fill('#code', codeOf(secret, Date.now() + 30_000));
    await Promise.all([page.waitForURL(/\/account\?lang=ja$/), page.click('form[action="/account/login/totp"] button[type="submit"]')]);
    expect(await page.content()).toContain(EMAIL);

    // New recovery codes from the account page. The sign-in spent the latest time step the window
    // takes, so a recovery code stands in for the TOTP code (the same check accepts either).
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.fill('#renewPassword', PASSWORD);
    await page.fill('#renewCode', firstCodes[0]!);
    await page.click('form[action="/account/totp/recovery-codes"] button[type="submit"]');
    await page.locator('ul.recovery-codes li').first().waitFor();
    expect(await page.locator('ul.recovery-codes li').count()).toBe(10);
    expect(await page.locator('ul.recovery-codes code').allTextContents()).not.toContain(firstCodes[1]);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });
});
