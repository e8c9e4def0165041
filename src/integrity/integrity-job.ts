// The shop verifies its own installation at start-up and every INTEGRITY_CHECK_INTERVAL_SECONDS.
// With no baseline at all and no integrity history in the database, the first run records one on
// trust (flagged so, for an owner to approve); with history, a vanished baseline is tampering. A change is a critical alert and, when it touches what builds the storefront or
// checkout, pauses card payments in the same transaction (the page watch's mechanism). Alerts fold
// while open (same changes, same key), so an unchanged tamper is not mailed every five minutes.
import { createHash } from 'node:crypto';
import type { JobDefinition } from '../jobs/job-definition.ts';
import type { ShopContext, ShopLogger } from '../shop-context.ts';
import { raiseAlert } from '../alerts/raise-alert.ts';
import { raiseAlertAndPauseCardPayments } from '../alerts/raise-alert-and-pause.ts';
import { recordWatchResult } from '../watch-results/watch-results.ts';
import { describeFinding } from './compare-manifest.ts';
import { integritySubject, recordFirstBaseline, verifyInstallation, type IntegritySubject, type VerifyOutcome } from './check-integrity.ts';

/** Findings kept in a watch result's details (the count is always complete). */
const RECORDED_FINDINGS = 200;

export type IntegrityRun = VerifyOutcome | { outcome: 'baseline-recorded'; files: number; durationMs: number };

export async function runIntegrityCheck(shop: ShopContext, log: ShopLogger, opts: { quick?: boolean; subject?: IntegritySubject } = {}): Promise<IntegrityRun> {
  const subject = opts.subject ?? integritySubject(shop.config, shop.clock);
  const at = shop.clock();
  const verified = await verifyInstallation(subject, { quick: opts.quick === true, db: shop.db.db });
  if (verified.outcome === 'no-baseline') {
    const started = performance.now();
    const first = await recordFirstBaseline(subject, 'trust-on-first-use', 'system:integrity', shop.db.db);
    if (first.ok) {
      const files = Object.keys(first.manifest.files).length;
      log.warn({ files }, 'integrity: first baseline recorded on trust (approve it in the back office or with `npm run mamori -- integrity approve`)');
      await recordWatchResult(shop.db.db, {
        watcher: 'integrity', outcome: 'clean', at,
        summary: `first baseline recorded on trust (${files} files): approve it after checking the installation`,
        details: { outcome: 'baseline-recorded', trust: 'trust-on-first-use', files, media: Object.keys(first.manifest.media).length },
      });
      return { outcome: 'baseline-recorded', files, durationMs: Math.round(performance.now() - started) };
    }
    // BASELINE_EXISTS here: a result or baseline entry appeared since the verify (a concurrent run): treat as tampered, never trusted.
    return report(shop, log, first.error === 'BASELINE_EXISTS'
      ? { outcome: 'tampered', problem: 'BASELINE_GONE', detail: first.detail, durationMs: 0 }
      : { outcome: 'failed', error: 'KEY_REFUSED', detail: first.detail, durationMs: 0 }, at);
  }
  return report(shop, log, verified, at);
}

