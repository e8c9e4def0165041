// Composition root of the sandbox payment gateway: its own Fastify instance, its own
// SQLite file, its own origin. It imports nothing from the shop (src/); the shop talks to
// it only over HTTP, exactly as it would to a real gateway.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import helmet from '@fastify/helmet';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { createLogger } from '../platform/create-logger.ts';
import { openPaygateDatabase } from './database.ts';
import { registerHostedPageRoutes, type CardSubmitRateLimit } from './hosted-page-routes.ts';
import { registerMerchantApiRoutes } from './merchant-api-routes.ts';
import { provisionMerchant, registerMerchant, type MerchantCredentials } from './merchants.ts';
import { createNotificationDelivery, DEFAULT_NOTIFICATION_RETRY_POLICY, type NotificationFetch, type NotificationRetryPolicy } from './notification-delivery.ts';
import { pageCspDirectives } from './page-security-headers.ts';
import { expireDuePayments, type PaymentServiceContext } from './payments.ts';
import { registerSandboxStatusRoutes } from './sandbox-status-routes.ts';
import { registerSandboxKonbiniRoutes } from './sandbox-konbini-routes.ts';
import { newInspectionToken } from './sandbox-inspection-token.ts';

export interface BuildPaygateOptions {
  /** SQLite file of the gateway (created if missing), or ':memory:'. */
  dbFile: string;
  /** Origin customers' browsers use for the hosted page, e.g. http://127.0.0.1:3100. Default: the address the server listens on. */
  publicOrigin?: string;
  log?: Logger;
  clock?: () => Date;
  /** Sends notifications; default global fetch. Tests inject failures here. */
  notifyFetch?: NotificationFetch;
  notificationRetry?: Partial<NotificationRetryPolicy>;
  /** How often due notification retries are looked for. 0 = manual mode: nothing is sent until deliverDueNotifications() is called (tests). Default 500 ms. */
  notificationPollIntervalMs?: number;
  /** How long a created payment stays payable. Default 30 minutes. */
  paymentTtlMs?: number;
  /** Card / one-time-code submissions per client IP; false disables. Default 30 per minute. */
  cardSubmitRateLimit?: CardSubmitRateLimit | false;
  /** How often abandoned pending payments are expired (and notified) without anyone asking. 0 = only when read. Default 30 s. */
  expirySweepIntervalMs?: number;
  /** Token the sandbox inspection pages ask for; a fresh random one by default. */
  sandboxInspectionToken?: string;
}

export interface Paygate {
  app: FastifyInstance;
  /** Creates a merchant with fresh credentials. */
  provisionMerchant(input: { name: string; allowedReturnOrigins?: string[] }): Promise<MerchantCredentials>;
  /** Inserts or updates a merchant whose credentials the caller already holds (idempotent). */
  registerMerchant(input: { merchantId: string; secret: string; name: string; allowedReturnOrigins?: string[] }): Promise<MerchantCredentials>;
  /** Runs one delivery round now; resolves to the number of notifications attempted. */
  deliverDueNotifications(): Promise<number>;
  /** Expires pending payments whose time is up now; resolves to how many. */
  expireDuePayments(): Promise<number>;
  /** What /_sandbox/* pages ask for (`?token=` or `Authorization: Bearer`). */
  sandboxInspectionToken: string;
  close(): Promise<void>;
}

const defaultNotifyFetch: NotificationFetch = async (url, init) => {
  const res = await fetch(url, { ...init, redirect: 'manual' });
  await res.body?.cancel();
  return { status: res.status };
};

export async function buildPaygate(opts: BuildPaygateOptions): Promise<Paygate> {
  const log = opts.log ?? createLogger({ name: 'paygate' });
  const clock = opts.clock ?? (() => new Date());
  const { db, close: closeDb } = await openPaygateDatabase(opts.dbFile);

  // Key of the card fingerprint: per gateway database, created once, never leaves it.
  await db.insertInto('gateway_settings').values({ key: 'card_fingerprint_key', value: randomBytes(32).toString('hex') }).onConflict((oc) => oc.doNothing()).execute();
  const { value: cardFingerprintKey } = await db.selectFrom('gateway_settings').select('value').where('key', '=', 'card_fingerprint_key').executeTakeFirstOrThrow();

  // Pending notifications are retried at once after a (re)start: when the shop that runs this
  // gateway as its child restarts after a crash, the shop is likely back too.
  await db.updateTable('notifications').set({ next_attempt_at: clock().toISOString() }).where('status', '=', 'pending').execute();

  const delivery = createNotificationDelivery({
    db,
    clock,
    log,
    fetch: opts.notifyFetch ?? defaultNotifyFetch,
    policy: { ...DEFAULT_NOTIFICATION_RETRY_POLICY, ...opts.notificationRetry },
    pollIntervalMs: opts.notificationPollIntervalMs ?? 500,
  });

  const app = Fastify({ loggerInstance: log as FastifyBaseLogger, trustProxy: false, bodyLimit: 64 * 1024 });

  const publicOrigin = () => {
    if (opts.publicOrigin) return opts.publicOrigin.replace(/\/$/, '');
    const a = app.server.address() as AddressInfo | null;
    return a ? `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}` : 'http://127.0.0.1:3100';
  };
  const secureCookies = (opts.publicOrigin ?? '').startsWith('https:');

  const ctx: PaymentServiceContext = {
    db,
    clock,
    paymentTtlMs: opts.paymentTtlMs ?? 30 * 60 * 1000,
    cardFingerprintKey,
    onEventQueued: () => delivery.kick(),
  };

  // Strict defaults for every response (API and pages); pages replace the CSP with one carrying their nonce.
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: pageCspDirectives(null, []) },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: secureCookies,
  });

  registerMerchantApiRoutes(app, { ...ctx, get publicOrigin() { return publicOrigin(); } });
  registerHostedPageRoutes(app, { ...ctx, secureCookies, cardSubmitRateLimit: opts.cardSubmitRateLimit ?? { max: 30, timeWindowMs: 60_000 } });
  const sandboxInspectionToken = opts.sandboxInspectionToken ?? newInspectionToken();
  registerSandboxStatusRoutes(app, db, sandboxInspectionToken);
  registerSandboxKonbiniRoutes(app, ctx, sandboxInspectionToken);

  let expiryTimer: NodeJS.Timeout | null = null;
  const expirySweepIntervalMs = opts.expirySweepIntervalMs ?? 30_000;
  app.addHook('onReady', async () => {
    delivery.start();
    if (expirySweepIntervalMs > 0) {
      expiryTimer = setInterval(() => {
        expireDuePayments(ctx).catch((e: unknown) => log.error({ err: e }, 'expiry sweep failed'));
      }, expirySweepIntervalMs);
      expiryTimer.unref();
    }
  });
  app.addHook('onClose', async () => {
    if (expiryTimer) clearInterval(expiryTimer);
    await delivery.stop();
    await closeDb();
  });

  return {
    app,
    provisionMerchant: (input) => provisionMerchant(db, clock(), input),
    registerMerchant: (input) => registerMerchant(db, clock(), input),
    deliverDueNotifications: () => delivery.deliverDue(),
    expireDuePayments: () => expireDuePayments(ctx),
    sandboxInspectionToken,
    close: () => app.close(),
  };
}
