// The composition root: config → database → services → HTTP app → background jobs.
// `npm start` (src/main.ts), the benchmarks and the end-to-end tests all start the shop here.
import path from 'node:path';
import type { Logger } from 'pino';
import type { ShopConfig } from './config/config.ts';
import { openDatabase, type DatabaseHandle } from './db/database.ts';
import { ensurePrivateDataDir } from './db/data-dir-permissions.ts';
import { refuseUnsafeIntegrityKey } from './integrity/manifest-store.ts';
import { migrateToLatest } from './db/migrate.ts';
import { seedDemoCatalogOnce } from './catalog/seed-demo-catalog.ts';
import { ensureProductSearchIndexCurrent } from './catalog/search-index.ts';
import { createMailer, type Mailer } from './mail/mailer.ts';
import { buildShopApp, type BuildShopAppOptions, type RateLimitSettings } from './app.ts';
import { silentLogger, systemClock, type Clock, type ShopContext } from './shop-context.ts';
import { CATALOG_CHANNEL, createCatalogCache } from './catalog/catalog-cache.ts';
import { sql } from 'kysely';
import { pgNotificationListener } from './db/notification-listener.ts';
import { DEFAULT_VELOCITY_LIMITS, type VelocityLimits } from './payments/card-testing-guard.ts';
import { tableShippingFeeStrategy } from './shipping/default-shipping-fee-strategy.ts';
import { seedShippingMethodsOnce } from './shipping/service.ts';
import { floorPerRateTaxRounding } from './tax/default-tax-rounding-strategy.ts';
import { createJobScheduler, type JobScheduler } from './jobs/job-scheduler.ts';
import { shopJobs } from './jobs/shop-jobs.ts';
import type { ComplianceSource } from './monthly-report/report-contract.ts';
import type { MonthlyReportRenderer } from './monthly-report/report-contract.ts';
import { injectFetch } from './page-watch/inject-fetch.ts';
import type { PageFetch, WalkLevel } from './page-watch/walk-to-payment.ts';
import { resolveWalkLevel, type PaymentPageWalker } from './page-watch/page-watch-job.ts';
import { currentSecurityNotices, type SecurityNotice } from './jobs/security-notices.ts';
import type { PaymentProvider } from './payments/payment-provider.ts';
import { SHOP_PROFILE_CHANNEL, shopProfileSubscriber } from './shop-settings/shop-profile.ts';

export interface RunningShop {
  app: Awaited<ReturnType<typeof buildShopApp>>;
  /** The context every service runs on (the same object as `app.shop`). */
  context: ShopContext;
  /** The shop's clock: tests pass one they advance (`startShop({ clock })`). */
  clock: Clock;
  db: DatabaseHandle;
  mailer: Mailer;
  /** The background jobs (src/jobs/): tests move the clock and call `jobs.runDue()`. */
  jobs: JobScheduler;
  /**
   * The newest security check's and external scan's findings with what resolves them (for the
   * start banner: after `await shop.jobs.settled()` they include the start-up runs).
   */
  securityNotices(): Promise<SecurityNotice[]>;
  /** Base URL the shop listens on. */
  url: string;
  seeded: boolean;
  close(): Promise<void>;
}

