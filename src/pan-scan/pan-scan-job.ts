// The scheduled pan-scan (weekly by default, PAN_SCAN_INTERVAL_HOURS): searches the shop's own
// database and data directory, records the result for the status page (watch_results) and, when a
// card number is found, raises a critical alert naming where (masked). Not pausing card payments:
// a stored card number is a leak to clean up and investigate, not a sign that checkout is altered.
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { JobDefinition } from '../jobs/job-definition.ts';
import type { ShopContext, ShopLogger } from '../shop-context.ts';
import { raiseAlert } from '../alerts/raise-alert.ts';
import { recordWatchResult } from '../watch-results/watch-results.ts';
import { runPanScan } from './pan-scan.ts';
import { describeLocation, summaryLine, type PanScanReport } from './pan-scan-report.ts';

export const PAN_SCAN_JOB = 'pan-scan';

/** What the watch result keeps: counts and up to 20 masked findings, never a number itself. */
export function watchDetailsOf(report: PanScanReport) {
  return {
    findingCount: report.findingCount,
    findings: report.findings.slice(0, 20).map((f) => ({ masked: f.masked, brand: f.brand, where: describeLocation(f.location) })),
    errors: report.errors.slice(0, 20),
    stats: report.stats,
  };
}

export async function runShopPanScan(shop: ShopContext, log: ShopLogger, signal?: AbortSignal): Promise<PanScanReport> {
  const url = shop.config.databaseUrl;
  const databaseFile = shop.db.kind === 'sqlite' ? path.resolve(url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url) : undefined;
  const report = await runPanScan({
    database: { db: shop.db.db, kind: shop.db.kind },
    databaseFile,
    dataDirs: [shop.config.dataDir],
    paths: [
      // MEDIA_DIR outside DATA_DIR (a shared mount): searched as uploads all the same.
      ...(path.relative(shop.config.dataDir, shop.config.mediaDir).startsWith('..') ? [{ path: shop.config.mediaDir, area: 'uploads' as const }] : []),
      ...shop.config.panScan.extraPaths.map((p) => ({ path: p, area: 'other' as const })),
    ],
    signal,
    clock: shop.clock,
  });
  const at = shop.clock();
  await recordWatchResult(shop.db.db, { watcher: 'pan-scan', outcome: report.outcome, summary: summaryLine(report), details: watchDetailsOf(report), at });
  if (report.outcome === 'findings') {
    const where = report.findings.map((f) => describeLocation(f.location));
    const fingerprint = createHash('sha256').update(where.join('\n')).digest('hex').slice(0, 16);
    const raised = await raiseAlert(shop, {
      kind: 'pan_scan.card_number_found',
      severity: 'critical',
      dedupeKey: `pan-scan:${fingerprint}`,
      summary: `card numbers stored in the shop: ${report.findingCount} (${where.slice(0, 3).join('; ')}${where.length > 3 ? ` +${where.length - 3} more` : ''})`,
      evidence: watchDetailsOf(report),
    });
    log.error({ alertId: raised.alert.id, findings: report.findingCount }, 'pan-scan: card numbers found in the shop');
  } else if (report.outcome === 'error') {
    await raiseAlert(shop, {
      kind: 'pan_scan.check_failed',
      severity: 'medium',
      dedupeKey: 'pan-scan-failed',
      summary: `the pan-scan could not check everything: ${report.errors.slice(0, 2).join('; ')}`,
      evidence: { errors: report.errors.slice(0, 20) },
    });
    log.warn({ errors: report.errors.length }, 'pan-scan: could not check everything');
  }
  return report;
}

export function panScanJob(opts: { shop: ShopContext; log: ShopLogger; intervalMs: number }): JobDefinition {
  return {
    name: PAN_SCAN_JOB,
    schedule: { everyMs: opts.intervalMs },
    timeoutMs: 60 * 60_000,
    async run(signal) {
      await runShopPanScan(opts.shop, opts.log, signal);
    },
  };
}
