// The first owner in a real browser: the one-time setup link, account creation, MFA enrolment
// with a TOTP computed here from the secret the page shows, recovery codes, dashboard, logout.
// axe-core checks each page; the strict CSP must hold (the QR code is inline SVG, no script).
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeWithChromium, launchHeadlessChromium } from '../support/headless-chromium.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { startTestShop, type TestShop } from '../support/test-shop.ts';
import { seriousAccessibilityViolations } from '../support/axe.ts';
import { ensureSetupLink } from '../../src/admin/setup-link.ts';
import { totpCodeAt } from '../../src/admin/totp.ts';
import { enrolledAccount, freshTotp, TEST_PASSWORD } from '../support/admin-test-client.ts';
import { GOOD_CUSTOMER } from '../support/test-shop.ts';
import { ScriptedGateway } from '../support/scripted-gateway.ts';

const PASSWORD = 'Fuji-san-no-yuki-2026';

describeEachDatabase('back office in Chromium', (database) => {
  let shop: TestShop;
  let gateway: ScriptedGateway;
  let browser: Browser;
  let page: Page;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    gateway = new ScriptedGateway();
    shop = await startTestShop(database, { listen: true, payments: gateway, reconcileAtStart: false });
    browser = await launchHeadlessChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await shop?.dispose();
  });

  async function expectAccessible(label: string) {
    const violations = await seriousAccessibilityViolations(page);
    expect(violations.map((v) => `${label}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }

  it('sets up the first owner from the setup link, enrols TOTP and reaches the dashboard', async () => {
    const link = await ensureSetupLink(shop.db.db, shop.url, new Date());
    expect(link).toBeDefined();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    page = await context.newPage();
    page.on('console', (m) => { if (/Content Security Policy|Refused to/.test(m.text())) cspViolations.push(m.text()); });
    page.on('pageerror', (e) => cspViolations.push(String(e)));

    await page.goto(link!);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Create the first owner account');
    await expectAccessible('setup');
    await page.getByLabel('E-mail address').fill('owner@example.jp');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Password (again)').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/admin\/login\?m=created/);
    await expectAccessible('login');

    await page.getByLabel('E-mail address').fill('owner@example.jp');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/admin\/mfa$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Set up two-step verification');
    expect(await page.locator('.qr-code svg').count()).toBe(1);
    await expectAccessible('mfa enrolment');
    await page.screenshot({ path: path.join(tmpdir(), 'mamori-admin-mfa-enrolment.png') });
    const secret = (await page.locator('#totp-secret').textContent())!.replace(/\s+/g, '');
    await page.getByLabel('6-digit code shown by the app').fill(totpCodeAt(secret, new Date()));
    await page.getByRole('button', { name: 'Finish setup' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Recovery codes');
    expect(await page.locator('.recovery-codes li').count()).toBe(10);
    await expectAccessible('recovery codes');

    await page.getByRole('link', { name: 'Continue to the dashboard' }).click();
    await page.waitForURL(/\/admin$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Dashboard');
    await expectAccessible('dashboard');
    await page.getByRole('link', { name: 'Accounts' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Accounts');
    await expectAccessible('accounts');
    await page.screenshot({ path: path.join(tmpdir(), 'mamori-admin-accounts.png'), fullPage: true });

    // A product created here is on sale in the store at once.
    await page.getByRole('link', { name: 'Products' }).click();
    await page.getByRole('link', { name: 'Add a product' }).click();
    await expectAccessible('new product');
    await page.getByLabel('Name (Japanese)', { exact: true }).fill('桜餅セット');
    await page.getByLabel('Name (English)', { exact: true }).fill('Sakura mochi set');
    await page.getByLabel('URL name').fill('sakura-mochi-set');
    await page.getByLabel('Description (Japanese)').fill('春限定の桜餅。');
    await page.getByLabel('Description (English)').fill('Spring-only sakura mochi.');
    await page.getByLabel('8% (reduced rate)').check();
    await page.getByLabel('SKU', { exact: true }).fill('SAKURA-6');
    await page.getByLabel('Variant name (Japanese)').fill('6個入り');
    await page.getByLabel('Variant name (English)').fill('Box of 6');
    await page.getByLabel('Price (yen, tax incl.)').fill('1620');
    await page.getByLabel('Initial stock').fill('12');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(/\/admin\/products\/\d+\?saved=1/);
    await expectAccessible('edit product');
    await page.getByRole('link', { name: 'View in the store' }).click();
    await page.waitForURL(/\/products\/sakura-mochi-set/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sakura mochi set');
    await page.goto(`${shop.url}/admin/accounts`);

    // Japanese too.
    await page.getByRole('link', { name: '日本語' }).click();
    expect(await page.locator('html').getAttribute('lang')).toBe('ja');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('アカウント');

    await page.getByRole('button', { name: 'ログアウト' }).click();
    await page.waitForURL(/\/admin\/login\?m=loggedout/);
    await page.goto(`${shop.url}/admin`);
    await page.waitForURL(/\/admin\/login$/);
    expect(cspViolations).toEqual([]);
    await context.close();
  });

  it('logs staff in with a TOTP, finds a paid order, refunds part of it and sees it on the timeline', async () => {
    // A paid order: checkout through the Store API, capture notified by the scripted gateway.
    const cart = (await shop.app.inject({ method: 'POST', url: '/api/store/carts' })).json() as { id: string };
    await shop.app.inject({ method: 'POST', url: `/api/store/carts/${cart.id}/items`, payload: { variantId: 1, quantity: 1 } });
    const placed = (await shop.app.inject({ method: 'POST', url: `/api/store/carts/${cart.id}/checkout`, payload: GOOD_CUSTOMER })).json() as { orderId: string };
    const order = await shop.db.db.selectFrom('orders').where('id', '=', placed.orderId).selectAll().executeTakeFirstOrThrow();
    const n = gateway.notification(gateway.set(order.payment_transaction_id!, 'captured'));
    await shop.app.inject({ method: 'POST', url: '/payments/sandbox/notifications', headers: n.headers, payload: n.body });

    const { account, secret } = await enrolledAccount(shop, 'staff@example.jp', 'staff', { refund_limit: 1000 });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
    page = await context.newPage();
    page.on('console', (m) => { if (/Content Security Policy|Refused to/.test(m.text())) cspViolations.push(m.text()); });
    await page.goto(`${shop.url}/admin`);
    await page.waitForURL(/\/admin\/login$/);
    await page.getByLabel('メールアドレス').fill('staff@example.jp');
    await page.getByLabel('パスワード').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'ログイン' }).click();
    await page.waitForURL(/\/admin\/mfa$/);
    await expectAccessible('mfa verify');
    await page.getByLabel('確認コード').fill(await freshTotp(shop, account.id, secret));
    await page.getByRole('button', { name: '確認' }).click();
    await page.waitForURL(/\/admin$/);
    // Staff see orders and products, not accounts or the audit log.
    expect(await page.getByRole('link', { name: 'アカウント' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: '監査ログ' }).count()).toBe(0);

    await page.getByRole('link', { name: '注文' }).click();
    await page.getByLabel('注文番号・メール・氏名').fill(order.order_number);
    await page.getByRole('button', { name: '絞り込む' }).click();
    await expectAccessible('orders');
    await page.getByRole('link', { name: order.order_number }).click();
    await expectAccessible('order detail');
    await page.getByLabel('返金額（円、空欄で残額すべて）').fill('500');
    await page.getByLabel('理由', { exact: true }).last().fill('箱の破損');
    await page.getByRole('button', { name: '返金', exact: true }).click();
    await page.waitForURL(/done=refunded/);
    expect(await page.getByRole('status').textContent()).toContain('返金しました');
    // The timeline and states in Japanese, from the message catalogs (issue 17, bug 6).
    expect(await page.getByText('￥500を返金：箱の破損').count()).toBe(1);
    // The first facts list is the order's own (payment state); the delivery choice has its own list below it.
    expect(await page.locator('.order-facts').first().textContent()).toContain('一部返金済み');
    expect(gateway.payments.get(order.payment_transaction_id!)!.refundedAmount).toBe(500);
    await page.getByRole('link', { name: '注文', exact: true }).click();
    await page.getByLabel('決済状態').selectOption({ label: '一部返金済み' });
    await page.getByRole('button', { name: '絞り込む' }).click();
    await page.waitForURL(/paymentStatus=partially_refunded/);
    expect(await page.getByRole('link', { name: order.order_number }).count()).toBe(1);
    await expectAccessible('orders filtered by payment state');
    expect(cspViolations).toEqual([]);
    await context.close();
  });
}, describeWithChromium);
