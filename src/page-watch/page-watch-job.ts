// The scheduled page watch: every PAGE_MONITOR_INTERVAL_SECONDS, walk the way to payment and
// compare it with the approved (or trust-on-first-use) baseline. A difference is a critical
// alert and, by default (PAGE_WATCH_ON_ALERT=pause), pauses card payments in the same
// transaction; a walk that cannot complete is an alert of its own but pauses nothing (the shop
// may simply be busy). Alerts fold while open, so an unchanged tamper is not mailed every minute.
import { createHash } from 'node:crypto';
import type { JobDefinition } from '../jobs/job-definition.ts';
import type { ShopContext, ShopLogger } from '../shop-context.ts';
import { raiseAlert } from '../alerts/raise-alert.ts';
import { raiseAlertAndPauseCardPayments } from '../alerts/raise-alert-and-pause.ts';
import { checkPaymentPages, type CheckOutcome } from './check-payment-pages.ts';
import { describeDifference } from './compare.ts';
import type { PageFetch } from './walk-to-payment.ts';

export interface PageWatchJobOptions {
  shop: ShopContext;
  log: ShopLogger;
  baseUrl: string;
  fetch: PageFetch;
  intervalMs: number;
  onAlert: 'pause' | 'alert';
}

export async function runPageWatch(opts: Omit<PageWatchJobOptions, 'intervalMs'>): Promise<CheckOutcome> {
  const { shop, log } = opts;
  const outcome = await checkPaymentPages(shop.db.db, { baseUrl: opts.baseUrl, fetch: opts.fetch }, shop.clock);
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
