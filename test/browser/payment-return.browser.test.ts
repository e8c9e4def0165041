// Paying from the order mail's link, in a browser that never went through the shop's checkout
// (so it has no order cookie): the gateway's return still lands on the order's result page
// (return token, src/orders/return-token.ts), and a failed 3-D Secure check or a declined card is
// headed and announced as "not paid", never "Thank you for your order". A headless storefront's
// customer (Store API checkout with a returnUrl on STORE_API_RETURN_ORIGINS) comes back to that
// storefront, with the order id and the outcome, after paying on the gateway's page.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { describeWithChromium, launchHeadlessChromium } from '../support/headless-chromium.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { startPaymentStack, type PaymentStack } from '../support/payment-stack.ts';
import { seriousAccessibilityViolations } from '../support/axe.ts';
import { GOOD_CUSTOMER } from '../support/test-shop.ts';

// Published sandbox test numbers (paygate/test-cards.ts): typed on the gateway's page only.
const CARDS = { success: '4242424242424242', threeDs: '4000000000003220' };

describeEachDatabase('payment return without the order cookie in Chromium', (database) => {
  let stack: PaymentStack;
  let browser: Browser;
  // The headless storefront the customer comes back to: any page, one heading.
  let storefront: Server;
  let storefrontOrigin = '';
  beforeAll(async () => {
    storefront = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><html lang="en"><title>Storefront</title><h1>Headless storefront</h1></html>'));
    await new Promise<void>((resolve) => storefront.listen(0, '127.0.0.1', resolve));
    storefrontOrigin = `http://127.0.0.1:${(storefront.address() as AddressInfo).port}`;
    stack = await startPaymentStack(database, { env: { STORE_API_RETURN_ORIGINS: storefrontOrigin } });
    browser = await launchHeadlessChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.dispose();
    await new Promise((resolve) => storefront?.close(resolve));
  });
  const shopUrl = () => `http://127.0.0.1:${stack.shopPort}`;

  /** An order placed through the Store API: the browser only ever sees the mail's link. */
  async function apiCheckout(extra: Record<string, unknown> = {}): Promise<{ orderId: string; accessToken: string; paymentUrl: string }> {
    const api = (p: string, body?: unknown) => fetch(`${shopUrl()}/api/store${p}`, { method: body ? 'POST' : 'GET', headers: { 'accept-language': 'en', ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) }).then((r) => r.json());
    const cart = await api('/carts', {}) as { id: string };
    const product = await api('/products/uji-matcha-latte') as { variants: { id: number }[] };
    await api(`/carts/${cart.id}/items`, { variantId: product.variants[0]!.id, quantity: 1 });
    return await api(`/carts/${cart.id}/checkout`, { ...GOOD_CUSTOMER, ...extra }) as { orderId: string; accessToken: string; paymentUrl: string };
  }
  async function mailLink(): Promise<{ orderId: string; link: string }> {
    const placed = await apiCheckout();
    return { orderId: placed.orderId, link: `${shopUrl()}/orders/${placed.orderId}?token=${encodeURIComponent(placed.accessToken)}&lang=en` };
  }

  async function payWith(page: Page, pan: string) {
    await page.getByLabel('Card number').fill(pan.replace(/(.{4})/g, '$1 ').trim());
    await page.getByLabel('Expiry (MM/YY)').fill('12/30');
    await page.getByLabel('Security code').fill('123');
    await page.getByLabel('Cardholder name').fill('HANAKO YAMADA');
    await page.getByRole('button', { name: 'Pay' }).click();
  }

  it('a failed 3-D Secure code comes back as "not paid" (error, announced), and paying again from that page lands on the paid order', async () => {
    const { orderId, link } = await mailLink();
    const context = await browser.newContext({ locale: 'en-US' });
    // A step that waits longer than this names its locator instead of running into the test's timeout.
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    await page.goto(link);
    expect((await context.cookies()).some((c) => c.name === 'order_access')).toBe(false);
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.waitForURL((u) => u.origin === stack.gateway.credentials.gatewayBaseUrl);
    await payWith(page, CARDS.threeDs);
    await page.getByLabel('One-time code').fill('000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL((u) => u.origin === shopUrl() && u.pathname === `/orders/${orderId}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Payment not completed');
    const alert = page.getByRole('alert');
    expect(await alert.textContent()).toMatch(/^Not paid: .*3-D Secure.*another card/);
    // Styled as an error: the error colour, not the neutral notice's.
    expect(await alert.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(164, 22, 26)');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.waitForURL((u) => u.origin === stack.gateway.credentials.gatewayBaseUrl);
    await payWith(page, CARDS.success);
    await page.waitForURL((u) => u.origin === shopUrl() && u.pathname === `/orders/${orderId}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Thank you for your order');
    expect(await page.getByText('Payment received. Your order is confirmed.').count()).toBe(1);
    expect(await page.getByRole('alert').count()).toBe(0);
    const order = await stack.shop.db.db.selectFrom('orders').where('id', '=', orderId).select('status').executeTakeFirstOrThrow();
    expect(order.status).toBe('paid');
    await context.close();
  }, 120_000);

  it('a headless storefront\'s customer pays on the gateway\'s page and comes back to the storefront, with the order id and outcome', async () => {
    const placed = await apiCheckout({ returnUrl: `${storefrontOrigin}/thanks?from=mamori` });
    const context = await browser.newContext({ locale: 'en-US' });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    await page.goto(placed.paymentUrl);
    const refused: string[] = [];
    page.on('console', (m) => { if (/Content Security Policy/.test(m.text())) refused.push(m.text()); });
    await payWith(page, CARDS.success);
    // Through the shop's return (which settles first) and on: the gateway's form-action must not stop it.
    await page.waitForURL((u) => u.origin === storefrontOrigin);
    expect(refused).toEqual([]);
    const back = new URL(page.url());
    expect(back.pathname).toBe('/thanks');
    expect(back.searchParams.get('from')).toBe('mamori');
    expect(back.searchParams.get('orderId')).toBe(placed.orderId);
    expect(back.searchParams.get('payment')).toBe('paymentReceived');
    expect(page.url()).not.toContain('token');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Headless storefront');
    // The shop settled the order from the gateway's answer before sending the customer on.
    expect((await stack.shop.db.db.selectFrom('orders').where('id', '=', placed.orderId).select('status').executeTakeFirstOrThrow()).status).toBe('paid');
    await context.close();
  }, 120_000);
}, describeWithChromium);
