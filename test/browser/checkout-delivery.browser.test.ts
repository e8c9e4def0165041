// The checkout's address and delivery in Chromium, with the sandbox gateway in its own process:
// with JavaScript the postal code fills prefecture and city as the customer types
// (public/postal-code-fill.js); without JavaScript the server fills them after submit
// (src/checkout/postal-code-fill.ts) and re-renders; a chosen method, date and time slot reach
// the order page after a card payment on the gateway's page. axe on the checkout; no CSP
// violations or page errors anywhere.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithChromium, launchHeadlessChromium } from '../support/headless-chromium.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { startPaymentStack, type PaymentStack } from '../support/payment-stack.ts';
import { seriousAccessibilityViolations } from '../support/axe.ts';

describeEachDatabase('checkout address and delivery in Chromium', (database) => {
  let stack: PaymentStack;
  let browser: Browser;
  const problems: string[] = [];

  beforeAll(async () => {
    stack = await startPaymentStack(database);
    browser = await launchHeadlessChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.dispose();
  });

  const shopUrl = () => `http://127.0.0.1:${stack.shopPort}`;

  async function newPage(context: BrowserContext): Promise<Page> {
    const p = await context.newPage();
    p.on('console', (m) => { if (/Content Security Policy|Refused to/.test(m.text())) problems.push(m.text()); });
    p.on('pageerror', (e) => problems.push(String(e)));
    return p;
  }

  /** A fresh customer with one item in the cart, on the checkout page (Japanese). */
  async function checkoutPage(javaScriptEnabled: boolean): Promise<Page> {
    const page = await newPage(await browser.newContext({ locale: 'ja-JP', javaScriptEnabled }));
    await page.goto(`${shopUrl()}/products/uji-matcha-latte?lang=ja`);
    await page.getByRole('button', { name: 'カートに入れる' }).click();
    await page.waitForURL(/\/cart/);
    await page.goto(`${shopUrl()}/checkout?lang=ja`);
    return page;
  }

  async function fillCustomer(page: Page, email: string) {
    await page.getByLabel('メールアドレス').fill(email);
    await page.getByLabel('姓', { exact: true }).fill('山田');
    await page.getByLabel('名', { exact: true }).fill('花子');
    await page.getByLabel('セイ（フリガナ）').fill('ヤマダ');
    await page.getByLabel('メイ（フリガナ）').fill('ハナコ');
    await page.getByLabel('電話番号').fill('090-1234-5678');
  }

  it('with JavaScript, typing the postal code fills prefecture and city', async () => {
    const page = await checkoutPage(true);
    expect(await page.getByLabel('都道府県').inputValue()).toBe('');
    expect(await page.getByLabel('市区町村').inputValue()).toBe('');
    await page.getByLabel('郵便番号').pressSequentially('100-0001');
    await expect.poll(() => page.getByLabel('都道府県').inputValue()).toBe('東京都');
    await expect.poll(() => page.getByLabel('市区町村').inputValue()).toBe('千代田区');
    await expect.poll(() => page.locator('#postalCode-status').textContent()).toContain('東京都千代田区');
    const violations = await seriousAccessibilityViolations(page);
    expect(violations.map((v) => `${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('without JavaScript, the server fills prefecture and city after submit, and places nothing yet', async () => {
    const page = await checkoutPage(false);
    await fillCustomer(page, 'nojs@example.jp');
    await page.getByLabel('郵便番号').fill('100-0001');
    await page.getByLabel('番地').fill('千代田1-1');
    await page.getByRole('button', { name: '注文を確定して支払いへ進む' }).click();
    await page.waitForLoadState();
    expect(new URL(page.url()).pathname).toBe('/checkout');
    expect(await page.getByLabel('都道府県').inputValue()).toBe('東京都');
    expect(await page.getByLabel('市区町村').inputValue()).toBe('千代田区');
    expect(await page.getByLabel('番地').inputValue()).toBe('千代田1-1');
    expect(await page.locator('#postalCode-status').textContent()).toContain('郵便番号から都道府県・市区町村を入力しました');
    expect(await stack.shop.db.db.selectFrom('orders').where('email', '=', 'nojs@example.jp').select('id').execute()).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('a chosen method, date and time slot are on the order page after paying by card', async () => {
    const page = await checkoutPage(true);
    await fillCustomer(page, 'delivery@example.jp');
    await page.getByLabel('郵便番号').fill('100-0001');
    await expect.poll(() => page.getByLabel('市区町村').inputValue()).toBe('千代田区');
    await page.getByLabel('番地').fill('千代田1-1');

    const method = page.locator('input[name="deliveryMethod"]:checked');
    const methodLabel = (await page.locator(`label[for="${await method.getAttribute('id')}"]`).textContent())!;
    const methodName = methodLabel.split(' — ')[0]!.trim();
    await method.check();
    const dates = page.getByLabel('お届け希望日');
    const dateOption = dates.locator('option').nth(3); // the third date offered, not the default
    const dateValue = (await dateOption.getAttribute('value'))!;
    const dateText = (await dateOption.textContent())!.trim();
    expect(dateValue).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await dates.selectOption(dateValue);
    const slots = page.getByLabel('お届け時間帯');
    const slotOption = slots.locator('option').last();
    const slotValue = (await slotOption.getAttribute('value'))!;
    const slotText = (await slotOption.textContent())!.trim();
    expect(slotValue).not.toBe('');
    await slots.selectOption(slotValue);
    const violations = await seriousAccessibilityViolations(page);
    expect(violations.map((v) => `${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

    await page.getByRole('button', { name: '注文を確定して支払いへ進む' }).click();
    await page.waitForURL((u) => u.origin === stack.gateway.credentials.gatewayBaseUrl);
    const order = await stack.shop.db.db.selectFrom('orders').where('email', '=', 'delivery@example.jp').select(['id', 'shipping_method_name_ja', 'delivery_date', 'delivery_time_slot']).executeTakeFirstOrThrow();
    expect(order).toEqual({ id: order.id, shipping_method_name_ja: methodName, delivery_date: dateValue, delivery_time_slot: slotValue });
    await page.getByLabel(/Card number|カード番号/).fill('4242 4242 4242 4242');
    await page.getByLabel(/Expiry|有効期限/).fill('12/30');
    await page.getByLabel(/Security code|セキュリティ/).fill('123');
    await page.getByLabel(/Cardholder name|名義/).fill('HANAKO YAMADA');
    await page.getByRole('button', { name: /^(Pay|支払う|お支払い)/ }).click();
    await page.waitForURL((u) => u.origin === shopUrl() && u.pathname === `/orders/${order.id}`);

    const facts = page.locator('section.order-delivery');
    const factOf = async (label: string) => (await facts.locator('dt', { hasText: label }).locator('xpath=following-sibling::dd[1]').textContent())?.trim();
    expect(await factOf('配送方法')).toBe(methodName);
    expect(await factOf('お届け希望日')).toBe(dateText);
    expect(await factOf('お届け時間帯')).toBe(slotText);
    const paidViolations = await seriousAccessibilityViolations(page);
    expect(paidViolations.map((v) => `paid order page: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    await page.context().close();
  }, 90_000);

  it('produced no CSP violations or page errors along the way', () => {
    expect(problems).toEqual([]);
  });
}, describeWithChromium);