export interface StartShopOptions {
  config: ShopConfig;
  logger: Logger | false;
  payments?: PaymentProvider;
  seedDemoCatalog?: boolean;
  rateLimits?: Partial<RateLimitSettings>;
  /** How often unpaid orders are expired and pending payments reconciled (ms). */
  expiryIntervalMs?: number;
  /** A pending payment quiet for this long is queried at the gateway (ms). */
  reconcileQuietMs?: number;
  /** Reconcile right after start (after a crash, a paid order's notification may be lost). */
  reconcileAtStart?: boolean;
  /**
   * How often the job timer looks for due jobs (ms, real time; 0: only `jobs.runDue()`). Default
   * 1000, or 0 when a clock is injected: a test that moves time drives the jobs itself, so a timer
   * never runs one behind its back.
   */
  jobPollMs?: number;
  /** Build last month's security report on the 1st, shop time (src/monthly-report/). */
  monthlyReport?: boolean | { compliance?: ComplianceSource };
  /** The deploy-gate check (inventory + advisories + policy) at start-up and daily, stored with history. */
  securityCheck?: boolean;
  /** Search the database and data directory for stored card numbers every PAN_SCAN_INTERVAL_HOURS (src/pan-scan/). */
  panScan?: boolean;
  /** Write the audit chain head to DATA_DIR/audit-anchors.log periodically (default on). */
  auditAnchoring?: boolean;
  /** The external scan of the shop's own URL: quarterly, after each deploy, daily while failing. */
  scanSchedule?: { appVersion: string };
  /**
   * Watch the way to the payment page (PAGE_MONITOR_INTERVAL_SECONDS): over real HTTP when
   * listening, in process otherwise; or through a fetch of the caller's (tests that tamper).
   */
  pageWatch?: boolean | { fetch: PageFetch; level?: WalkLevel; preparePage?: PaymentPageWalker['preparePage'] };
  /** Benchmark-only (bench/shop.ts): false leaves out the outgoing-HTML card-field guard; never a setting. */
  outgoingCardFieldGuard?: boolean;
  /** Verify the installation's files (src/integrity/) at start-up and every INTEGRITY_CHECK_INTERVAL_SECONDS. */
  integrity?: boolean;
  /** The scheduled backup (src/backup/): every BACKUP_INTERVAL_HOURS into BACKUP_DIR. */
  backup?: boolean;
  onRawRequest?: BuildShopAppOptions['onRawRequest'];
  /** How long catalog reads are cached (0 turns the cache off, as tests that edit products do). */
  catalogCacheTtlMs?: number;
  velocityLimits?: Partial<VelocityLimits>;
  clock?: Clock;
  listen?: boolean;
  /** The monthly report renderer for the sign-off pages (tests pass a fake; src/security-committee/). */
  monthlyReportRenderer?: MonthlyReportRenderer;
  /** Customer accounts' test seams (src/customer-accounts/account-runtime.ts). */
  customerAccounts?: BuildShopAppOptions['customerAccounts'];
}

