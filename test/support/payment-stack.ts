// The shop and the sandbox gateway as they run in production: the gateway in its own process
// and origin, the shop listening on a real port, every request the shop receives recorded
// (test-only hook) and its log written to a file, so tests can prove where card data is not.
import { createServer } from 'node:net';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../src/config/config.ts';
import { loggerOptions } from '../../src/http/logger.ts';
import { startShop, type RunningShop } from '../../src/start-shop.ts';
import { startSandboxGatewayProcess, type SandboxGatewayProcess } from '../../src/payments/sandbox/sandbox-gateway-process.ts';
import { SandboxPaymentProvider } from '../../src/payments/sandbox/sandbox-provider.ts';
import type { TestDatabase } from './databases.ts';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** The sandbox gateway as its own process, serving only the given shop origin. */
export function startTestGateway(dataDir: string, port: number, shopOrigin: string, env: Record<string, string> = {}): Promise<SandboxGatewayProcess> {
  return startSandboxGatewayProcess({
    credentialsFile: path.join(dataDir, 'sandbox-merchant.json'),
    dbFile: path.join(dataDir, 'paygate', 'paygate.sqlite'),
    host: '127.0.0.1', port, merchantName: 'Mamori Test Shop', allowedOrigins: [shopOrigin],
    env: { PAYGATE_LOG_LEVEL: 'warn', ...env },
  });
}

export interface RecordedRequest { method: string; url: string; headers: Record<string, unknown>; body: string }

export interface PaymentStack {
  shop: RunningShop;
  gateway: SandboxGatewayProcess;
  dataDir: string;
  databaseUrl: string;
  shopPort: number;
  logFile: string;
  requests: RecordedRequest[];
  provider: SandboxPaymentProvider;
  dispose(): Promise<void>;
}

/** `env`: more settings for the shop (e.g. STORE_API_RETURN_ORIGINS), over the stack's own. */
export async function startPaymentStack(database: TestDatabase, opts: { velocityLimits?: Record<string, number>; env?: Record<string, string> } = {}): Promise<PaymentStack> {
  const created = await database.create();
  const shopPort = await freePort();
  const gatewayPort = await freePort();
  const loaded = loadConfig({ DATA_DIR: created.dataDir, DATABASE_URL: created.url, HOST: '127.0.0.1', PORT: String(shopPort), LOG_LEVEL: 'debug', ...opts.env });
  if (!loaded.ok) throw new Error(loaded.errors.join('; '));
  const config = loaded.config;
  const gateway = await startTestGateway(created.dataDir, gatewayPort, config.publicUrl, { PAYGATE_NOTIFY_BASE_DELAY_MS: '200' });
  const provider = new SandboxPaymentProvider({ baseUrl: gateway.credentials.gatewayBaseUrl, merchantId: gateway.credentials.merchantId, secret: gateway.credentials.secret });
  const logFile = path.join(created.dataDir, 'shop.log');
  const logger = pino(loggerOptions('debug'), pino.destination({ dest: logFile, sync: true }));
  const requests: RecordedRequest[] = [];
  const shop = await startShop({
    config, logger, payments: provider,
    rateLimits: { cart: 10_000, checkout: 10_000, lookup: 10_000, notifications: 10_000 },
    ...(opts.velocityLimits ? { velocityLimits: opts.velocityLimits } : {}),
    onRawRequest: (r) => requests.push(r),
  });
  return {
    shop, gateway, dataDir: created.dataDir, databaseUrl: created.url, shopPort, logFile, requests, provider,
    async dispose() {
      await shop.close();
      await gateway.stop();
      await created.drop();
    },
  };
}
