// The scheduled page watch: every PAGE_MONITOR_INTERVAL_SECONDS, walk the way to payment and
// compare it with the approved (or trust-on-first-use) baseline. A difference is a critical
// alert and, by default (PAGE_WATCH_ON_ALERT=pause), pauses card payments in the same
// transaction; a walk that cannot complete is an alert of its own but pauses nothing (the shop
// may simply be busy). Alerts fold while open, so an unchanged tamper is not mailed every minute.
// The walk runs in headless Chromium when it is installed (PAGE_WATCH_LEVEL=auto, the default), so
// the job also sees what scripts do at run time; every run records which level ran.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { JobDefinition } from '../jobs/job-definition.ts';
import type { ShopContext, ShopLogger } from '../shop-context.ts';
import { raiseAlert } from '../alerts/raise-alert.ts';
import { raiseAlertAndPauseCardPayments } from '../alerts/raise-alert-and-pause.ts';
import { recordWatchResult } from '../watch-results/watch-results.ts';
import { checkPaymentPages, type CheckOutcome, type PaymentPageWalk } from './check-payment-pages.ts';
import { describeDifference } from './compare.ts';
import type { PageFetch, WalkLevel } from './walk-to-payment.ts';
import type { BrowserWalkOptions } from './walk-in-browser.ts';

/** Where and how the way to payment is walked: the job, and the back office's approval, use the same. */
export interface PaymentPageWalker {
  baseUrl: string;
  fetch: PageFetch;
  level: WalkLevel;
  /** The Chromium binary for the browser level. */
  chromiumPath?: string;
  /** Browser level, tests only: routes responses before the walk to play a tampered shop. */
  preparePage?: BrowserWalkOptions['preparePage'];
}

/**
 * PAGE_WATCH_LEVEL: auto is the browser level when the Chromium binary exists. The browser needs
 * a real URL: a shop that does not listen (in-process tests) is walked over HTTP.
 */
export function resolveWalkLevel(setting: 'auto' | 'http' | 'browser', chromiumPath: string, canBrowse: boolean, exists: (p: string) => boolean = existsSync): WalkLevel {
  if (!canBrowse || setting === 'http') return 'http';
  if (setting === 'browser') return 'browser';
  return exists(chromiumPath) ? 'browser' : 'http';
}

export function paymentPageWalk(w: PaymentPageWalker): PaymentPageWalk {
  if (w.level === 'http') return { baseUrl: w.baseUrl, fetch: w.fetch };
  return {
    level: 'browser',
    // Loaded on use, so the HTTP level never loads playwright-core.
    run: async () => {
      const { walkInBrowser } = await import('./walk-in-browser.ts');
      try {
        return await walkInBrowser({ baseUrl: w.baseUrl, executablePath: w.chromiumPath ?? '/usr/bin/chromium', ...(w.preparePage ? { preparePage: w.preparePage } : {}) });
      } catch (err) {
        // Chromium missing or not starting (PAGE_WATCH_LEVEL=browser): "could not check", alerted as such.
        return { ok: false, level: 'browser', error: 'UNREACHABLE', step: 'launch-browser', detail: err instanceof Error ? err.message.split('\n')[0]! : String(err), snapshots: [] };
      }
    },
  };
}

export interface PageWatchJobOptions extends PaymentPageWalker {
  shop: ShopContext;
  log: ShopLogger;
  intervalMs: number;
  onAlert: 'pause' | 'alert';
}

export async function runPageWatch(opts: Omit<PageWatchJobOptions, 'intervalMs'>): Promise<CheckOutcome> {
  const { shop, log } = opts;
  const outcome = await checkPaymentPages(shop.db.db, paymentPageWalk(opts), shop.clock);
  await recordWatchResult(shop.db.db, {
    watcher: 'page-watch',
    outcome: outcome.outcome === 'failed' ? 'error' : outcome.outcome === 'differences' ? 'findings' : 'clean',
    at: shop.clock(),
    summary: outcome.outcome === 'differences' ? `${outcome.differences.length} difference(s) from baseline #${outcome.baseline.id} (level ${outcome.level})`
      : outcome.outcome === 'failed' ? `could not check (level ${outcome.level}): ${outcome.error} at ${outcome.step}`
        : `${outcome.outcome === 'match' ? 'matches' : 'recorded'} baseline #${outcome.baseline.id} (level ${outcome.level})`,
    details: { level: outcome.level, outcome: outcome.outcome, runId: outcome.runId },
  });
  if (outcome.outcome === 'baseline-recorded') {
    log.warn({ baselineId: outcome.baseline.id }, 'page watch: first baseline recorded on trust (approve it in the back office or with `npm run mamori -- page-watch approve`)');
  } else if (outcome.outcome === 'differences') {
    const lines = outcome.differences.map(describeDifference);
    const fingerprint = createHash('sha256').update(JSON.stringify(outcome.differences)).digest('hex').slice(0, 16);
    const alert = {
      kind: 'page_watch.difference',
      severity: 'critical' as const,
      dedupeKey: `page-watch:${outcome.baseline.id}:${fingerprint}`,
      summary: `the way to payment differs from the approved baseline: ${lines.slice(0, 3).join('; ')}${lines.length > 3 ? ` (+${lines.length - 3} more)` : ''}`,
      evidence: { baselineId: outcome.baseline.id, runId: outcome.runId, level: outcome.level, differences: lines },
    };
    const raised = opts.onAlert === 'pause' ? await raiseAlertAndPauseCardPayments(shop, alert, 'page-watch') : await raiseAlert(shop, alert);
    log.error({ alertId: raised.alert.id, differences: lines.length, paused: 'paused' in raised ? raised.paused : false }, 'page watch: the way to payment changed');
  } else if (outcome.outcome === 'failed') {
    await raiseAlert(shop, {
      kind: 'page_watch.check_failed',
      severity: 'medium',
      dedupeKey: `page-watch-failed:${outcome.step}`,
      summary: `the page watch could not walk to the payment page (${outcome.error} at ${outcome.step})`,
      evidence: { runId: outcome.runId, step: outcome.step, error: outcome.error, detail: outcome.detail.slice(0, 300) },
    });
    log.warn({ step: outcome.step, error: outcome.error }, 'page watch: could not check');
  }
  return outcome;
}

export function pageWatchJob(opts: PageWatchJobOptions): JobDefinition {
  return {
    name: 'page-watch',
    schedule: { everyMs: opts.intervalMs },
    timeoutMs: Math.max(30_000, opts.intervalMs),
    runAtStart: true,
    async run() {
      await runPageWatch(opts);
    },
  };
}
