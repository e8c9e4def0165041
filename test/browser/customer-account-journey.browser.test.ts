// A customer's account end to end in Chromium, in Japanese: register → the verification link from
// the mail → sign in → order at checkout (signed in, so the order is the account's) → the order in
// the history and its page → paid → its 領収書 PDF from there; forgotten password → the reset link → sign in with the new password;
// account deletion → signed out, and the old password no longer works. axe on each account page.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { describeWithChromium, launchHeadlessChromium } from '../support/headless-chromium.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { startTestShop, type TestShop } from '../support/test-shop.ts';
import { saveShopSettings } from '../../src/shop-settings/save-shop-settings.ts';
import { ScriptedGateway } from '../support/scripted-gateway.ts';
import { seriousAccessibilityViolations } from '../support/axe.ts';
import type { OutgoingMail } from '../../src/mail/mailer.ts';
import { queryAndSettle } from '../../src/payments/confirm-payment.ts';
import { silentLogger } from '../../src/shop-context.ts';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const REGISTRATION = 'T7010705000725';
const EMAIL = 'journey@example.jp';
const PASSWORD = 'kumo no ue no niwa de ocha';
const NEW_PASSWORD = 'asa no uji de matcha wo nomu';

describeEachDatabase('a customer account in Chromium', (database) => {
  let shop: TestShop;
  let browser: Browser;
  let page: Page;
  let gateway: ScriptedGateway;
  const mails: OutgoingMail[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    gateway = new ScriptedGateway();
    shop = await startTestShop(database, { listen: true, payments: gateway, reconcileAtStart: false, env: { CUSTOMER_AUTH_PER_MINUTE: '100000' }, customerAccounts: { waitMs: async () => {} } });
    shop.context.mailer = { description: 'recording', send: async (m) => { mails.push(m); } };
    // A registered seller, so the receipt is a qualified invoice (登録番号 on it).
    await saveShopSettings(shop.context, {
      shopName: '守りストア', companyName: '株式会社守り', representative: '山田太郎', postalCode: '100-0001', address: '東京都千代田区千代田1-1',
      phone: '03-1234-5678', email: 'shop@example.jp', hours: '平日 10-17時', invoiceRegistrant: 'corporation', invoiceRegistrationNumber: REGISTRATION,
      timeZone: 'Asia/Tokyo', taxDisplay: 'inclusive', bankTransferAccount: '',
    }, undefined, { actor: 'test', ip: '127.0.0.1', at: new Date() });
    browser = await launchHeadlessChromium();
    const context = await browser.newContext({ viewport: { width: 1024, height: 900 } });
    page = await context.newPage();
    await page.route(`${gateway.checkoutOrigin}/**`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>gateway</title><h1>Hosted payment page</h1>' }));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await shop?.dispose();
  });

  const check = async (label: string) => {
    for (const v of await seriousAccessibilityViolations(page)) problems.push(`${label}: ${v.id} ${v.help}`);
  };
  // The mail's link, on the port this test's shop listens on (PUBLIC_URL is not set here).
  const linkIn = (m: OutgoingMail) => {
    const u = new URL(/https?:\/\/\S+token=[A-Za-z0-9_-]+/.exec(m.text)![0]);
    return `${shop.url}${u.pathname}${u.search}`;
  };
  const waitForMail = async (to: string, subject: RegExp) => {
    // The recording mailer runs before the page is answered: the mail is there once the page is.
    const m = mails.find((x) => x.to === to && subject.test(x.subject));
    if (!m) throw new Error(`no mail "${subject}" to ${to}; got ${mails.map((x) => x.subject).join(', ')}`);
    return m;
  };
  async function signIn(password: string) {
    await page.goto(`${shop.url}/account/login?lang=ja`);
    await page.fill('#email', EMAIL);
    await page.fill('#password', password);
    await page.click('form[action="/account/login"] button[type="submit"]');
    await page.waitForLoadState();
  }

  it('registers, verifies, signs in, orders, finds the order in the history and downloads its receipt once paid', async () => {
    await page.goto(`${shop.url}/account/register?lang=ja`);
    await check('register');
    await page.fill('#email', EMAIL);
    await page.fill('#name', '旅 花子');
    await page.fill('#password', PASSWORD);
    await page.click('form[action="/account/register"] button[type="submit"]');
    await page.waitForLoadState();
    const verify = await waitForMail(EMAIL, /メールアドレスの確認/);
    await page.goto(linkIn(verify));
    await check('verify link');
    await page.click('form button[type="submit"]');
    await page.waitForLoadState();
    expect(await page.content()).toContain('メールアドレスを確認しました');

    await signIn(PASSWORD);
    expect(page.url()).toMatch(/\/account\?/);
    await check('account');

    // Signed in: the checkout already knows the e-mail; the order becomes the account's.
    await page.goto(`${shop.url}/products/uji-matcha-latte?lang=ja`);
    await page.getByRole('button', { name: 'カートに入れる' }).click();
    await page.waitForURL(/\/cart/);
    await page.goto(`${shop.url}/checkout?lang=ja`);
    expect(await page.inputValue('#email')).toBe(EMAIL);
    await page.fill('#familyName', '旅');
    await page.fill('#givenName', '花子');
    await page.fill('#familyNameKana', 'たび');
    await page.fill('#givenNameKana', 'はなこ');
    await page.fill('#phone', '090-1234-5678');
    await page.fill('#postalCode', '100-0001');
    await page.selectOption('#prefecture', '東京都');
    await page.fill('#city', '千代田区');
    await page.fill('#line1', '千代田1-1');
    await page.getByRole('button', { name: '注文を確定して支払いへ進む' }).click();
    await page.waitForURL((u) => u.origin === gateway.checkoutOrigin);
    const order = await shop.db.db.selectFrom('orders').where('email', '=', EMAIL).select(['id', 'order_number', 'family_name_kana']).executeTakeFirstOrThrow();
    expect(order.family_name_kana).toBe('タビ');

    await page.goto(`${shop.url}/account?lang=ja`);
    const row = page.locator('table.account-orders tbody tr');
    expect(await row.count()).toBe(1);
    expect(await row.first().textContent()).toContain(order.order_number);
    await row.first().getByRole('link').click();
    await page.waitForURL(new RegExp(`/account/orders/${order.id}`));
    expect(await page.content()).toContain(order.order_number);
    await check('order from the history');

    // Paid at the gateway (the shop asks it, as after the customer's return): the 領収書 from the history.
    const tx = (await shop.db.db.selectFrom('orders').where('id', '=', order.id).select('payment_transaction_id').executeTakeFirstOrThrow()).payment_transaction_id!;
    gateway.set(tx, 'captured');
    expect((await queryAndSettle(shop.context, order.id, 'return', silentLogger)).outcome).toBe('paid');
    await page.goto(`${shop.url}/account/orders/${order.id}?lang=ja`);
    await check('paid order from the history, with its receipt form');
    await page.fill('#receipt-addressee', '旅 花子');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(`form[action="/account/orders/${order.id}/receipt"] button[type="submit"]`)]);
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: readFileSync((await download.path())!) }).toString('utf8');
    expect(text).toContain('領収書');
    expect(text).toContain(order.order_number);
    expect(text).toContain('旅 花子');
    // A qualified invoice: the seller's registration number, and per rate its total and the tax it contains.
    expect(text).toContain(REGISTRATION);
    const taxLines = await shop.db.db.selectFrom('order_tax_lines').where('order_id', '=', order.id).select(['tax_rate', 'taxable_total', 'tax']).execute();
    expect(taxLines.length).toBeGreaterThan(0);
    for (const t of taxLines) expect(text).toMatch(new RegExp(`${t.tax_rate}%[^\\n]*${Number(t.taxable_total).toLocaleString('ja-JP')}[^\\n]*${Number(t.tax).toLocaleString('ja-JP')}`));
  }, 120_000);

  it('resets a forgotten password by the mailed link, then deletes the account', async () => {
    await page.goto(`${shop.url}/account?lang=ja`);
    await page.click('form[action="/account/logout"] button[type="submit"]');
    await page.waitForLoadState();
    await page.goto(`${shop.url}/account/password-reset?lang=ja`);
    await check('reset request');
    await page.fill('#email', EMAIL);
    await page.click('form[action="/account/password-reset"] button[type="submit"]');
    await page.waitForLoadState();
    const reset = await waitForMail(EMAIL, /パスワード再設定/);
    await page.goto(linkIn(reset));
    await check('reset form');
    await page.fill('#password', NEW_PASSWORD);
    await page.click('form button[type="submit"]');
    await page.waitForLoadState();

    await signIn(PASSWORD);
    expect(page.url()).toContain('/account/login'); // the old password is gone
    await signIn(NEW_PASSWORD);
    expect(page.url()).toMatch(/\/account\?/);

    await page.fill('#deletePassword', NEW_PASSWORD);
    await page.click('form[action="/account/delete"] button[type="submit"]');
    await page.waitForLoadState();
    expect(await page.content()).toContain('アカウントを削除しました');
    await check('deleted');
    expect(await shop.db.db.selectFrom('customers').where('email', '=', EMAIL).select('id').executeTakeFirst()).toBeUndefined();
    // The order stays for the merchant's books.
    expect(await shop.db.db.selectFrom('orders').where('email', '=', EMAIL).select('id').executeTakeFirst()).toBeDefined();
    await signIn(NEW_PASSWORD);
    expect(page.url()).toContain('/account/login');
    expect(problems).toEqual([]);
  }, 120_000);
}, describeWithChromium);
