// Scheduled external scans for the running shop, as a job of the shop's scheduler (src/jobs/):
// each target quarterly (PCI DSS 11.3.2), after every deploy (an app version not seen in the last
// scan), and daily again while it fails so a fix shows up. The job looks hourly (and at start)
// whether a scan is due; results go to the history; an overdue scan is logged as a finding of its own.
//
// A failed scan is a warning with what it means and what resolves it: a development shop served
// over plain HTTP fails by design (no TLS to check), which should not read like an incident.
import type { Kysely } from 'kysely';
import type { JobDefinition } from '../jobs/job-definition.ts';
import { latestScan, overdueScanFinding, QUARTER_DAYS, recordScan, type ScanTrigger } from './scan-history.ts';
import { scanTarget, type ScanOptions, type TargetResult } from './scan-target.ts';

interface ScanLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface ScanScheduleOptions {
  db: Kysely<any>;
  log: ScanLog;
  /** The shop's own public URLs; nothing else is ever scanned. */
  targets: string[];
  intervalDays?: number;
  /** How often to look whether a scan is due (default hourly). */
  checkEveryMs?: number;
  /** A failing target is scanned again after this long (default one day). */
  retryFailedAfterMs?: number;
  /** The running version: differing from the last scan's means a deploy happened, so scan now. */
  appVersion?: string;
  scanOptions?: ScanOptions;
  /** Injected in tests. */
  scan?: (url: string, options: ScanOptions) => Promise<TargetResult>;
  now?: () => Date;
}

const DAY_MS = 86_400_000;

/** What a failed scan of `url` means and what resolves it, one line each. */
export function scanFailureHint(url: string): { meaning: string; command: string } {
  if (url.startsWith('http://')) {
    return {
      meaning: 'the shop is served over plain HTTP, which fails the external scan by design (expected for a development shop)',
      command: 'serve the shop over HTTPS (PUBLIC_URL=https://…) behind a TLS proxy, then npm run mamori -- scan <url>',
    };
  }
  return { meaning: 'the external scan found issues a PCI ASV scan fails on', command: `fix the failing findings, then npm run mamori -- scan ${url}` };
}

async function scanAndRecord(options: ScanScheduleOptions, url: string, trigger: ScanTrigger): Promise<TargetResult> {
  const scan = options.scan ?? scanTarget;
  const result = await scan(url, options.scanOptions ?? {});
  await recordScan(options.db, result, trigger, options.appVersion ?? null);
  const failing = result.findings.filter((f) => f.cvss >= 4 || f.autoFail);
  if (result.verdict === 'pass') options.log.info({ target: url, trigger, findings: result.findings.length }, 'external scan passed');
  else {
    const hint = scanFailureHint(url);
    options.log.warn(
      { target: url, trigger, error: result.error, failing: failing.map((f) => `${f.id} (${f.cvss})`), hint: `${hint.meaning}: ${hint.command}` },
      `external scan failed: ${hint.meaning} (to resolve: ${hint.command})`,
    );
  }
  return result;
}

async function dueTrigger(options: ScanScheduleOptions, url: string): Promise<ScanTrigger | null> {
  const last = await latestScan(options.db, url);
  if (!last) return 'schedule';
  const age = (options.now ?? (() => new Date()))().getTime() - Date.parse(last.startedAt);
  if (options.appVersion && last.appVersion !== options.appVersion) return 'deploy';
  if (age >= (options.intervalDays ?? QUARTER_DAYS) * DAY_MS) return 'schedule';
  if (last.verdict === 'fail' && age >= (options.retryFailedAfterMs ?? DAY_MS)) return 'schedule';
  return null;
}

/** One look at every target: warns when a scan is overdue, scans the ones that are due. */
export async function checkScanSchedule(options: ScanScheduleOptions, signal?: AbortSignal): Promise<TargetResult[]> {
  const results: TargetResult[] = [];
  const now = options.now ?? (() => new Date());
  for (const url of options.targets) {
    signal?.throwIfAborted();
    const overdue = await overdueScanFinding(options.db, url, now(), options.intervalDays ?? QUARTER_DAYS);
    if (overdue) options.log.warn({ target: url, finding: overdue.id, cvss: overdue.cvss, evidence: overdue.evidence }, overdue.title);
    const trigger = await dueTrigger(options, url);
    if (trigger) results.push(await scanAndRecord(options, url, trigger));
  }
  return results;
}

/** Scans every target now (e.g. from a deploy hook) and records the results. */
export async function scanAllTargets(options: ScanScheduleOptions, trigger: ScanTrigger, signal?: AbortSignal): Promise<TargetResult[]> {
  const results: TargetResult[] = [];
  for (const url of options.targets) {
    signal?.throwIfAborted();
    results.push(await scanAndRecord(options, url, trigger));
  }
  return results;
}

/** The schedule as a job: at start and hourly it looks whether a scan is due. */
export function scanScheduleJob(options: ScanScheduleOptions): JobDefinition {
  return {
    name: 'external-scan',
    schedule: { everyMs: options.checkEveryMs ?? 3_600_000 },
    // A scan is bounded per target (connection budget, timeouts); this bounds the whole pass.
    timeoutMs: 30 * 60_000,
    runAtStart: true,
    async run(signal, info) {
      if (info.trigger === 'manual') await scanAllTargets(options, 'manual', signal);
      else await checkScanSchedule(options, signal);
    },
  };
}
