// One shop instance for `npm run bench -- scale`, in its own process like a systemd instance
// (configured from its environment, the sandbox gateway's credentials from DATA_DIR), with the
// production request log (JSON, to /dev/null) and the background jobs left to the parent's run
// (none run during a measurement). Reports `{ type: 'ready', url }` over IPC; `close` stops it.
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../src/config/config.ts';
import { loggerOptions } from '../../src/http/logger.ts';
import { startShop } from '../../src/start-shop.ts';
import { createPaymentProvider } from '../../src/payments/create-payment-provider.ts';
import { readSandboxCredentials } from '../../src/payments/sandbox/sandbox-credentials.ts';

const loaded = loadConfig(process.env);
if (!loaded.ok) throw new Error(loaded.errors.join('; '));
const config = loaded.config;
const credentials = readSandboxCredentials(path.join(config.dataDir, 'sandbox-merchant.json'));
if (!credentials.ok) throw new Error(`sandbox credentials: ${credentials.detail}`);
const payments = createPaymentProvider(config, credentials.value);
if (!payments) throw new Error('no payment provider');
const unlimited = 1e9;
const shop = await startShop({
  config, logger: pino(loggerOptions('info'), pino.destination('/dev/null')), listen: true, payments,
  securityCheck: false, auditAnchoring: false, reconcileAtStart: false, jobPollMs: 0,
  // The bench drives everything from one address: limits raised so they run (their cost counts) but never refuse.
  rateLimits: { cart: unlimited, checkout: unlimited, lookup: unlimited, notifications: unlimited },
  velocityLimits: { perOrder: unlimited, perEmail: unlimited, perEmailAllAddresses: unlimited, perIp: unlimited, overall: unlimited },
});
process.send!({ type: 'ready', url: shop.url });
process.on('message', (m) => {
  if ((m as { type: string }).type === 'close') void shop.close().then(() => process.exit(0));
});
