// The shop process is killed (SIGKILL: no clean shutdown) after the customer reached the
// gateway and before it could hear about the payment. After a restart the order must end
// `paid`, exactly once, from the gateway's retried notification or the start-up reconciliation.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { describeWithChromium, launchHeadlessChromium } from '../support/headless-chromium.ts';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.ts';
import type { SandboxGatewayProcess } from '../../src/payments/sandbox/sandbox-gateway-process.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { freePort, startTestGateway } from '../support/payment-stack.ts';
import { checkoutThroughStoreApi } from '../support/store-api-checkout.ts';

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch { /* not yet */ }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describeEachDatabase('shop killed mid-payment', (database) => {
  let gateway: SandboxGatewayProcess;
  let shopProcess: ChildProcess | undefined;
  let dbHandle: DatabaseHandle;
  let drop: () => Promise<void>;
  let env: NodeJS.ProcessEnv;
  let shopUrl: string;

  const startShopProcess = async () => {
    // node --import tsx (not the tsx CLI, which runs the program in a child that a SIGKILL would miss).
    const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('src/main.ts')], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    await waitFor('the shop to answer', async () => ((await fetch(`${shopUrl}/healthz`)).ok ? true : undefined));
    return child;
  };

  beforeAll(async () => {
    const created = await database.create();
    drop = created.drop;
    const shopPort = await freePort();
    shopUrl = `http://127.0.0.1:${shopPort}`;
    gateway = await startTestGateway(created.dataDir, await freePort(), shopUrl, { PAYGATE_NOTIFY_BASE_DELAY_MS: '500', PAYGATE_NOTIFY_MAX_ATTEMPTS: '12' });
    env = { ...process.env, DATA_DIR: created.dataDir, DATABASE_URL: created.url, HOST: '127.0.0.1', PORT: String(shopPort), PAYGATE_URL: gateway.credentials.gatewayBaseUrl, LOG_LEVEL: 'warn',
      // The page watch is not under test here: no Chromium walk per start of a shop that is then SIGKILLed.
      PAGE_WATCH_LEVEL: 'http',
      // Nor the file-integrity check: a full verify of the installation at every restart here.
      INTEGRITY_CHECK_INTERVAL_SECONDS: '0' };
    shopProcess = await startShopProcess();
    dbHandle = openDatabase(created.url);
  }, 90_000);

  afterAll(async () => {
    shopProcess?.kill('SIGKILL');
    await dbHandle?.close();
    await gateway?.stop();
    await drop?.();
  });

  it('ends paid exactly once after a SIGKILL and a restart', async () => {
    const placed = await checkoutThroughStoreApi(shopUrl);
    expect(placed.paymentUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);

    // The customer is on the gateway's page when the shop dies.
    const browser = await launchHeadlessChromium();
    try {
      const page = await browser.newPage();
      await page.goto(placed.paymentUrl!);
      shopProcess!.kill('SIGKILL');
      await new Promise((r) => shopProcess!.once('exit', r));
      await page.getByLabel(/Card number|カード番号/).fill('4242 4242 4242 4242');
      await page.getByLabel(/Expiry|有効期限/).fill('12/30');
      await page.getByLabel(/Security code|セキュリティコード/).fill('123');
      await page.getByLabel(/Cardholder name|カード名義人/).fill('HANAKO YAMADA');
      await page.getByRole('button', { name: /^(Pay|支払う)$/ }).click();
      await page.waitForTimeout(1000); // the redirect back to the dead shop fails; the notification is retried
    } finally {
      await browser.close();
    }
    const before = await dbHandle.db.selectFrom('orders').where('id', '=', placed.orderId).select('status').executeTakeFirstOrThrow();
    expect(before.status).toBe('pending_payment');

    shopProcess = await startShopProcess();
    await waitFor('the order to be paid', async () => {
      const o = await dbHandle.db.selectFrom('orders').where('id', '=', placed.orderId).select('status').executeTakeFirstOrThrow();
      return o.status === 'paid' ? o : undefined;
    });
    await new Promise((r) => setTimeout(r, 2500)); // let any retried notification arrive too
    const paidEvents = await dbHandle.db.selectFrom('order_events').where('order_id', '=', placed.orderId).where('to_status', '=', 'paid').selectAll().execute();
    expect(paidEvents).toHaveLength(1);
  }, 90_000);
}, describeWithChromium);