async function report(shop: ShopContext, log: ShopLogger, verified: VerifyOutcome, at: Date): Promise<VerifyOutcome> {
  const db = shop.db.db;
  switch (verified.outcome) {
    case 'no-baseline':
      return verified;
    case 'clean':
      await recordWatchResult(db, {
        watcher: 'integrity', outcome: 'clean', at,
        summary: `${verified.filesChecked} files match the ${verified.manifest.trust} baseline of ${verified.manifest.createdAt}`,
        details: { outcome: 'clean', trust: verified.manifest.trust, baselineAt: verified.manifest.createdAt, files: verified.filesChecked, filesRead: verified.filesRead, uploads: verified.comparison.uploads.length, durationMs: verified.durationMs },
      });
      return verified;
    case 'failed':
      await recordWatchResult(db, { watcher: 'integrity', outcome: 'error', at, summary: `could not check the installation: ${verified.error}`, details: { outcome: 'failed', error: verified.error, detail: verified.detail } });
      await raiseAlert(shop, {
        kind: 'integrity.check_failed', severity: 'high', dedupeKey: `integrity-failed:${verified.error}`,
        summary: `the file-integrity check could not run (${verified.error}): ${verified.detail}`,
        evidence: { error: verified.error, detail: verified.detail.slice(0, 300) },
      });
      log.error({ error: verified.error }, 'integrity: could not check');
      return verified;
    case 'tampered': {
      await recordWatchResult(db, { watcher: 'integrity', outcome: 'findings', at, summary: `the manifest cannot be trusted (${verified.problem})`, details: { outcome: 'tampered', problem: verified.problem, detail: verified.detail } });
      const raised = await raiseAlertAndPauseCardPayments(shop, {
        kind: 'integrity.manifest_tampered', severity: 'critical', dedupeKey: `integrity-manifest:${verified.problem}`,
        summary: `the file-integrity manifest cannot be trusted: ${verified.detail}`,
        evidence: { problem: verified.problem, detail: verified.detail },
      }, 'integrity');
      log.error({ alertId: raised.alert.id, problem: verified.problem }, 'integrity: the manifest was tampered with');
      return verified;
    }
    case 'changed': {
      const { findings, uploads } = verified.comparison;
      const lines = findings.map(describeFinding);
      const pauses = findings.some((f) => f.pausesCheckout);
      const webShells = findings.filter((f) => f.kind === 'web-shell').length;
      const fingerprint = createHash('sha256').update(JSON.stringify(findings)).digest('hex').slice(0, 16);
      const summary = `${findings.length} change${findings.length === 1 ? '' : 's'} to the installation${webShells ? ` (${webShells} possible web shell${webShells === 1 ? '' : 's'})` : ''}: ${lines.slice(0, 3).join('; ')}${lines.length > 3 ? ` (+${lines.length - 3} more)` : ''}`;
      await recordWatchResult(db, {
        watcher: 'integrity', outcome: 'findings', at, summary,
        details: { outcome: 'changed', trust: verified.manifest.trust, baselineAt: verified.manifest.createdAt, findingCount: findings.length, webShells, pausesCheckout: pauses, findings: findings.slice(0, RECORDED_FINDINGS), uploads: uploads.length, durationMs: verified.durationMs },
      });
      const alert = {
        kind: webShells ? 'integrity.web_shell' : 'integrity.changed', severity: (pauses ? 'critical' : 'high') as 'critical' | 'high',
        dedupeKey: `integrity:${fingerprint}`, summary,
        evidence: { baselineAt: verified.manifest.createdAt, findingCount: findings.length, findings: lines.slice(0, 50) },
      };
      const raised = pauses ? await raiseAlertAndPauseCardPayments(shop, alert, 'integrity') : await raiseAlert(shop, alert);
      log.error({ alertId: raised.alert.id, findings: findings.length, paused: 'paused' in raised ? raised.paused : false }, 'integrity: the installation changed');
      return verified;
    }
  }
}

/** Every this many slots (hourly at the default five minutes) a scheduled run reads every file again. */
const FULL_CHECK_EVERY_SLOTS = 12;

/**
 * The start-up run and every twelfth slot read and hash every file; the runs between are quick
 * (files whose lstat fingerprint is unchanged are not read: see verifyInstallation).
 */
export function integrityJob(opts: { shop: ShopContext; log: ShopLogger; intervalMs: number }): JobDefinition {
  return {
    name: 'integrity',
    schedule: { everyMs: opts.intervalMs },
    timeoutMs: Math.max(60_000, opts.intervalMs),
    runAtStart: true,
    async run(_signal, info) {
      const slot = Math.floor(info.scheduledFor.getTime() / opts.intervalMs);
      const quick = info.trigger === 'schedule' && slot % FULL_CHECK_EVERY_SLOTS !== 0;
      const run = await runIntegrityCheck(opts.shop, opts.log, { quick });
      // One info line per run: the bench (and an operator) can tell the start-up hash is over.
      opts.log.info({ job: 'integrity', outcome: run.outcome, trigger: info.trigger }, 'integrity: check done');
    },
  };
}
