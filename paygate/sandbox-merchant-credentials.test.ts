import { readFileSync, statSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestPaygate, type TestPaygate } from './paygate-test-fixture.ts';
import { ensureSandboxMerchant } from './sandbox-merchant-credentials.ts';
import { buildPaygate } from './server.ts';

let t: TestPaygate;
beforeEach(async () => { t = await startTestPaygate(); });
afterEach(async () => { await t.close(); });

describe('ensureSandboxMerchant', () => {
  it('provisions once, writes a 0600 credentials file, and re-registers it on later runs', async () => {
    const credentialsFile = path.join(t.dir, 'shop-data', 'paygate-merchant.json');
    const first = await ensureSandboxMerchant(t.paygate, { credentialsFile, name: 'Shop', gatewayBaseUrl: 'http://127.0.0.1:3100' });
    expect(first.created).toBe(true);
    expect(statSync(credentialsFile).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(credentialsFile, 'utf8'))).toEqual({ merchantId: first.merchantId, secret: first.secret, gatewayBaseUrl: 'http://127.0.0.1:3100' });

    const second = await ensureSandboxMerchant(t.paygate, { credentialsFile, name: 'Shop renamed', gatewayBaseUrl: 'http://127.0.0.1:3100' });
    expect(second).toEqual({ merchantId: first.merchantId, secret: first.secret, created: false });

    // a fresh gateway database (deleted file) accepts the shop's stored credentials again
    const freshDb = path.join(t.dir, 'fresh.sqlite');
    const fresh = await buildPaygate({ dbFile: freshDb, publicOrigin: 'http://127.0.0.1:3100', notificationPollIntervalMs: 0, log: (await import('../platform/create-logger.ts')).createLogger({ name: 'x', level: 'silent' }) });
    const third = await ensureSandboxMerchant(fresh, { credentialsFile, name: 'Shop', gatewayBaseUrl: 'http://127.0.0.1:3100' });
    expect(third.merchantId).toBe(first.merchantId);
    await fresh.close();
    rmSync(freshDb, { force: true });
  });
});
