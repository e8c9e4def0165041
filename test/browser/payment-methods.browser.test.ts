// Payment methods beside card in Chromium, with the sandbox gateway in its own process: the owner
// switches bank transfer, cash on delivery and konbini on at /admin/settings/payments (a refused save first); a
// customer orders by bank transfer from the storefront and sees the account and deadline; staff
// record the transfer on the admin order page (a wrong amount first); a customer orders 代金引換 and
// sees the fee, staff ship it unpaid and record the carrier's collection; a customer orders by konbini,
// sees the payment number, "pays at the store" on the gateway's sandbox terminal, and the order
// page then says the payment arrived. axe on every new page and state.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithChromium, launchHeadlessChromium } from '../support/headless-chromium.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { startPaymentStack, type PaymentStack } from '../support/payment-stack.ts';
import { seriousAccessibilityViolations } from '../support/axe.ts';
import { signedInAdminPage } from '../support/admin-in-chromium.ts';
import type { TestShop } from '../support/test-shop.ts';
import type { OutgoingMail } from '../../src/mail/mailer.ts';

describeEachDatabase('payment methods in Chromium', (database) => {
  let stack: PaymentStack;
  let browser: Browser;
  let page: Page;
  const cspViolations: string[] = [];
  const sent: OutgoingMail[] = [];
  const waiters: { match: (m: OutgoingMail) => boolean; resolve: () => void }[] = [];
  const mailSent = (match: (m: OutgoingMail) => boolean) => new Promise<void>((resolve) => {
    if (sent.some(match)) resolve(); else waiters.push({ match, resolve });
  });

  beforeAll(async () => {
    stack = await startPaymentStack(database);
    browser = await launchHeadlessChromium();
    const mailer = stack.shop.context.mailer;
    const send = mailer.send.bind(mailer);
    mailer.send = async (m) => {
      await send(m);
      sent.push(m);
      for (const w of waiters.filter((x) => x.match(m))) { waiters.splice(waiters.indexOf(w), 1); w.resolve(); }
    };
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.dispose();
  });

  const shopUrl = () => `http://127.0.0.1:${stack.shopPort}`;
  const asTestShop = () => ({ ...stack.shop, config: stack.shop.context.config, dataDir: stack.dataDir, url: shopUrl() }) as unknown as TestShop;

  async function newPage(context: BrowserContext): Promise<Page> {
    const p = await context.newPage();
    p.on('console', (m) => { if (/Content Security Policy|Refused to/.test(m.text())) cspViolations.push(m.text()); });
    p.on('pageerror', (e) => cspViolations.push(String(e)));
    return p;
  }
  const adminViolations: string[][] = [];
  async function adminPage(email: string, role: 'owner' | 'staff'): Promise<Page> {
    const admin = await signedInAdminPage(asTestShop(), browser, email, role);
    adminViolations.push(admin.cspViolations);
    return admin.page;
  }
  async function expectAccessible(label: string) {
    const violations = await seriousAccessibilityViolations(page);
    expect(violations.map((v) => `${label}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }
  /** `konbiniStore`: the chain's label; konbini is first submitted without one, which must be refused. */
  async function orderFromStorefront(email: string, method: string, konbiniStore?: string): Promise<string> {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ja-JP' });
    page = await newPage(context);
    await page.goto(`${shopUrl()}/products/uji-matcha-latte`);
    await page.getByRole('button', { name: 'カートに入れる' }).click();
    await page.waitForURL(/\/cart/);
    await page.getByRole('link', { name: 'ご購入手続きへ' }).click();
    await page.waitForURL(/\/checkout/);
    await page.getByLabel('メールアドレス').fill(email);
    await page.getByLabel('姓', { exact: true }).fill('山田');
    await page.getByLabel('名', { exact: true }).fill('花子');
    await page.getByLabel('セイ（フリガナ）').fill('ヤマダ');
    await page.getByLabel('メイ（フリガナ）').fill('ハナコ');
    await page.getByLabel('電話番号').fill('090-1234-5678');
    await page.getByLabel('郵便番号').fill('100-0001');
    await page.getByLabel('都道府県').selectOption('東京都');
    await page.getByLabel('市区町村').fill('千代田区');
    await page.getByLabel('番地').fill('千代田1-1');
    await page.getByRole('radio', { name: new RegExp(method) }).check();
    await expectAccessible(`checkout with ${method}`);
    if (konbiniStore) {
      await page.getByRole('button', { name: '注文を確定して支払いへ進む' }).click();
      await page.waitForSelector('.error-summary');
      expect(await page.locator('.error-summary a[href="#konbiniStore"]').textContent()).toContain('お支払いになるコンビニを選んでください。');
      expect(await page.locator('#konbiniStore-error').textContent()).toBe('お支払いになるコンビニを選んでください。');
      await expectAccessible('checkout, konbini without a chain');
      // What was typed is kept; the method too.
      expect(await page.getByLabel('番地').inputValue()).toBe('千代田1-1');
      expect(await page.getByRole('radio', { name: new RegExp(method) }).isChecked()).toBe(true);
      await page.getByRole('radio', { name: konbiniStore, exact: true }).check();
    }
    await page.getByRole('button', { name: '注文を確定して支払いへ進む' }).click();
    await page.waitForURL((u) => u.origin === shopUrl() && /^\/orders\/[0-9a-f-]{36}$/.test(u.pathname));
    return new URL(page.url()).pathname.split('/')[2]!;
  }

  it('the owner switches bank transfer, cash on delivery and konbini on, after a refused save', async () => {
    page = await adminPage('owner@example.jp', 'owner');
    await page.goto(`${shopUrl()}/admin/settings/payments`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('お支払い方法の設定');
    await expectAccessible('payment settings');
    await page.getByLabel('銀行振込（前払い）', { exact: true }).check();
    await page.getByLabel('コンビニ決済', { exact: true }).check();
    await page.getByLabel('代金引換', { exact: true }).check();
    await page.getByLabel('銀行振込のお支払い期限（日数）').fill('45');
    await page.getByRole('button', { name: '保存' }).click();
    expect(await page.locator('#bankTransferDays-error').textContent()).toBe('1〜30の整数で入力してください。');
    expect(await page.getByRole('alert').count()).toBeGreaterThan(0);
    await expectAccessible('payment settings with an error');
    await page.getByLabel('銀行振込のお支払い期限（日数）').fill('5');
    await page.getByLabel(/振込先口座/).fill('三井住友銀行 渋谷支店\n普通 1234567\nカ）マモリ');
    await page.getByRole('button', { name: '保存' }).click();
    await page.waitForURL(/done=saved/);
    expect(await page.getByRole('status').textContent()).toBe('お支払い方法の設定を保存しました。');
    await expectAccessible('payment settings saved');
  }, 90_000);

  let bankOrderId = '';
  it('a customer orders by bank transfer and sees the account and deadline; staff record the transfer', async () => {
    bankOrderId = await orderFromStorefront('bank@example.jp', '銀行振込');
    expect(await page.getByText('普通 1234567').count()).toBe(1);
    expect(await page.getByText('お支払い期限').count()).toBeGreaterThan(0);
    // The order mail says the payment is still due, and where and by when (issue 17, bug 8).
    await mailSent((m) => m.to === 'bank@example.jp');
    const orderMail = sent.find((m) => m.to === 'bank@example.jp')!;
    expect(orderMail.text).toContain('普通 1234567');
    expect(orderMail.text).toContain('お支払い期限');
    await expectAccessible('order page, bank transfer');
    const total = (await stack.shop.db.db.selectFrom('orders').where('id', '=', bankOrderId).select('total').executeTakeFirstOrThrow()).total;

    page = await adminPage('staff@example.jp', 'staff');
    await page.goto(`${shopUrl()}/admin/orders/${bankOrderId}`);
    await expectAccessible('admin order, bank transfer due');
    await page.getByLabel('受け取った金額（円）').fill(String(total - 100));
    await page.getByLabel(/メモ/).fill('振込名義 ヤマダハナコ');
    await page.getByRole('button', { name: '入金を記録' }).click();
    expect(await page.locator('#record-amount-error').textContent()).toContain('一致しません');
    await expectAccessible('admin order, wrong amount');
    await page.getByLabel('受け取った金額（円）').fill(String(total));
    await page.getByRole('button', { name: '入金を記録' }).click();
    await page.waitForURL(/done=paid/);
    expect(await page.getByRole('status').textContent()).toBe('入金を記録しました。');
    expect((await stack.shop.db.db.selectFrom('orders').where('id', '=', bankOrderId).select('status').executeTakeFirstOrThrow()).status).toBe('paid');
  }, 90_000);

  it('a customer orders 代金引換 and sees the fee; staff ship it unpaid, then record the collection', async () => {
    const orderId = await orderFromStorefront('cod@example.jp', '代金引換');
    const order = await stack.shop.db.db.selectFrom('orders').where('id', '=', orderId).select(['total', 'items_total', 'shipping_fee', 'status']).executeTakeFirstOrThrow();
    // The default fee table: ¥330 up to ¥10,000 — part of the total the carrier collects.
    expect(order.total - order.items_total - order.shipping_fee).toBe(330);
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('代引手数料');
    expect(text).toContain(`商品のお届け時に ￥${order.total.toLocaleString('ja-JP')}（代引手数料を含む）を配送業者にお支払いください。`);
    await expectAccessible('order page, cash on delivery');

    page = await adminPage('cod-staff@example.jp', 'staff');
    await page.goto(`${shopUrl()}/admin/orders/${orderId}`);
    expect(await page.getByText('代金引換（未回収）').count()).toBeGreaterThan(0);
    await expectAccessible('admin order, cash on delivery unpaid');
    await page.getByLabel('配送業者').fill('ヤマト運輸');
    await page.getByLabel('追跡番号').fill('1234-5678-9012');
    await page.getByRole('button', { name: '発送済みにする' }).click();
    await page.waitForURL(/done=fulfilled/);
    // The shipped mail links to the carrier's tracking page for the number typed (issue 17, bug 8).
    await mailSent((m) => m.to === 'cod@example.jp' && m.text.includes('配送状況の確認'));
    const shippedMail = sent.find((m) => m.to === 'cod@example.jp' && m.text.includes('配送状況の確認'))!;
    expect(shippedMail.html).toMatch(/<a href="https:\/\/jizen\.kuronekoyamato\.co\.jp\/[^"]*1234-?5678-?9012/);
    await page.getByLabel('受け取った金額（円）').fill(String(order.total));
    await page.getByRole('button', { name: '代金回収を記録' }).click();
    await page.waitForURL(/done=collected/);
    expect(await page.getByRole('status').textContent()).toBe('代金回収を記録しました。');
    await expectAccessible('admin order, cash on delivery collected');
    const after = await stack.shop.db.db.selectFrom('orders').where('id', '=', orderId).select(['status', 'paid_at']).executeTakeFirstOrThrow();
    expect(after.status).toBe('fulfilled');
    expect(after.paid_at).not.toBeNull();
  }, 90_000);

  it('a customer orders by konbini, sees the number, pays at the sandbox store terminal, and the order is paid', async () => {
    const orderId = await orderFromStorefront('konbini@example.jp', 'コンビニ決済', 'ローソン');
    const number = (await page.locator('.konbini-number').textContent())!.trim();
    // The number was issued for the chain chosen at checkout, and the page says which.
    expect(await page.getByText('ローソン').count()).toBeGreaterThan(0);
    expect((await stack.shop.db.db.selectFrom('order_payment_methods' as never).where('order_id' as never, '=', orderId as never).select('konbini_store' as never).executeTakeFirstOrThrow() as { konbini_store: string }).konbini_store).toBe('lawson');
    expect(number).toMatch(/^\d{11}$/);
    await expectAccessible('order page, konbini');
    const orderUrl = page.url();

    const token = readFileSync(path.join(stack.dataDir, 'paygate-sandbox-token'), 'utf8').trim();
    const gateway = await newPage(await browser.newContext({ locale: 'en-US' }));
    await gateway.goto(`${stack.gateway.credentials.gatewayBaseUrl}/_sandbox/konbini?token=${token}`);
    expect(await gateway.getByRole('cell', { name: number }).count()).toBe(1);
    const paidMail = mailSent((m) => m.to === 'konbini@example.jp' && sent.filter((x) => x.to === 'konbini@example.jp').indexOf(m) === 1);
    await gateway.getByLabel('Payment number').fill(number);
    await gateway.getByRole('button', { name: 'Paid at the store' }).click();
    expect(await gateway.getByRole('status').textContent()).toContain('taken at the store');
    await paidMail; // sent by the shop once the gateway's notification has made the order paid

    await page.goto(orderUrl);
    expect((await stack.shop.db.db.selectFrom('orders').where('id', '=', orderId).select('status').executeTakeFirstOrThrow()).status).toBe('paid');
    expect(await page.locator('.konbini-number').count()).toBe(0);
    await expectAccessible('order page, konbini paid');
  }, 90_000);

  it('produced no CSP violations or page errors along the way', () => {
    expect([...cspViolations, ...adminViolations.flat()]).toEqual([]);
  });
}, describeWithChromium);