export async function startShop(opts: StartShopOptions): Promise<RunningShop> {
  const { config } = opts;
  ensurePrivateDataDir(config.dataDir);
  if (opts.integrity && config.integrity.intervalMs > 0) refuseUnsafeIntegrityKey(config);
  const db = openDatabase(config.databaseUrl);
  let stopNotifications = async () => {};
  try {
    await migrateToLatest(db.db);
    const seeded = opts.seedDemoCatalog === false ? false : await seedDemoCatalogOnce(db.db, config.mediaDir);
    await ensureProductSearchIndexCurrent(db.db);
    await seedShippingMethodsOnce(db.db, config.shipping);
    const mailer = createMailer({ smtpUrl: config.smtpUrl, outboxDir: path.join(config.dataDir, 'outbox'), from: config.mailFrom });
    const logger = opts.logger === false ? silentLogger : opts.logger;
    // Several instances on one PostgreSQL database: one LISTEN connection per process carries the
    // shop pause and catalog changes between them (src/db/notification-listener.ts).
    const notifications = db.kind === 'postgres' ? pgNotificationListener({ connectionString: config.databaseUrl, logger }) : undefined;
    const catalog = createCatalogCache(db.db, {
      ttlMs: opts.catalogCacheTtlMs ?? 2000,
      clock: opts.clock ?? systemClock,
      ...(notifications ? {
        announce: async () => { await sql`select pg_notify(${CATALOG_CHANNEL}, '')`.execute(db.db); },
        onAnnounceError: (err: unknown) => logger.warn({ err }, 'catalog change could not be announced to the other instances; they follow within the cache TTL'),
      } : {}),
    });
    if (notifications) {
      stopNotifications = () => notifications.stop();
      await notifications.subscribe(CATALOG_CHANNEL, { notify: () => catalog.dropLocal(), resync: () => catalog.dropLocal() });
      // A shop settings save on another instance: drop this one's copy of the profile.
      await notifications.subscribe(SHOP_PROFILE_CHANNEL, shopProfileSubscriber(db.db));
      await notifications.start();
    }
    const context: ShopContext = {
      config,
      db,
      mailer,
      payments: opts.payments,
      shipping: tableShippingFeeStrategy,
      rounding: floorPerRateTaxRounding,
      clock: opts.clock ?? systemClock,
      catalog,
      velocityLimits: { ...DEFAULT_VELOCITY_LIMITS, ...opts.velocityLimits },
      logger,
      ...(notifications ? { notifications } : {}),
    };
    // Filled in once the shop listens (the browser level walks its real URL) and the jobs exist.
    const pageWatch: { walker?: PaymentPageWalker; requestPass?: () => void } = {};
    const scheduler: { jobs?: JobScheduler } = {};
    const app = await buildShopApp({
      shop: context,
      logger: opts.logger,
      requestPageWatchPass: () => pageWatch.requestPass?.(),
      startJob: (name) => { scheduler.jobs?.runNow(name).catch((err: unknown) => app.log.error({ err, job: name }, 'requested job run failed')); },
      pageWatchWalker: () => pageWatch.walker,
      ...(opts.outgoingCardFieldGuard === false ? { outgoingCardFieldGuard: false } : {}),
      ...(opts.rateLimits ? { rateLimits: opts.rateLimits } : {}),
      ...(opts.onRawRequest ? { onRawRequest: opts.onRawRequest } : {}),
      ...(opts.monthlyReportRenderer ? { admin: { monthlyReportRenderer: opts.monthlyReportRenderer } } : {}),
      ...(opts.customerAccounts ? { customerAccounts: opts.customerAccounts } : {}),
    });
    let url = config.publicUrl;
    if (opts.listen !== false) {
      const address = await app.listen({ host: config.host, port: config.port });
      url = address;
    } else {
      await app.ready();
    }
    // Every background job runs through one scheduler (src/jobs/): expiry and reconciliation,
    // abandoned carts, the security check, the external scan, audit anchors.
    const scanTargets = opts.scanSchedule ? [`${url.replace(/\/$/, '')}/`] : [];
    const chromiumPath = config.pageWatch.chromiumPath;
    if (typeof opts.pageWatch === 'object') {
      const level = opts.pageWatch.level ?? 'http';
      pageWatch.walker = {
        baseUrl: level === 'browser' ? url.replace(/\/$/, '') : config.publicUrl, fetch: opts.pageWatch.fetch, level, chromiumPath,
        ...(opts.pageWatch.preparePage ? { preparePage: opts.pageWatch.preparePage } : {}),
      };
    } else if (opts.pageWatch === true) {
      const listening = opts.listen !== false;
      pageWatch.walker = {
        baseUrl: listening ? url.replace(/\/$/, '') : config.publicUrl,
        fetch: listening ? (u, init) => fetch(u, init) : injectFetch(app, config.publicUrl),
        level: resolveWalkLevel(config.pageWatch.level, chromiumPath, listening),
        chromiumPath,
      };
    }
    const jobs = createJobScheduler({
      db,
      databaseUrl: config.databaseUrl,
      clock: context.clock,
      timeZone: config.timeZone,
      log: app.log,
      pollMs: opts.jobPollMs ?? (opts.clock ? 0 : 1000),
      jobs: shopJobs(app.shop, app.log, {
        ...(opts.expiryIntervalMs !== undefined ? { expiryIntervalMs: opts.expiryIntervalMs } : {}),
        ...(opts.reconcileQuietMs !== undefined ? { reconcileQuietMs: opts.reconcileQuietMs } : {}),
        ...(opts.reconcileAtStart !== undefined ? { reconcileAtStart: opts.reconcileAtStart } : {}),
        ...(opts.securityCheck !== undefined ? { securityCheck: opts.securityCheck } : {}),
        ...(opts.panScan !== undefined ? { panScan: opts.panScan } : {}),
        ...(opts.auditAnchoring !== undefined ? { auditAnchoring: opts.auditAnchoring } : {}),
        ...(opts.scanSchedule ? { scanSchedule: { appVersion: opts.scanSchedule.appVersion, targets: scanTargets } } : {}),
        ...(pageWatch.walker ? { pageWatch: pageWatch.walker } : {}),
        ...(opts.integrity ? { integrity: true } : {}),
        ...(opts.monthlyReport ? { monthlyReport: opts.monthlyReport === true ? {} : opts.monthlyReport } : {}),
        ...(opts.backup ? { backup: true } : {}),
      }),
    });
    scheduler.jobs = jobs;
    if (jobs.jobs.some((j) => j.name === 'page-watch')) {
      // A CSP violation reported from the way to payment: re-check now (a pass already running will do).
      pageWatch.requestPass = () => { jobs.runNow('page-watch').catch((err: unknown) => app.log.error({ err }, 'requested page watch pass failed')); };
    }
    try {
      await jobs.start();
    } catch (err) {
      await jobs.stop().catch(() => {});
      await app.close();
      throw err;
    }
    return {
      app,
      context,
      clock: context.clock,
      db,
      mailer,
      jobs,
      securityNotices: () => currentSecurityNotices(db.db, { scanTargets }),
      url,
      seeded,
      async close() {
        await jobs.stop(); // waits for running jobs, which still use the app's context
        await app.close();
        await notifications?.stop();
        await db.close();
      },
    };
  } catch (err) {
    await stopNotifications().catch(() => {});
    await db.close().catch(() => {});
    throw err;
  }
}
