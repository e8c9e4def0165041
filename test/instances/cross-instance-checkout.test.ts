// A card payment that starts on one shop instance and comes back to another (issue 15): as behind
// a load balancer, the customer checks out on A, pays on the sandbox gateway's hosted page, and
// the gateway's redirect (and its signed notification) reach B — both instances have B's address
// as PUBLIC_URL here, standing in for the proxy. The result must be exactly one order, paid once.
// Real processes: the gateway (its own SQLite), A and B on one fresh PostgreSQL database.
// The test card goes to the gateway only; the database is a card fixture all the same.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, TEST_DIR_PREFIX } from '../support/databases.ts';
import { freePort, startTestGateway } from '../support/payment-stack.ts';
import { startShopProcess, stopShopProcess, type ShopProcess } from '../support/shop-processes.ts';
import { fetchBrowser } from '../support/fetch-browser.ts';
import { csrfTokenOf } from '../support/csrf.ts';
import { GOOD_CUSTOMER } from '../support/test-shop.ts';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.ts';
import type { SandboxGatewayProcess } from '../../src/payments/sandbox/sandbox-gateway-process.ts';

const postgres = DATABASES.find((d) => d.name === 'postgres');
const SUCCESS_CARD = '4242424242424242';

describe.skipIf(!postgres)('card checkout across two instances on postgres', () => {
  let a: ShopProcess | undefined;
  let b: ShopProcess | undefined;
  let gateway: SandboxGatewayProcess | undefined;
  let db: DatabaseHandle | undefined;
  let drop: () => Promise<void> = async () => {};

  beforeAll(async () => {
    const created = await postgres!.create({ cardFixture: true });
    drop = created.drop;
    const [portA, portB, gatewayPort] = [await freePort(), await freePort(), await freePort()];
    const publicUrl = `http://127.0.0.1:${portB}`;
    const gatewayDir = mkdtempSync(path.join(tmpdir(), TEST_DIR_PREFIX));
    gateway = await startTestGateway(gatewayDir, gatewayPort, publicUrl, { PAYGATE_NOTIFY_BASE_DELAY_MS: '200' });
    const base = {
      ...process.env, DATABASE_URL: created.url, HOST: '127.0.0.1', LOG_LEVEL: 'silent', PUBLIC_URL: publicUrl,
      PAYMENT_PROVIDER: 'sandbox', PAYGATE_URL: gateway.credentials.gatewayBaseUrl,
      MAMORI_TEST_SANDBOX_CREDENTIALS: path.join(gatewayDir, 'sandbox-merchant.json'),
    };
    a = await startShopProcess({ ...base, DATA_DIR: created.dataDir, PORT: String(portA) });
    b = await startShopProcess({ ...base, DATA_DIR: mkdtempSync(path.join(tmpdir(), TEST_DIR_PREFIX)), PORT: String(portB) });
    db = openDatabase(created.url);
  }, 180_000);
  afterAll(async () => {
    await Promise.all([stopShopProcess(a), stopShopProcess(b)]);
    await gateway?.stop();
    await db?.close();
    await drop();
  }, 60_000);

  it('checkout on A, payment return and notification on B: one order, paid once', async () => {
    const browser = fetchBrowser();
    const variant = await db!.db.selectFrom('variants').innerJoin('products', 'products.id', 'variants.product_id')
      .select(['variants.id', 'products.slug']).where('variants.stock', '>', 0).orderBy('variants.id').executeTakeFirstOrThrow();
    // On A: the cart and the checkout (cookies are per host, not per port: the browser carries them to B).
    const home = await browser.get(`${a!.url}/products/${variant.slug}?lang=en`);
    const added = await browser.post(`${a!.url}/cart/items`, { _csrf: csrfTokenOf(home.body), variantId: String(variant.id), quantity: '1' });
    expect(added.status, added.body.slice(0, 300)).toBe(303);
    const checkoutPage = await browser.get(`${a!.url}/checkout?lang=en`);
    const { shippingAddress: address, ...customer } = GOOD_CUSTOMER;
    const placed = await browser.post(`${a!.url}/checkout?lang=en`, { _csrf: csrfTokenOf(checkoutPage.body), ...customer, ...address });
    expect(placed.status, placed.body.slice(0, 500)).toBe(303);
    const payUrl = placed.location!;
    expect(new URL(payUrl).origin).toBe(gateway!.credentials.gatewayBaseUrl);
    const orders = await db!.db.selectFrom('orders').select(['id', 'status']).execute();
    expect(orders).toHaveLength(1);

    // On the gateway's hosted page.
    const payPage = await browser.get(payUrl);
    expect(payPage.status).toBe(200);
    const paid = await browser.post(payUrl, { _csrf: csrfTokenOf(payPage.body), cardNumber: SUCCESS_CARD, expiry: '12/30', securityCode: '123', cardholderName: 'HANAKO YAMADA' });
    expect(paid.status, paid.body.slice(0, 500)).toBe(303);
    const returnUrl = new URL(paid.location!);
    // Back to B, which never saw the checkout.
    expect(returnUrl.origin).toBe(b!.url.replace(/\/$/, ''));
    const returned = await browser.get(returnUrl.toString());
    expect(returned.status).toBe(303);
    expect(returned.location).toContain('payment=paymentReceived');

    // The gateway's notification (to B as well) must not make a second payment or order.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const events = await db!.db.selectFrom('payment_events').select(['event_id', 'order_id', 'status']).execute();
      if (events.length > 0) break;
      if (Date.now() > deadline) throw new Error('no payment notification was recorded');
    }
    const after = await db!.db.selectFrom('orders').select(['id', 'status', 'payment_status']).execute();
    expect(after).toEqual([{ id: orders[0]!.id, status: 'paid', payment_status: 'captured' }]);
    const events = await db!.db.selectFrom('payment_events').select(['order_id', 'status']).execute();
    expect(events.every((e) => e.order_id === orders[0]!.id && e.status === 'captured'), JSON.stringify(events)).toBe(true);
  }, 120_000);
});
