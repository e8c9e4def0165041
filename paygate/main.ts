// Runs the sandbox gateway on its own: `tsx paygate/main.ts`. With
// PAYGATE_MERCHANT_CREDENTIALS_FILE set it also provisions (first run) or re-registers
// (later runs) the shop's sandbox merchant and writes its credentials there.
import { z } from 'zod';
import { createLogger } from '../platform/create-logger.ts';
import { restrictUmask } from '../platform/private-files.ts';
import { ensureSandboxMerchant } from './sandbox-merchant-credentials.ts';
import { buildPaygate } from './server.ts';
import { defaultInspectionTokenFile, loadOrCreateInspectionToken } from './sandbox-inspection-token.ts';

// Everything this process writes (database, WAL, credentials file, token file) is 0600.
restrictUmask();

const env = z
  .object({
    PAYGATE_PORT: z.coerce.number().int().min(0).max(65_535).default(3100),
    PAYGATE_HOST: z.string().default('127.0.0.1'),
    PAYGATE_DB_FILE: z.string().default('data/paygate/paygate.sqlite'),
    PAYGATE_PUBLIC_ORIGIN: z.url().optional(),
    PAYGATE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    PAYGATE_MERCHANT_CREDENTIALS_FILE: z.string().optional(),
    PAYGATE_MERCHANT_NAME: z.string().default('Mamori Demo Shop'),
    /** Comma-separated origins the merchant's return/cancel/notification URLs must use; empty = any. */
    PAYGATE_MERCHANT_ALLOWED_ORIGINS: z.string().optional(),
    PAYGATE_NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).optional(),
    PAYGATE_NOTIFY_BASE_DELAY_MS: z.coerce.number().int().min(1).optional(),
    /** Card / one-time-code submissions per client IP per minute; 0 disables. */
    PAYGATE_CARD_SUBMITS_PER_MINUTE: z.coerce.number().int().min(0).default(30),
    /** Where the sandbox inspection token is kept (0600); default next to the credentials file. */
    PAYGATE_SANDBOX_TOKEN_FILE: z.string().optional(),
  })
  .parse(process.env);

const log = createLogger({ name: 'paygate', level: env.PAYGATE_LOG_LEVEL });
const host = env.PAYGATE_HOST.includes(':') ? `[${env.PAYGATE_HOST}]` : env.PAYGATE_HOST;
// With port 0 (tests) the origin is only known after listen; buildPaygate derives it then.
const configuredOrigin = env.PAYGATE_PUBLIC_ORIGIN ?? (env.PAYGATE_PORT !== 0 ? `http://${host}:${env.PAYGATE_PORT}` : undefined);
const tokenFile = env.PAYGATE_SANDBOX_TOKEN_FILE ?? (env.PAYGATE_MERCHANT_CREDENTIALS_FILE ? defaultInspectionTokenFile(env.PAYGATE_MERCHANT_CREDENTIALS_FILE) : undefined);
const paygate = await buildPaygate({
  dbFile: env.PAYGATE_DB_FILE,
  ...(tokenFile ? { sandboxInspectionToken: loadOrCreateInspectionToken(tokenFile) } : {}),
  log,
  ...(configuredOrigin ? { publicOrigin: configuredOrigin } : {}),
  cardSubmitRateLimit: env.PAYGATE_CARD_SUBMITS_PER_MINUTE > 0 ? { max: env.PAYGATE_CARD_SUBMITS_PER_MINUTE, timeWindowMs: 60_000 } : false,
  notificationRetry: {
    ...(env.PAYGATE_NOTIFY_MAX_ATTEMPTS ? { maxAttempts: env.PAYGATE_NOTIFY_MAX_ATTEMPTS } : {}),
    ...(env.PAYGATE_NOTIFY_BASE_DELAY_MS ? { baseDelayMs: env.PAYGATE_NOTIFY_BASE_DELAY_MS } : {}),
  },
});

const address = await paygate.app.listen({ port: env.PAYGATE_PORT, host: env.PAYGATE_HOST });
const publicOrigin = configuredOrigin ?? address;

// After listen, so the credentials file (which the shop waits for) names a gateway that answers.
if (env.PAYGATE_MERCHANT_CREDENTIALS_FILE) {
  const origins = env.PAYGATE_MERCHANT_ALLOWED_ORIGINS?.split(',').map((s) => s.trim()).filter(Boolean);
  const m = await ensureSandboxMerchant(paygate, {
    credentialsFile: env.PAYGATE_MERCHANT_CREDENTIALS_FILE,
    name: env.PAYGATE_MERCHANT_NAME,
    gatewayBaseUrl: publicOrigin,
    ...(origins?.length ? { allowedReturnOrigins: origins } : {}),
  });
  log.info({ merchantId: m.merchantId, created: m.created, credentialsFile: env.PAYGATE_MERCHANT_CREDENTIALS_FILE }, 'sandbox merchant ready');
}
log.info({ publicOrigin, inspectionTokenFile: tokenFile ?? null }, 'sandbox payment gateway listening');
// On the terminal, not in the JSON log: the token is a credential and logs travel further.
process.stderr.write(`Sandbox inspection pages: ${publicOrigin}/_sandbox/notifications?token=${paygate.sandboxInspectionToken}\n`);

function shutdown(reason: string): void {
  log.info({ reason }, 'shutting down');
  paygate.close().then(() => process.exit(0), () => process.exit(1));
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => shutdown(signal));

// Started by the shop with an IPC channel: report readiness, and do not outlive the parent
// (after a crash the shop starts a new gateway, which resumes undelivered notifications from its DB).
if (process.send) {
  process.send({ type: 'mamori-paygate-ready', publicOrigin, credentialsFile: env.PAYGATE_MERCHANT_CREDENTIALS_FILE ?? null });
  process.once('disconnect', () => shutdown('parent process went away'));
}
