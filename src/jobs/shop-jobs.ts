// The shop's background jobs, built by the composition root (start-shop.ts) from its context.
// To add one: write its definition (see README.md) and add it to the list below.
import type { ShopContext, ShopLogger } from '../shop-context.ts';
import { expireOrdersAndCancelPayments, reconcilePendingPayments } from '../payments/reconcile-payments.ts';
import { securityCheckJob } from '../policy/daily.ts';
import { scanScheduleJob } from '../scanner/scan-schedule.ts';
import { auditAnchorJob, defaultAuditAnchorsFile } from '../audit/audit-anchors.ts';
import type { JobDefinition } from './job-definition.ts';
import { expireAbandonedCartsJob } from './expire-abandoned-carts.ts';
import { pageWatchJob } from '../page-watch/page-watch-job.ts';
import type { PageFetch, WalkLevel } from '../page-watch/walk-to-payment.ts';
import { malwareScanJob } from '../malware-scan/malware-scan-job.ts';
import { integrityJob } from '../integrity/integrity-job.ts';
import { incidentDeadlineReminderJob } from '../incidents/incident-reminders.ts';
import { noticeSendJob } from '../incident-notices/notice-send-job.ts';
import { panScanJob } from '../pan-scan/pan-scan-job.ts';
// Monthly security report (issue 14)
import { monthlyReportJob } from '../monthly-report/monthly-report-job.ts';
import { shopMonthlyReportRenderer } from '../monthly-report/shop-monthly-report.ts';
import type { ComplianceSource } from '../monthly-report/report-contract.ts';
import { monthlyReportReminderJob } from '../security-committee/report-reminders.ts';
import { backupJob } from '../backup/backup-job.ts';
import { rateLimitSweepJob } from '../http/rate-limit-store.ts';
import { catalogImportJob } from '../catalog-import/catalog-import-runs.ts';
import { purgeCustomerSessionsJob } from '../customer-accounts/purge-customer-sessions.ts';

export interface ShopJobOptions {
  /** How often unpaid orders are expired and pending payments reconciled (ms, default one minute). */
  expiryIntervalMs?: number;
  /** A pending payment quiet for this long is queried at the gateway (ms). */
  reconcileQuietMs?: number;
  /** Expire and reconcile right after start (after a crash, a paid order's notification may be lost). Default true. */
  reconcileAtStart?: boolean;
  securityCheck?: boolean;
  /** Search for stored card numbers on PAN_SCAN_INTERVAL_HOURS (off when that is 0). */
  panScan?: boolean;
  auditAnchoring?: boolean;
  scanSchedule?: { appVersion: string; targets: string[] };
  /** Walk the way to payment on PAGE_MONITOR_INTERVAL_SECONDS (off when that is 0). */
  pageWatch?: { baseUrl: string; fetch: PageFetch; level?: WalkLevel; chromiumPath?: string };
  /** Verify the installation's files at start-up and on INTEGRITY_CHECK_INTERVAL_SECONDS (off when that is 0). */
  integrity?: boolean;
  /** Build last month's security report on the 1st (src/monthly-report/); compliance: the map's source (default: the shop's own, src/compliance/). */
  monthlyReport?: { compliance?: ComplianceSource };
  /** Write a backup archive every BACKUP_INTERVAL_HOURS into BACKUP_DIR (off when that is 0). */
  backup?: boolean;
}

export function shopJobs(shop: ShopContext, log: ShopLogger, opts: ShopJobOptions): JobDefinition[] {
  const jobs: JobDefinition[] = [
    {
      // One job, so expiry (with its last status query) and reconciliation never run side by side.
      name: 'expire-and-reconcile-payments',
      schedule: { everyMs: opts.expiryIntervalMs ?? 60_000 },
      timeoutMs: 5 * 60_000,
      runAtStart: opts.reconcileAtStart !== false,
      async run() {
        await expireOrdersAndCancelPayments(shop, log);
        await reconcilePendingPayments(shop, log, opts.reconcileQuietMs ?? 60_000);
      },
    },
    expireAbandonedCartsJob({ db: shop.db.db, clock: shop.clock, retentionDays: shop.config.cartRetentionDays, log }),
    // Customer sessions and Store API tokens past their expiry (src/customer-accounts/purge-customer-sessions.ts).
    purgeCustomerSessionsJob({ db: shop.db.db, clock: shop.clock, config: shop.config.customerAccounts, log }),
    // The PPC deadlines of open incidents, mailed to owners (src/incidents/incident-reminders.ts).
    incidentDeadlineReminderJob({ ...shop, logger: log }),
    // Incident notices: resumes an interrupted bulk send (src/incident-notices/).
    noticeSendJob(shop, log),
    // The monthly report's submit-by and approve-by reminders (src/security-committee/).
    monthlyReportReminderJob({ ...shop, logger: log }),
    // Large product CSV imports, written in the background with their progress shown (src/catalog-import/).
    catalogImportJob({ db: shop.db, clock: shop.clock, log, onCatalogChanged: () => shop.catalog.invalidate() }),
  ];
  if (opts.securityCheck) {
    jobs.push(securityCheckJob({ db: shop.db, log, clock: shop.clock, check: { advisoryDir: shop.config.advisories.dir } }));
  }
  if (opts.scanSchedule) {
    jobs.push(scanScheduleJob({ db: shop.db.db, log, targets: opts.scanSchedule.targets, appVersion: opts.scanSchedule.appVersion, now: shop.clock }));
  }
  if (opts.pageWatch && shop.config.pageWatch.intervalMs > 0) {
    jobs.push(pageWatchJob({ shop, log, level: 'http', ...opts.pageWatch, intervalMs: shop.config.pageWatch.intervalMs, onAlert: shop.config.pageWatch.onAlert }));
  }
  // Malware scan of the install and data directories, when clamd is configured (CLAMD_SOCKET / CLAMD_HOST).
  const malwareScan = malwareScanJob(shop, log);
  if (malwareScan) jobs.push(malwareScan);
  if (opts.integrity && shop.config.integrity.intervalMs > 0) {
    jobs.push(integrityJob({ shop, log, intervalMs: shop.config.integrity.intervalMs }));
  }
  if (opts.panScan && shop.config.panScan.intervalMs > 0) {
    // Card numbers stored anywhere in the shop's database or files (weekly by default).
    jobs.push(panScanJob({ shop, log, intervalMs: shop.config.panScan.intervalMs }));
  }
  if (opts.monthlyReport) {
    // Last month's report in ja and en, stored once as the month's draft (table monthly_reports).
    const renderer = shopMonthlyReportRenderer(shop, opts.monthlyReport.compliance);
    jobs.push(monthlyReportJob({ db: shop.db.db, renderer, timeZone: shop.config.timeZone, clock: shop.clock, log }));
  }
  if (opts.backup) {
    // The scheduled backup with retention (src/backup/backup-job.ts).
    const backup = backupJob(shop, log);
    if (backup) jobs.push(backup);
  }
  // PostgreSQL keeps rate-limit counters in a table (src/http/rate-limit-store.ts): old windows are deleted.
  if (shop.db.kind === 'postgres') jobs.push(rateLimitSweepJob(shop.db.db, log));
  if (opts.auditAnchoring !== false) {
    // The audit log's chain head, written out of the database every few minutes when it moved.
    jobs.push(auditAnchorJob({ db: shop.db.db, file: defaultAuditAnchorsFile(shop.config.dataDir), log, clock: shop.clock }));
  }
  return jobs;
}
