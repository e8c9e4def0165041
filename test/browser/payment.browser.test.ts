// The proof behind Mamori's first promise: customers pay on the gateway's own page, and the
// shop never sees a card number. Real browser, real gateway process on its own origin; every
// request the shop receives is recorded and, with its database, logs, outbox and data folder,
// searched for the card numbers used.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { describeWithChromium, launchHeadlessChromium } from '../support/headless-chromium.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { startPaymentStack, type PaymentStack } from '../support/payment-stack.ts';
import { findCardNumber, scanDirectory, scanPostgresRows } from '../support/card-data-scan.ts';

const screenshotDir = process.env.UPDATE_SCREENSHOTS === '1' ? path.resolve('docs/screenshots') : path.join(tmpdir(), 'mamori-screenshots');
mkdirSync(screenshotDir, { recursive: true });

const CARDS = { success: '4242424242424242', declined: '4000000000000002', insufficient: '4000000000009995', threeDs: '4000000000003220' };
const ALL_PANS = Object.values(CARDS);

describeEachDatabase('payment in Chromium', (database) => {
  let stack: PaymentStack;
  let browser: Browser;
  const timings: number[] = [];

  beforeAll(async () => {
    stack = await startPaymentStack(database);
    browser = await launchHeadlessChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.dispose();
    if (timings.length) process.stdout.write(`full purchase in the browser (${database.name}): ${timings.map((t) => `${t} ms`).join(', ')}\n`);
  });

  const shopUrl = () => `http://127.0.0.1:${stack.shopPort}`;

  async function orderToGateway(): Promise<{ page: Page; orderId: string }> {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${shopUrl()}/products/uji-matcha-latte?lang=en`);
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.waitForURL(/\/cart/);
    await page.getByRole('link', { name: 'Proceed to checkout' }).click();
    await page.getByLabel('E-mail').fill('hanako@example.jp');
    await page.getByLabel('Family name', { exact: true }).fill('Yamada');
    await page.getByLabel('Given name', { exact: true }).fill('Hanako');
    await page.getByLabel('Phone').fill('090-1234-5678');
    await page.getByLabel('Postal code').fill('100-0001');
    await page.getByLabel('Prefecture').selectOption('東京都');
    await page.getByLabel('City').fill('Chiyoda-ku');
    await page.getByLabel('Street address').fill('Chiyoda 1-1');
    await page.getByRole('button', { name: 'Place order and pay' }).click();
    await page.waitForURL((u) => u.origin === stack.gateway.credentials.gatewayBaseUrl);
    const order = await stack.shop.db.db.selectFrom('orders').select('id').orderBy('created_at', 'desc').executeTakeFirstOrThrow();
    return { page, orderId: order.id };
  }

  async function payWith(page: Page, pan: string) {
    expect(new URL(page.url()).origin).not.toBe(shopUrl()); // the card form is on the gateway's origin
    await page.getByLabel('Card number').fill(pan.replace(/(.{4})/g, '$1 ').trim());
    await page.getByLabel('Expiry (MM/YY)').fill('12/30');
    await page.getByLabel('Security code').fill('123');
    await page.getByLabel('Cardholder name').fill('HANAKO YAMADA');
    await page.getByRole('button', { name: 'Pay' }).click();
  }

  const orderStatus = async (id: string) => stack.shop.db.db.selectFrom('orders').where('id', '=', id).select(['status', 'payment_status']).executeTakeFirstOrThrow();

  it('completes a purchase with 4242…: paid from the gateway’s answer, never from the browser alone', async () => {
    const started = Date.now();
    const { page, orderId } = await orderToGateway();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(screenshotDir, 'gateway-hosted-page-en-mobile.png'), fullPage: true });
    await payWith(page, CARDS.success);
    await page.waitForURL((u) => u.origin === shopUrl() && u.pathname === `/orders/${orderId}`);
    expect(await page.getByText('Payment received. Your order is confirmed.').count()).toBe(1);
    timings.push(Date.now() - started);
    expect((await orderStatus(orderId)).status).toBe('paid');
    const order = await stack.shop.db.db.selectFrom('orders').where('id', '=', orderId).select(['payment_provider', 'payment_transaction_id']).executeTakeFirstOrThrow();
    expect(order.payment_provider).toBe('sandbox');
    expect(order.payment_transaction_id).toEqual(expect.any(String));
    await page.context().close();
  });

  it('passes a 3-D Secure challenge with the one-time code', async () => {
    const { page, orderId } = await orderToGateway();
    await payWith(page, CARDS.threeDs);
    await page.getByLabel('One-time code').fill('123456');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL((u) => u.origin === shopUrl() && u.pathname === `/orders/${orderId}`);
    expect(await page.getByText('Payment received. Your order is confirmed.').count()).toBe(1);
    expect((await orderStatus(orderId)).status).toBe('paid');
    await page.context().close();
  });

  it('brings a declined customer back with a clear message, stock still reserved, and lets them pay again', async () => {
    const { page, orderId } = await orderToGateway();
    await payWith(page, CARDS.declined);
    await page.waitForURL((u) => u.origin === shopUrl() && u.pathname === `/orders/${orderId}`);
    expect(await page.getByText(/the card was declined/).count()).toBe(1);
    expect(await orderStatus(orderId)).toEqual({ status: 'pending_payment', payment_status: 'declined' });
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.waitForURL((u) => u.origin === stack.gateway.credentials.gatewayBaseUrl);
    await payWith(page, CARDS.success);
    await page.waitForURL((u) => u.origin === shopUrl() && u.pathname === `/orders/${orderId}`);
    expect((await orderStatus(orderId)).status).toBe('paid');
    await page.context().close();
  });

  it('handles a cancelled payment: back at the shop, order still payable', async () => {
    const { page, orderId } = await orderToGateway();
    await page.getByRole('link', { name: 'Cancel' }).click();
    await page.waitForURL((u) => u.origin === shopUrl() && u.pathname === `/orders/${orderId}`);
    expect(await page.getByText(/The payment was cancelled/).count()).toBe(1);
    expect((await orderStatus(orderId)).status).toBe('pending_payment');
    expect(await page.getByRole('button', { name: 'Continue to payment' }).count()).toBe(1);
    await page.context().close();
  });

  it('received the gateway’s signed notifications and recorded each event once', async () => {
    for (let i = 0; i < 50; i++) {
      const n = await stack.shop.db.db.selectFrom('payment_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      if (Number(n.n) >= 3) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const events = await stack.shop.db.db.selectFrom('payment_events').select(['status', 'outcome']).execute();
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(events.every((e) => e.outcome !== 'processing')).toBe(true);
  });

  it('never saw a card number: not in any request, database, log, e-mail or file', async () => {
    expect(stack.requests.length).toBeGreaterThan(20);
    const leaks = stack.requests
      .map((r) => ({ where: `${r.method} ${r.url}`, form: findCardNumber(`${r.url}\n${JSON.stringify(r.headers)}\n${r.body}`, ALL_PANS) }))
      .filter((x) => x.form);
    expect(leaks).toEqual([]);
    // The data folder holds the shop's SQLite files (with WAL), its log, the outbox and media,
    // and the sandbox gateway's own database, which keeps brand, last four and a fingerprint only.
    expect(scanDirectory(stack.dataDir, ALL_PANS)).toEqual([]);
    if (database.name === 'postgres') expect(await scanPostgresRows(stack.databaseUrl, ALL_PANS)).toEqual([]);
  });
}, describeWithChromium);
